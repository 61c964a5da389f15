/**
 * The reference platform's data rules in-process (no HTTP): snapshots, resets, compaction,
 * idempotent push, the commands that move the world, enrolment, persistence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePage, type Change, type PullPage } from '../../shared/sync/protocol';
import { CommandError } from './commands';
import { MemoryMirror } from './digest';
import { makePushItems, pushItem } from './fixtures';
import { PlatformStore, decodeCursor, type Device } from './store';

const TODAY = '2026-11-20';
let store: PlatformStore;
let device: Device;

function openStore(file = ':memory:', records = 400): PlatformStore {
  return PlatformStore.open({ file, seed: { records, seed: 5 }, today: TODAY });
}

function enrolDevice(s: PlatformStore): Device {
  const enrolled = s.enrol({ code: s.createEnrolCode(), deviceName: '测试机' });
  if (!enrolled.ok) throw new Error(enrolled.error);
  const found = s.authenticate(enrolled.value.token);
  if (found === undefined) throw new Error('token not accepted');
  return found;
}

/** One pull as the client sees it: through JSON and parsePage. */
function pull(s: PlatformStore, after: string | null, limit = 100): PullPage | { reset: string } {
  const answer = s.pull({ limit, ...(after === null ? {} : { after }) });
  if (answer.kind === 'reset') return { reset: answer.reason };
  const parsed = parsePage(JSON.parse(JSON.stringify(answer.page)));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function page(s: PlatformStore, after: string | null, limit = 100): PullPage {
  const p = pull(s, after, limit);
  if ('reset' in p) throw new Error(`unexpected reset: ${p.reset}`);
  return p;
}

/** Pulls to the end; returns every change seen, in order. */
function drain(s: PlatformStore, mirror: MemoryMirror, limit = 100): Change[] {
  const seen: Change[] = [];
  for (;;) {
    const p = page(s, mirror.cursor, limit);
    for (const c of p.changes) {
      mirror.apply(c);
      seen.push(c);
    }
    mirror.cursor = p.nextCursor;
    if (!p.hasMore) return seen;
  }
}

beforeEach(() => {
  store = openStore();
  device = enrolDevice(store);
});

afterEach(() => {
  store.close();
});

describe('pull', () => {
  it('is seeded with the sample measures and matters, the demo records and the generated ones', () => {
    expect(store.stats()).toMatchObject({ records: 409, matters: 14 });
    expect(store.record('DEMO-R04')).toMatchObject({ objection: 'pending', version: 1 });
  });

  it('a first load that pages while records change ends in the consistent state at snapshotSeq', () => {
    const atStart = store.digest();
    const first = page(store, null, 100);
    expect(first.snapshotSeq).toBe(atStart.highSeq);
    const mirror = new MemoryMirror();
    for (const c of first.changes) mirror.apply(c);
    mirror.cursor = first.nextCursor;

    // Edits while the load is under way, to records in pages not read yet.
    store.apply({ op: 'change', id: 'R00000300', patch: { reason: '更正后的列入事由' } });
    store.apply({ op: 'delete', id: 'R00000350' });
    store.apply({ op: 'repair', id: 'DEMO-R01' });

    const rest = drain(store, mirror, 100);
    const snapshot = new MemoryMirror();
    for (const c of [...first.changes, ...rest]) if (c.seq <= atStart.highSeq) snapshot.apply(c);
    expect(snapshot.digest()).toEqual({ count: atStart.count, digest: atStart.digest });
    expect(mirror.digest().digest).toBe(store.digest().digest);
  });

  it('every page of a first load carries snapshotSeq; the pages after it do not', () => {
    const mirror = new MemoryMirror();
    const pages: PullPage[] = [];
    for (;;) {
      const p = page(store, mirror.cursor, 200);
      pages.push(p);
      mirror.cursor = p.nextCursor;
      if (!p.hasMore) break;
    }
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((p) => p.snapshotSeq === store.highSeq())).toBe(true);
    store.apply({ op: 'remove', id: 'R00000001' });
    const next = page(store, mirror.cursor);
    expect(next.snapshotSeq).toBeUndefined();
    expect(next.changes).toHaveLength(1);
  });

  it('serves the same pages as JSON bytes (stored JSON spliced in) as it does as objects, tombstones and resets included', () => {
    store.apply({ op: 'delete', kind: 'record', id: 'R00000002' });
    const cursors: (string | undefined)[] = [undefined];
    for (let after: string | undefined; ; ) {
      const objects = store.pull({ limit: 150, ...(after === undefined ? {} : { after }) });
      const text = store.pullBytes({ limit: 150, ...(after === undefined ? {} : { after }) });
      if (objects.kind !== 'page' || text.kind !== 'page') throw new Error('unexpected reset');
      expect(JSON.parse(text.bytes.toString('utf8'))).toStrictEqual(JSON.parse(JSON.stringify(objects.page)));
      if (!objects.page.hasMore) break;
      after = objects.page.nextCursor;
      cursors.push(after);
    }
    expect(cursors.length).toBeGreaterThan(2);
    expect(store.pullBytes({ limit: 10, after: 'garbled' })).toEqual({ kind: 'reset', reason: 'cursor_unknown' });
  });

  /** Every page of a load in `format`, through parsePage, with the bytes it took. */
  function loadPages(s: PlatformStore, format: 'full' | 'compact'): { pages: PullPage[]; bytes: number } {
    const pages: PullPage[] = [];
    let bytes = 0;
    for (let after: string | undefined; ; ) {
      const answer = s.pullBytes({ limit: 150, format, ...(after === undefined ? {} : { after }) });
      if (answer.kind !== 'page') throw new Error('unexpected reset');
      bytes += answer.bytes.length;
      const parsed = parsePage(JSON.parse(answer.bytes.toString('utf8')));
      if (!parsed.ok) throw new Error(parsed.error.message);
      pages.push(parsed.value);
      if (!parsed.value.hasMore) break;
      after = parsed.value.nextCursor;
    }
    return { pages, bytes };
  }

  it('serves compact pages that read as exactly the full ones, in ASCII and fewer bytes', () => {
    store.apply({ op: 'delete', kind: 'record', id: 'R00000002' });
    store.apply({ op: 'remove', id: 'R00000003' });
    store.apply({ op: 'change', id: 'R00000004', patch: { reason: '新的列入事由' } });
    const full = loadPages(store, 'full');
    const compact = loadPages(store, 'compact');
    expect(compact.pages).toStrictEqual(full.pages);
    const kinds = new Set(full.pages.flatMap((p) => p.changes.map((c) => `${c.kind} ${c.op}`)));
    expect(kinds).toEqual(new Set(['record upsert', 'record delete', 'measure upsert', 'matter upsert']));
    // 400 records beside the 57 measures and 14 matters, whose long texts take 6 bytes a
    // character escaped; a load of list records alone comes to ~0.6 of the full bytes.
    expect(compact.bytes).toBeLessThan(full.bytes * 0.75);
    const first = store.pullBytes({ limit: 150, format: 'compact' });
    if (first.kind !== 'page') throw new Error('unexpected reset');
    expect(first.bytes.every((b) => b < 0x80)).toBe(true);
    const raw = JSON.parse(first.bytes.toString('utf8')) as { changes: unknown[]; texts: Record<string, string> };
    expect(raw.changes.some((c) => Array.isArray(c))).toBe(true);
    expect(Object.keys(raw.texts).length).toBeGreaterThan(0);
  });

  it('fills in the compact form of a log written by layout 1 when it opens it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hechatai-layout-'));
    try {
      const file = join(dir, 'platform.sqlite');
      const old = openStore(file, 120);
      old.apply({ op: 'change', id: 'R00000004', patch: { reason: '新的列入事由' } });
      const before = loadPages(old, 'full');
      old.db.exec('ALTER TABLE changes DROP COLUMN row; ALTER TABLE changes DROP COLUMN refs; DROP TABLE texts; PRAGMA user_version = 1');
      old.close();
      const reopened = PlatformStore.open({ file, today: TODAY });
      try {
        expect(reopened.db.pragma('user_version', { simple: true })).toBe(2);
        expect(loadPages(reopened, 'compact').pages).toStrictEqual(before.pages);
        expect(loadPages(reopened, 'full').pages).toStrictEqual(before.pages);
      } finally {
        reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cursor of another data schema version is reset; a first load then reads the new version', () => {
    const mirror = new MemoryMirror();
    drain(store, mirror, 1000);
    store.apply({ op: 'setSchemaVersion', version: 2 });
    expect(pull(store, mirror.cursor)).toEqual({ reset: 'schema_changed' });
    expect(page(store, null).schemaVersion).toBe(2);
  });

  it('a cursor the platform never issued (garbled, or from before a restore) is reset', () => {
    expect(pull(store, 'hello')).toEqual({ reset: 'cursor_unknown' });
    expect(pull(store, `1.${store.highSeq() + 10}`)).toEqual({ reset: 'cursor_unknown' });
    expect(decodeCursor(page(store, null, 10).nextCursor)).toMatchObject({ schema: 1, seq: expect.any(Number) as number });
  });

  it('compaction leaves one change per entity and the same state for a load from scratch', () => {
    for (let i = 0; i < 3; i++) store.apply({ op: 'change', id: 'R00000002', patch: { reason: `第${i}次更正` } });
    store.apply({ op: 'delete', id: 'R00000003' });
    const before = store.digest();
    const result = store.compact();
    expect(result.removed).toBe(3 + 2); // three superseded versions of R2; R3's version 1 and its tombstone
    expect(store.stats()).toMatchObject({ changes: before.count });
    const mirror = new MemoryMirror();
    drain(store, mirror, 100);
    expect(mirror.digest().digest).toBe(before.digest);
  });
});

describe('push', () => {
  it('is idempotent on the id, within a batch and across batches', () => {
    const [a, b] = makePushItems(2);
    if (a === undefined || b === undefined) throw new Error('fixture');
    expect(store.push(device, [a, a, b]).map((o) => o.status)).toEqual(['accepted', 'duplicate', 'accepted']);
    expect(store.push(device, [b])).toEqual([{ id: b.id, status: 'duplicate' }]);
    // Same id, other content: still a duplicate (the first one stands), and said so.
    const changed = structuredClone(a);
    if (changed.payload.kind === 'check') changed.payload.record.clerk = '另一位窗口人员';
    const [again] = store.push(device, [changed]);
    expect(again?.status).toBe('duplicate');
    expect(again?.reason).toContain('以首次接收的为准');
    expect(store.received()).toHaveLength(2);
  });

  it('takes a commitment again when it ends: each state is its own event', () => {
    const made = makePushItems(3, 8).find((i) => i.payload.kind === 'commitment');
    if (made?.payload.kind !== 'commitment') throw new Error('fixture');
    const supplied = pushItem({ kind: 'commitment', record: { ...made.payload.record, status: 'supplied', suppliedAt: 2 } });
    expect(supplied.id).not.toBe(made.id);
    expect(store.push(device, [made, supplied, made]).map((o) => o.status)).toEqual(['accepted', 'accepted', 'duplicate']);
  });

  it('rejects one bad record alone, keeps nothing of it, and accepts it once corrected', () => {
    const [good, template] = makePushItems(2, 4);
    if (good === undefined || template?.payload.kind !== 'feedback') throw new Error('fixture');
    const bad = pushItem({ kind: 'feedback', record: { ...template.payload.record, measureId: 'CF-1999-999' } });
    const malformed = { id: 'check:x', payload: { kind: 'check', record: { id: 'x' } } };
    const outcomes = store.push(device, [bad, good, malformed]);
    expect(outcomes.map((o) => [o.status, o.code])).toEqual([
      ['rejected', 'unknown_measure'],
      ['accepted', undefined],
      ['rejected', 'invalid_record'],
    ]);
    expect(outcomes[0]?.reason).toContain('CF-1999-999');
    const fixed = pushItem({ kind: 'feedback', record: { ...template.payload.record, measureId: 'CF-2024-001' } });
    expect(fixed.id).toBe(bad.id);
    expect(store.push(device, [fixed])[0]?.status).toBe('accepted');
  });

  it('refuses an id that is not outboxId(payload), and objections to records it does not have', () => {
    const [item] = makePushItems(4, 6).filter((i) => i.payload.kind === 'objection');
    if (item?.payload.kind !== 'objection') throw new Error('fixture');
    expect(store.push(device, [{ ...item, id: 'objection:other' }])[0]).toMatchObject({ status: 'rejected', code: 'id_mismatch' });
    const ghost = pushItem({ kind: 'objection', record: { ...item.payload.record, recordId: 'R99999999' } });
    expect(store.push(device, [ghost])[0]).toMatchObject({ status: 'rejected', code: 'unknown_record' });
  });
});

describe('commands', () => {
  it('each edit of a list record is a new version', () => {
    expect(store.apply({ op: 'expire', id: 'DEMO-R05' }).data).toMatchObject({ version: 2, validTo: '2026-11-19' });
    expect(store.apply({ op: 'repair', id: 'DEMO-R01', on: '2026-11-01' }).data).toMatchObject({ version: 2, repairedOn: '2026-11-01' });
    expect(store.apply({ op: 'remove', id: 'DEMO-R01' }).data).toMatchObject({ version: 3, removedOn: TODAY });
    const changed = store.apply({ op: 'change', id: 'DEMO-R01', patch: { removedOn: null, severity: '一般' } });
    expect(changed.data).toMatchObject({ version: 4, severity: '一般' });
    expect(changed.data).not.toHaveProperty('removedOn');
  });

  it('an objection goes pending → rejected or upheld, and only from the right state', () => {
    expect(store.apply({ op: 'objection', id: 'DEMO-R07', action: 'raise' }).data).toMatchObject({ objection: 'pending' });
    expect(() => store.apply({ op: 'objection', id: 'DEMO-R07', action: 'raise' })).toThrow(CommandError);
    expect(store.apply({ op: 'objection', id: 'DEMO-R07', action: 'uphold' }).data).toMatchObject({ objection: 'upheld', version: 3 });
    expect(() => store.apply({ op: 'objection', id: 'DEMO-R07', action: 'reject' })).toThrow('没有处理中的异议');
  });

  it('adds a record, refuses a duplicate id and an edit that breaks the schema', () => {
    const base = store.record('DEMO-R09');
    if (base === undefined) throw new Error('fixture');
    const { version: _v, ...rest } = base;
    expect(store.apply({ op: 'add', record: { ...rest, id: 'NEW-1' } }).data).toMatchObject({ id: 'NEW-1', version: 1 });
    expect(() => store.apply({ op: 'add', record: { ...rest, id: 'NEW-1' } })).toThrow('已存在');
    expect(() => store.apply({ op: 'change', id: 'NEW-1', patch: { validTo: '2026-02-30' } })).toThrow('不合规');
    expect(() => store.apply({ op: 'remove', id: 'NOPE' })).toThrow('没有名单记录');
  });
});

describe('enrolment', () => {
  it('a code works once, an expired one not at all, and tokens are kept only as hashes', () => {
    const code = store.createEnrolCode('生态环境局', '河东区');
    const first = store.enrol({ code, deviceName: 'A' });
    expect(first).toMatchObject({ ok: true, value: { department: '生态环境局', district: '河东区' } });
    expect(store.enrol({ code, deviceName: 'B' })).toEqual({ ok: false, error: 'enrol_code_used' });
    expect(store.enrol({ code: 'ZZZZ-ZZZZ', deviceName: 'C' })).toEqual({ ok: false, error: 'enrol_code_invalid' });
    const rows = store.db.prepare('SELECT token_hash AS h FROM devices').all() as { h: string }[];
    if (first.ok) expect(rows.some((r) => r.h === first.value.token)).toBe(false);

    let now = Date.UTC(2026, 10, 20);
    const timed = PlatformStore.open({ file: ':memory:', clock: () => now });
    const short = timed.createEnrolCode('税务局', '兰山区', 10);
    now += 11 * 60_000;
    expect(timed.enrol({ code: short, deviceName: 'D' })).toEqual({ ok: false, error: 'enrol_code_expired' });
    timed.close();
  });
});

describe('persistence', () => {
  it('a reopened database is not seeded again and keeps its state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-store-'));
    try {
      const file = join(dir, 'platform.sqlite');
      const a = openStore(file, 100);
      a.apply({ op: 'remove', id: 'R00000005' });
      a.push(enrolDevice(a), makePushItems(3));
      const digest = a.digest();
      a.close();
      const b = openStore(file, 5000);
      expect(b.digest()).toEqual(digest);
      expect(b.received()).toHaveLength(3);
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('audit trail entries', () => {
  async function chain(n: number) {
    const { appendAudit } = await import('../../shared/domain/audit');
    const entries = [];
    let prev = null;
    for (let i = 0; i < n; i += 1) {
      prev = await appendAudit(prev, { at: 1_795_305_600_000 + i, actor: 'admin', role: '管理员', action: 'export', detail: { rows: i } });
      entries.push(prev);
    }
    return entries.map((entry) => ({
      id: `audit:ws-1:${entry.seq}`,
      payload: { kind: 'audit', record: { id: `ws-1:${entry.seq}`, chain: 'ws-1', entry } },
    }));
  }

  it('accepts a consistent chain and refuses an edited entry or a broken link', async () => {
    const [a, b, c] = await chain(3);
    expect(store.push(device, [a!, b!]).map((o) => o.status)).toEqual(['accepted', 'accepted']);

    const edited = structuredClone(c!);
    edited.payload.record.entry.detail = { rows: 99 };
    expect(store.push(device, [edited])[0]).toMatchObject({ status: 'rejected', code: 'audit_chain_broken' });

    // A different seq 3 whose hash is right but which does not follow the seq 2 received.
    const { appendAudit } = await import('../../shared/domain/audit');
    const other = await appendAudit({ ...b!.payload.record.entry, hash: 'f'.repeat(64) }, { at: 1, actor: 'x', role: null, action: 'sign-in-failed', detail: {} });
    const relinked = { id: 'audit:ws-1:3', payload: { kind: 'audit', record: { id: 'ws-1:3', chain: 'ws-1', entry: other } } };
    expect(store.push(device, [relinked])[0]).toMatchObject({ status: 'rejected', code: 'audit_chain_broken' });

    expect(store.push(device, [c!])[0]).toMatchObject({ status: 'accepted' });
  });
});
