/**
 * Three guarantees of the engine against the reference platform in another process:
 * - a delta page's list records, measures, matters and cursor are ONE transaction: a failure
 *   at the last write of the page (the cursor) leaves none of it, and the next pull applies
 *   all of it once;
 * - the push reads the outbox through its [state+seq] index, a batch of pending entries at a
 *   time, never the delivered history;
 * - a first load (or a reload after "start over") that the disk cannot hold is refused before
 *   anything is written, with a Chinese message, and the current mirror stays as it was.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measure } from '../../shared/domain/schemas';
import { outboxInState, type HechataiDb } from '../../renderer/db/database';
import { lookupIdentifier, mirrorState } from '../../renderer/db/mirror-store';
import { DEMO } from '../../shared/sample/demo';
import { memorySecretStore, syncPosition, type SyncEngine } from '../../renderer/sync/engine';
import { pendingBatch } from '../../renderer/sync/outbox-queue';
import { firstLoadQuotaProblem } from '../../renderer/sync/quota';
import { stagedPages } from '../../renderer/sync/state';
import { makePushItems } from '../platform/fixtures';
import { spawnPlatform, type SpawnedPlatform } from '../platform/spawn';
import { enqueueItems, enrol, freshDbName, makeEngine, mirrorDigest, mirrorRecords, openDb, payloadsOf } from './helpers';

let platform: SpawnedPlatform;
const opened: { db: HechataiDb; engine: SyncEngine }[] = [];

beforeAll(async () => {
  platform = await spawnPlatform({ records: 1200, seed: 41, today: '2026-11-20' });
}, 30_000);

afterAll(async () => {
  for (const o of opened) {
    await o.engine.dispose();
    o.db.close();
  }
  await platform.stop();
});

/** A tight disk: 100 KB free of 100 MB (a load of the test platform's ~1,300 records needs ~0.6 MB). */
const TIGHT = { quota: 100 * 2 ** 20, usage: 100 * 2 ** 20 - 100 * 1024 };

async function client(opts: { quotaShort?: () => boolean; deltaLimit?: number } = {}): Promise<{ db: HechataiDb; engine: SyncEngine }> {
  const db = openDb(freshDbName('guards'));
  const short = opts.quotaShort;
  const engine = makeEngine(db, {
    secrets: memorySecretStore({ mode: 'encrypted', provider: 'test' }),
    tuning: { loadLimit: 400, deltaLimit: opts.deltaLimit ?? 50, pushBatch: 25, pushReadAhead: 2 },
    ...(short ? { quotaCheck: (records: number) => firstLoadQuotaProblem(records, async () => (short() ? TIGHT : { quota: 2 ** 40, usage: 0 })) } : {}),
  });
  await enrol(engine, platform);
  opened.push({ db, engine });
  return { db, engine };
}

async function expectEqualToPlatform(db: HechataiDb): Promise<void> {
  const theirs = await platform.admin.digest();
  expect(await mirrorDigest(db)).toEqual({ count: theirs.count, digest: theirs.digest });
}

/**
 * Makes IndexedDB throw at the put of the given meta key (the sync cursor is the last write of
 * a page), once, while `arm` is set: a failure after every other write of the page was made.
 */
function failMetaPutOnce(key: string): { armed: boolean; fired: number; restore(): void } {
  const proto = IDBObjectStore.prototype;
  const original = proto.put;
  const ctl = {
    armed: true,
    fired: 0,
    restore: () => {
      proto.put = original;
    },
  };
  proto.put = function (this: IDBObjectStore, value: unknown, k?: IDBValidKey) {
    if (ctl.armed && this.name === 'meta' && (value as { key?: unknown } | null)?.key === key) {
      ctl.armed = false;
      ctl.fired++;
      throw new Error('模拟：写入同步位置时断电');
    }
    return original.call(this, value, k);
  } as typeof proto.put;
  return ctl;
}

describe('a delta page is one transaction', () => {
  it('a failure at the cursor write keeps none of the page (records, measures, matters); the next pull applies it once', async () => {
    const { db, engine } = await client();
    expect((await engine.syncNow()).ok).toBe(true);
    const measure = (await db.measures.toArray())[0] as Measure;
    const matterId = (await db.matters.toArray()).at(-1)?.id as string;
    // One page (deltaLimit 50) with a record change, a new measure and a deleted matter.
    await platform.admin.command({ op: 'change', id: 'R00000005', patch: { reason: '同一页中的名单修改' } });
    await platform.admin.command({ op: 'putMeasure', measure: { ...measure, id: 'TX-M1', content: '同一页中的措施' } });
    await platform.admin.command({ op: 'delete', kind: 'matter', id: matterId });

    const before = { position: await syncPosition(db), digest: await mirrorDigest(db), records: await mirrorRecords(db) };
    const crash = failMetaPutOnce('sync.pull');
    let failed;
    try {
      failed = await engine.syncNow();
    } finally {
      crash.restore();
    }
    expect(crash.fired).toBe(1);
    expect(failed.ok).toBe(false);
    expect(failed.error?.code).toBe('local_error');
    // Nothing of the page: not the measure, not the matter's deletion, not the record, not the cursor.
    expect(await db.measures.get('TX-M1')).toBeUndefined();
    expect(await db.matters.get(matterId)).toBeDefined();
    expect((await mirrorRecords(db)).get('R00000005')).toEqual(before.records.get('R00000005'));
    expect(await syncPosition(db)).toEqual(before.position);
    expect(await mirrorDigest(db)).toEqual(before.digest);

    // The page again: everything of it, once.
    expect((await engine.syncNow()).ok).toBe(true);
    expect(await db.measures.get('TX-M1')).toMatchObject({ content: '同一页中的措施' });
    expect(await db.matters.get(matterId)).toBeUndefined();
    expect((await mirrorRecords(db)).get('R00000005')?.reason).toBe('同一页中的名单修改');
    expect((await mirrorState(db)).deltaCount).toBe(1);
    await expectEqualToPlatform(db);
  });
});

describe('the push reads pending entries through [state+seq]', () => {
  it('reads pending entries a few batches at a time (pushReadAhead), in order, never the delivered ones', async () => {
    const { db, engine } = await client();
    expect((await engine.syncNow()).ok).toBe(true);
    // A history of 300 delivered entries, then 60 pending ones.
    await enqueueItems(db, payloadsOf(makePushItems(300, 51)));
    expect((await engine.syncNow()).ok).toBe(true);
    const later = await enqueueItems(db, payloadsOf(makePushItems(60, 52)));
    expect(await outboxInState(db, 'accepted').count()).toBe(300);

    // pendingBatch: only pending entries, in seq order, after a seq, at most `limit`.
    const first = await pendingBatch(db, -Infinity, 25);
    expect(first.map((e) => e.id)).toEqual(later.slice(0, 25).map((e) => e.id));
    const next = await pendingBatch(db, (first.at(-1) as { seq: number }).seq, 100);
    expect(next.map((e) => e.id)).toEqual(later.slice(25).map((e) => e.id));

    // What the push reads from the outbox: every read goes through the index, two batches of 25 at a time.
    const reads: { index: string; rows: number }[] = [];
    const proto = IDBIndex.prototype;
    const getAll = proto.getAll;
    proto.getAll = function (this: IDBIndex, ...args: Parameters<typeof getAll>) {
      const request = getAll.apply(this, args);
      if (this.objectStore.name === 'outbox') {
        request.addEventListener('success', () => reads.push({ index: this.name, rows: (request.result as unknown[]).length }));
      }
      return request;
    } as typeof getAll;
    const storeGetAll = IDBObjectStore.prototype.getAll;
    let wholeStoreReads = 0;
    IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<typeof storeGetAll>) {
      if (this.name === 'outbox') wholeStoreReads++;
      return storeGetAll.apply(this, args);
    } as typeof storeGetAll;
    let outcome;
    try {
      outcome = await engine.syncNow();
    } finally {
      proto.getAll = getAll;
      IDBObjectStore.prototype.getAll = storeGetAll;
    }
    expect(outcome.ok).toBe(true);
    expect(wholeStoreReads).toBe(0);
    const pushReads = reads.filter((r) => r.index === '[state+seq]');
    expect(pushReads.map((r) => r.rows)).toEqual([50, 10]);
    expect(reads.every((r) => r.index === '[state+seq]' || r.index === 'id')).toBe(true);
    expect(await outboxInState(db, 'accepted').count()).toBe(360);
    const received = new Set((await platform.admin.received()).map((r) => r.id));
    for (const e of later) expect(received.has(e.id)).toBe(true);
  });
});

describe('free space before a first load', () => {
  it('a first load the disk cannot hold is refused before anything is written', async () => {
    let short = true;
    const { db, engine } = await client({ quotaShort: () => short });
    const refused = await engine.syncNow();
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('quota_short');
    expect(refused.error?.message).toMatch(/^磁盘空间不足，未开始下载名单：平台共有约 [\d,]+ 条名单，下载并建立本机名单约需 [\d,]+ MB，当前可用约 1 MB。/);
    expect(refused.error?.message).toContain('本机现有名单保持不变');
    expect(engine.getSnapshot().lastError?.code).toBe('quota_short');
    expect(engine.getSnapshot().load).toBeNull();
    expect(await stagedPages(db)).toBe(0);
    expect((await mirrorState(db)).records).toBe(0);
    expect((await syncPosition(db)).pull).toBeNull();

    short = false;
    expect((await engine.syncNow()).ok).toBe(true);
    await expectEqualToPlatform(db);
  });

  it('a reload after "start over" the disk cannot hold leaves the current mirror serving as it was', async () => {
    let short = false;
    const { db, engine } = await client({ quotaShort: () => short });
    expect((await engine.syncNow()).ok).toBe(true);
    const before = { position: await syncPosition(db), digest: await mirrorDigest(db), state: await mirrorState(db) };
    expect(before.state.records).toBeGreaterThan(1000);

    await platform.admin.command({ op: 'setSchemaVersion', version: 2 });
    short = true;
    const refused = await engine.syncNow();
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('quota_short');
    expect(refused.error?.message).toContain('磁盘空间不足');
    expect(await stagedPages(db)).toBe(0);
    expect(await mirrorDigest(db)).toEqual(before.digest);
    expect(await mirrorState(db)).toEqual(before.state);
    expect((await syncPosition(db)).pull).toEqual(before.position.pull);
    expect((await lookupIdentifier(db, DEMO.blackCompany.identifier)).subject.length).toBeGreaterThan(0);

    short = false;
    expect((await engine.syncNow()).ok).toBe(true);
    await expectEqualToPlatform(db);
    expect((await syncPosition(db)).pull?.cursor).toMatch(/^2\./);
  });
});
