/**
 * The outbox reaches the platform exactly once, whatever the network does: 1,000 records
 * pushed by the engine (running on its own timer, with its own backoff) against the reference
 * platform in another process that drops connections, answers 500, 429 / 503 with Retry-After,
 * and loses replies after committing. Rejected records are answered per record and never block
 * the queue; the clerk resubmits or withdraws them.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxPayload } from '../../shared/sync/outbox';
import { makePushItems } from '../platform/fixtures';
import { spawnPlatform, type SpawnedPlatform } from '../platform/spawn';
import { enqueueItems, enrol, freshDbName, makeEngine, mirrorDigest, openDb, payloadsOf, waitFor } from './helpers';
import { outboxInState } from '../../renderer/db/database';

const RECORDS = Number(process.env.SYNC_TEST_PUSH ?? 1000);
const PLATFORM_RECORDS = 300;

let platform: SpawnedPlatform;

beforeAll(async () => {
  platform = await spawnPlatform({ records: PLATFORM_RECORDS, seed: 11, today: '2026-11-20' });
}, 30_000);

afterAll(async () => {
  await platform.stop();
});

/** A check for a matter the platform does not know: rejected with unknown_matter. */
function unknownMatter(payload: OutboxPayload, i: number): OutboxPayload {
  if (payload.kind !== 'check') throw new Error('expected a check');
  return { kind: 'check', record: { ...payload.record, id: `bad-${i}-${payload.record.id}`, matterId: 'XX-99' } };
}

describe('push under faults', () => {
  it(`${RECORDS} records arrive exactly once; rejected ones are answered per record and never block the queue`, async () => {
    const db = openDb(freshDbName('push'));
    const engine = makeEngine(db, { tuning: { pushBatch: 40, loadLimit: 200, countsPollMs: 50, pushSoonMs: 5 } });
    await enrol(engine, platform);

    const good = payloadsOf(makePushItems(RECORDS, 5));
    const checks = good.filter((p) => p.kind === 'check');
    const bad = checks.slice(0, 10).map(unknownMatter);
    // Interleave the bad ones through the queue: each sits between good records.
    const queue: OutboxPayload[] = [];
    good.forEach((p, i) => {
      queue.push(p);
      if (i % Math.floor(RECORDS / 10) === 7 && bad.length > 0) queue.push(bad.shift() as OutboxPayload);
    });
    queue.push(...bad);
    await enqueueItems(db, queue);
    await engine.refreshCounts();
    expect(engine.getSnapshot().pending).toBe(RECORDS + 10);

    await platform.admin.setFaults({ drop: 0.12, error5xx: 0.12, loseReply: 0.15, overload: 0.06, retryAfterSeconds: 0, seed: 42 });
    await engine.start();
    const done = await waitFor(engine, (s) => s.pending === 0 && s.load === null && s.mirrorCompleteAt !== null, 60_000);
    await engine.stop();
    await platform.admin.setFaults({});

    // Exactly once on the platform.
    const stats = await platform.admin.stats();
    const received = await platform.admin.received();
    const ids = new Set(received.map((r) => r.id));
    expect(stats.received).toBe(RECORDS);
    expect(received).toHaveLength(RECORDS);
    expect(ids.size).toBe(RECORDS);
    const sent = await db.outbox.toArray();
    const accepted = sent.filter((e) => e.state === 'accepted');
    expect(accepted).toHaveLength(RECORDS);
    expect(new Set(accepted.map((e) => e.id))).toEqual(ids);
    // The faults really happened, including replies lost after the platform committed.
    expect(stats.faultCounters.dropped).toBeGreaterThan(0);
    expect(stats.faultCounters.errors5xx).toBeGreaterThan(0);
    expect(stats.faultCounters.lostReplies).toBeGreaterThan(0);
    expect(stats.faultCounters.overloaded).toBeGreaterThan(0);
    expect(accepted.some((e) => e.attempts > 1)).toBe(true);

    // The 10 rejected: kept with the platform's reason, listed for the clerk.
    expect(done.rejected).toBe(10);
    const rejected = await engine.listRejected();
    expect(rejected).toHaveLength(10);
    for (const e of rejected) {
      expect(e.rejectCode).toBe('unknown_matter');
      expect(e.lastError).toContain('XX-99');
    }
    // Sorted in queue order, and the queue went on past each of them.
    expect(rejected.map((e) => e.seq)).toEqual([...rejected.map((e) => e.seq)].sort((a, b) => a - b));
    const maxSeq = Math.max(...sent.map((e) => e.seq));
    expect(sent.filter((e) => e.seq > (rejected[0]?.seq ?? maxSeq) && e.state === 'accepted').length).toBeGreaterThan(RECORDS / 2);

    // Meanwhile the mirror was loaded under the same faults: it equals the platform.
    const theirs = await platform.admin.digest();
    expect(await mirrorDigest(db)).toEqual({ count: theirs.count, digest: theirs.digest });

    // The clerk fixes half (the platform gets the matter) and resubmits; withdraws the rest.
    const matters = await db.matters.toArray();
    await platform.admin.command({ op: 'putMatter', matter: { ...(matters[0] as (typeof matters)[0]), id: 'XX-99', name: '测试事项' } });
    const ids5 = rejected.slice(0, 5).map((e) => e.id);
    expect(await engine.resubmit(ids5)).toBe(5);
    expect(await engine.withdraw(rejected.slice(5).map((e) => e.id))).toBe(5);
    expect(engine.getSnapshot()).toMatchObject({ pending: 5, rejected: 0 });
    const outcome = await engine.syncNow();
    expect(outcome.ok).toBe(true);
    expect(engine.getSnapshot()).toMatchObject({ pending: 0, rejected: 0, lastError: null });
    expect((await platform.admin.stats()).received).toBe(RECORDS + 5);
    expect(await outboxInState(db, 'withdrawn').count()).toBe(5);
    // The new matter came down with the same cycle.
    expect(await db.matters.get('XX-99')).toMatchObject({ name: '测试事项' });
    await engine.dispose();
    db.close();
  }, 90_000);
});
