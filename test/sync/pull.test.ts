/**
 * Delta pulls against the reference platform in another process: repeated and late pages change
 * nothing, a page out of order or breaking the schema is refused whole with the cursor where it
 * was, a removed / repaired / deleted record leaves the verdicts after the next pull, and a
 * "start over" answer rebuilds the mirror (the old one serving meanwhile) without touching the
 * clerk's records.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckRecord, SubjectType } from '../../shared/domain/schemas';
import { computeVerdict } from '../../shared/domain/verdict';
import { DEMO } from '../../shared/sample/demo';
import type { PullResult } from '../../shared/sync/adapter';
import type { SyncStatus } from '../../shared/sync/engine-core';
import type { HechataiDb } from '../../renderer/db/database';
import { enqueue } from '../../renderer/db/local-records';
import { counterRecords } from '../../renderer/db/mirror';
import { lookupIdentifier } from '../../renderer/db/mirror-store';
import { memorySecretStore, syncPosition, type SyncEngine } from '../../renderer/sync/engine';
import { makePushItems } from '../platform/fixtures';
import { spawnPlatform, type SpawnedPlatform } from '../platform/spawn';
import { enrol, freshDbName, makeEngine, mirrorDigest, mirrorRecords, openDb, tapFactory } from './helpers';

const RECORDS = Number(process.env.SYNC_TEST_RECORDS ?? 1500);
const NOW = Date.UTC(2026, 10, 20, 2, 0, 0);

let platform: SpawnedPlatform;
let db: HechataiDb;
const secrets = memorySecretStore({ mode: 'encrypted', provider: 'test' });
/** When set, the next /changes body is rewritten by it (a platform or gateway sending garbage). */
let corrupt: ((body: { changes: Record<string, unknown>[] }) => void) | undefined;
const corruptingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const hook = corrupt;
  if (!hook || !String(input).includes('/api/v1/changes')) return response;
  corrupt = undefined;
  const body = (await response.json()) as { changes: Record<string, unknown>[] };
  hook(body);
  return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
};
const factory = tapFactory(corruptingFetch);
let engine: SyncEngine;

beforeAll(async () => {
  platform = await spawnPlatform({ records: RECORDS, seed: 31, today: '2026-11-20' });
  db = openDb(freshDbName('pull'));
  engine = makeEngine(db, { secrets, fetchImpl: corruptingFetch, adapterFactory: factory, tuning: { loadLimit: 500, deltaLimit: 4 } });
  await enrol(engine, platform);
  const first = await engine.syncNow();
  if (!first.ok) throw new Error(`first load failed: ${first.error?.message}`);
}, 60_000);

afterAll(async () => {
  await engine.dispose();
  db.close();
  await platform.stop();
});

async function state(): Promise<{ position: unknown; digest: unknown }> {
  return { position: await syncPosition(db), digest: await mirrorDigest(db) };
}

async function expectEqualToPlatform(): Promise<void> {
  const theirs = await platform.admin.digest();
  expect(await mirrorDigest(db)).toEqual({ count: theirs.count, digest: theirs.digest });
}

let round = 0;
async function edits(n: number): Promise<void> {
  round++;
  for (let i = 0; i < n; i++) {
    await platform.admin.command({ op: 'change', id: `R${String(100 + round * 10 + i).padStart(8, '0')}`, patch: { reason: `第 ${round} 轮第 ${i} 次修改` } });
  }
}

/** The pages the engine was given, most recent last. */
const okPages = (): Extract<PullResult, { kind: 'ok' }>['value'][] =>
  factory.taps.flatMap((t) => t.pulls).flatMap((p) => (p.result.kind === 'ok' ? [p.result.value] : []));

describe('delta pulls', () => {
  it('the first load equals the platform', async () => {
    await expectEqualToPlatform();
    expect(engine.getSnapshot()).toMatchObject({ connectivity: 'online', load: null, mirrorSource: 'platform', lastError: null });
  });

  it('duplicate pages and pages arriving late change nothing', async () => {
    await edits(6);
    expect((await engine.syncNow()).ok).toBe(true);
    const pages = okPages().filter((p) => p.changes.length > 0);
    const older = pages[pages.length - 2];
    const latest = pages[pages.length - 1];
    if (!older || !latest) throw new Error('expected at least two delta pages (deltaLimit 4)');
    await expectEqualToPlatform();
    const before = await state();

    // The same page again (a gateway resending its last answer).
    factory.last().next = () => ({ kind: 'ok', value: latest });
    const dup = await engine.syncNow();
    expect(dup.ok).toBe(false);
    expect(dup.error?.code).toBe('stale_page');
    expect(await state()).toEqual(before);

    // An older page, after newer ones were applied (out of order).
    factory.last().next = () => ({ kind: 'ok', value: older });
    expect((await engine.syncNow()).error?.code).toBe('stale_page');
    expect(await state()).toEqual(before);

    // Every change of a page sent twice (the platform's duplicatePages fault): applied once.
    await platform.admin.setFaults({ duplicatePages: 1 });
    await edits(5);
    expect((await engine.syncNow()).ok).toBe(true);
    await platform.admin.setFaults({});
    await expectEqualToPlatform();
  });

  it('a page whose changes go backwards is refused whole; the cursor does not move', async () => {
    await edits(3);
    const before = await state();
    factory.last().next = async (cursor) => {
      const real = await factory.last().inner.pull(cursor, 4);
      if (real.kind !== 'ok' || real.value.changes.length < 2) throw new Error('expected a real page with changes');
      return { kind: 'ok', value: { ...real.value, changes: [...real.value.changes].reverse() } };
    };
    const refused = await engine.syncNow();
    expect(refused.error?.code).toBe('bad_page');
    expect(refused.error?.message).toContain('整页已拒收');
    expect(await state()).toEqual(before);
    expect((await engine.syncNow()).ok).toBe(true);
    await expectEqualToPlatform();
  });

  it('a page that breaks the schema is refused whole; nothing of it is applied; the cursor does not move', async () => {
    await edits(3);
    const before = await state();
    const mirrorBefore = await mirrorRecords(db);
    // The first changed record is valid, the last one carries a date that does not exist.
    corrupt = (body) => {
      const last = body.changes[body.changes.length - 1] as { data: Record<string, unknown> } | unknown[];
      // A compact page (the engine asks for one) carries the record as an array: validTo is element 18.
      if (Array.isArray(last)) last[18] = '2026-02-30';
      else last.data.validTo = '2026-02-30';
    };
    const refused = await engine.syncNow();
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('bad_response');
    expect(refused.error?.message).toMatch(/changes\[\d+\]\.data\.validTo.*整页已拒收/);
    expect(engine.getSnapshot().lastError?.message).toContain('整页已拒收');
    expect(await state()).toEqual(before);
    const mirrorAfter = await mirrorRecords(db);
    const edited = `R${String(100 + round * 10).padStart(8, '0')}`;
    expect(mirrorAfter.get(edited)).toEqual(mirrorBefore.get(edited));
    // The next (good) answer is applied.
    const ok = await engine.syncNow();
    expect(ok.ok).toBe(true);
    expect(engine.getSnapshot().lastError).toBeNull();
    await expectEqualToPlatform();
  });

  it('measures and matters follow the platform', async () => {
    const measure = (await db.measures.toArray())[0];
    if (!measure) throw new Error('no measure');
    await platform.admin.command({ op: 'putMeasure', measure: { ...measure, id: 'TEST-M1', content: '测试措施' } });
    await platform.admin.command({ op: 'delete', kind: 'matter', id: (await db.matters.toArray()).at(-1)?.id ?? '' });
    expect((await engine.syncNow()).ok).toBe(true);
    expect(await db.measures.get('TEST-M1')).toMatchObject({ content: '测试措施' });
    await expectEqualToPlatform();
  });
});

async function verdictFor(identifier: string, type: SubjectType = '法人') {
  const { records, linked } = await counterRecords(db, type, identifier);
  const matter = (await db.matters.toArray()).find((m) => m.id === 'SCJG-01') ?? (await db.matters.toArray())[0];
  if (!matter) throw new Error('no matter');
  return computeVerdict({
    subject: { type, identifier },
    matter,
    department: '市场监督管理局',
    now: NOW,
    records,
    linked,
    measures: await db.measures.toArray(),
    commitments: [],
    mirrorAsOf: NOW,
  });
}

describe('verdicts after a pull', () => {
  it('a removed, a repaired and a deleted record leave the verdicts after the next pull', async () => {
    const black = await verdictFor(DEMO.blackCompany.identifier);
    expect(black.hits.map((h) => h.record.id)).toContain('DEMO-R01');
    const conflict = await verdictFor(DEMO.conflictCompany.identifier);
    expect(conflict.hits.map((h) => h.record.id)).toContain('DEMO-R07');
    expect((await lookupIdentifier(db, DEMO.watchCompany.identifier)).subject.map((r) => r.id)).toContain('DEMO-R09');

    await platform.admin.command({ op: 'remove', id: 'DEMO-R01' });
    await platform.admin.command({ op: 'repair', id: 'DEMO-R07' });
    await platform.admin.command({ op: 'delete', kind: 'record', id: 'DEMO-R09' });
    expect((await engine.syncNow()).ok).toBe(true);

    const black2 = await verdictFor(DEMO.blackCompany.identifier);
    expect(black2.hits.map((h) => h.record.id)).not.toContain('DEMO-R01');
    expect(black2.setAside.find((s) => s.record.id === 'DEMO-R01')?.reason).toBe('removed');
    const conflict2 = await verdictFor(DEMO.conflictCompany.identifier);
    expect(conflict2.hits.map((h) => h.record.id)).not.toContain('DEMO-R07');
    expect(conflict2.setAside.find((s) => s.record.id === 'DEMO-R07')?.reason).toBe('repaired');
    expect((await lookupIdentifier(db, DEMO.watchCompany.identifier)).subject.map((r) => r.id)).not.toContain('DEMO-R09');
    await expectEqualToPlatform();
  });
});

describe('start over', () => {
  it('a compacted log (410 cursor_too_old) rebuilds the mirror; the old one serves meanwhile; local records stay', async () => {
    const check = makePushItems(1, 77)[0]?.payload.record as CheckRecord;
    // A local record with its outbox entry, as the counter writes them (without a sign-in).
    await db.transaction('rw', [db.checks, db.outbox, db.meta], async () => {
      await db.checks.add(check);
      await enqueue(db, { kind: 'check', record: check }, check.createdAt);
    });
    const outboxBefore = await db.outbox.count();
    const checksBefore = await db.checks.count();
    await edits(4);
    await platform.admin.command({ op: 'compact' });

    const seen: SyncStatus['load'][] = [];
    const lookups: Promise<number>[] = [];
    const unsubscribe = engine.subscribe(() => {
      const s = engine.getSnapshot();
      if (s.load && seen[seen.length - 1] !== s.load) {
        seen.push(s.load);
        // While the new generation is built, the counter still finds records in the old one.
        if (s.load.stage === 'build' && lookups.length === 0) lookups.push(lookupIdentifier(db, DEMO.blackCompany.identifier).then((h) => h.subject.length));
      }
    });
    const outcome = await engine.syncNow();
    unsubscribe();
    expect(outcome.ok).toBe(true);
    expect(seen[0]).toMatchObject({ reason: 'reset' });
    expect(seen[0]?.message).toContain('重新下载');
    expect(seen.some((l) => l?.stage === 'build')).toBe(true);
    expect(await Promise.all(lookups)).toEqual([expect.any(Number)]);
    expect((await Promise.all(lookups))[0]).toBeGreaterThan(0);
    await expectEqualToPlatform();
    expect(await db.checks.count()).toBe(checksBefore);
    expect(await db.outbox.count()).toBe(outboxBefore);
    expect(await db.outbox.get(`check:${check.id}`)).toMatchObject({ state: 'accepted' });
    const received = await platform.admin.received();
    expect(received.filter((r) => r.id === `check:${check.id}`)).toHaveLength(1);
  });

  it('a new data schema on the platform (410 schema_changed) rebuilds the mirror too', async () => {
    await platform.admin.command({ op: 'setSchemaVersion', version: 2 });
    let reason: string | undefined;
    const unsubscribe = engine.subscribe(() => {
      reason ??= engine.getSnapshot().load?.message;
    });
    expect((await engine.syncNow()).ok).toBe(true);
    unsubscribe();
    expect(reason).toContain('数据格式已更新');
    await expectEqualToPlatform();
    expect((await syncPosition(db)).pull?.cursor).toMatch(/^2\./);
  });
});
