/**
 * The first load, interrupted 20 times at random points, against the reference platform in
 * another process whose content keeps changing meanwhile. Half the interruptions stop the
 * engine (abort), half close the database under it (as a crash or a closed window would).
 *
 * What happens after an interruption (honestly):
 * - during the DOWNLOAD the load RESUMES: every page was staged with the load's cursor in one
 *   transaction, so the next engine continues from the last staged page (the platform sees
 *   exactly one request without a cursor in the whole test);
 * - during the BUILD of the new mirror generation it RESTARTS the build, from the staged pages
 *   (no network); the partial generation is removed;
 * - after the switch (new generation current, records changed during the load not yet
 *   applied) it finishes from the staged pages.
 * In the end the mirror equals the platform (same digest as GET /admin/digest).
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListRecord } from '../../shared/domain/schemas';
import type { SyncStatus } from '../../shared/sync/engine-core';
import { recordId } from '../../shared/sample/generator';
import { Prng, hash32 } from '../../shared/sample/prng';
import type { HechataiDb } from '../../renderer/db/database';
import { mirrorState } from '../../renderer/db/mirror-store';
import { hash32 as idHash } from '../../renderer/db/run-builder';
import { memorySecretStore, syncPosition, type SyncEngine } from '../../renderer/sync/engine';
import { SeenIds } from '../../renderer/sync/seen-ids';
import { spawnPlatform, type SpawnedPlatform } from '../platform/spawn';
import { enrol, freshDbName, makeEngine, mirrorDigest, openDb, tapFactory } from './helpers';

const RECORDS = Number(process.env.SYNC_TEST_RECORDS ?? 3000);
const INTERRUPTIONS = 20;
const LOAD_LIMIT = 150;

let platform: SpawnedPlatform;

beforeAll(async () => {
  platform = await spawnPlatform({ records: RECORDS, seed: 21, today: '2026-11-20' });
}, 30_000);

afterAll(async () => {
  await platform.stop();
});

/** download: the generation is built while the pages arrive; downloaded: right after the last page; build: from the staged pages. */
type Stage = 'download' | 'downloaded' | 'build' | 'switch';

describe('first load interrupted at random points', () => {
  it(`resumes the download, restarts the build, and ends equal to the platform after ${INTERRUPTIONS} interruptions`, async () => {
    const rng = new Prng(hash32(2026));
    const name = freshDbName('first-load');
    const secrets = memorySecretStore({ mode: 'encrypted', provider: 'test' });
    const factory = tapFactory();
    const engineFor = (db: HechataiDb, hooks?: { afterSwitch?: () => Promise<void>; downloaded?: () => Promise<void> }): SyncEngine =>
      makeEngine(db, { secrets, adapterFactory: factory, tuning: { loadLimit: LOAD_LIMIT }, ...(hooks ? { hooks } : {}) });

    let db = openDb(name);
    await enrol(engineFor(db), platform);
    const stats = await platform.admin.stats();
    const downloadPages = Math.ceil(stats.changes / LOAD_LIMIT);

    // The plan: interruptions during the download first (the generation is being built from the
    // pages as they arrive: both stop), then right after the last page (the build's end is
    // interrupted: the load is left downloaded), then during the build from the staged pages,
    // the last one right after the switch (a load is over after that).
    const plan: { stage: Stage; at: number; how: 'abort' | 'close' }[] = [];
    for (let i = 0; i < INTERRUPTIONS; i++) {
      const stage: Stage = i < 9 ? 'download' : i === 9 ? 'downloaded' : i < INTERRUPTIONS - 1 ? 'build' : 'switch';
      const at = stage === 'download' ? 1 + rng.int(0, 1) : stage === 'build' ? 1 + rng.int(0, 12) : 0;
      plan.push({ stage, at, how: rng.chance(0.5) ? 'abort' : 'close' });
    }

    const seen: { stage: Stage; how: string; stagedBefore: number; stagedAfter: number; phase: string | undefined }[] = [];
    let edit = 0;
    for (const step of plan) {
      // The platform changes between (and so during) the interruptions: edits, removals, new
      // records, deletions: all must end up in the mirror.
      await platformEdits(platform, rng, ++edit);

      const before = await syncPosition(db);
      const ref: { engine?: SyncEngine } = {};
      let fired = false;
      const interrupt = (): void => {
        if (fired) return;
        fired = true;
        if (step.how === 'abort') void ref.engine?.stop();
        else db.close();
      };
      const crash = (what: string) => async (): Promise<void> => {
        interrupt();
        throw new Error(`simulated crash ${what}`);
      };
      const engine = engineFor(
        db,
        step.stage === 'switch'
          ? { afterSwitch: crash('right after the switch') }
          : step.stage === 'downloaded'
            ? { downloaded: crash('right after the last page') }
            : undefined,
      );
      ref.engine = engine;
      // Count progress made by THIS engine: a page staged, or a batch stored in the new generation.
      let events = 0;
      let last = `${before.load?.phase === 'download' ? 'download' : 'build'}:${before.load?.phase === 'download' ? before.load.lastSeq : 0}`;
      const unsubscribe = engine.subscribe(() => {
        const s: SyncStatus = engine.getSnapshot();
        if (!s.load || fired) return;
        const now = `${s.load.stage}:${s.load.done}`;
        if (now === last || s.load.done === 0) return;
        last = now;
        if (s.load.stage === step.stage && ++events >= step.at) interrupt();
      });
      const outcome = await engine.syncNow();
      unsubscribe();
      expect(outcome.ok, `step ${seen.length + 1} (${step.stage}/${step.how}) should have been interrupted`).toBe(false);
      expect(fired).toBe(true);
      await engine.dispose();
      if (!db.isOpen()) db = openDb(name);
      const after = await syncPosition(db);
      seen.push({ stage: step.stage, how: step.how, stagedBefore: before.load?.pages ?? 0, stagedAfter: after.load?.pages ?? 0, phase: after.load?.phase });
      // Never a half-built mirror: either the old state or the new generation, whole.
      expect(after.load, 'the load is still in progress').not.toBeNull();
    }

    // Every download interruption kept what was staged before it (resume, not restart).
    for (const s of seen.filter((x) => x.stage === 'download')) expect(s.stagedAfter).toBeGreaterThanOrEqual(s.stagedBefore);
    // The build interruptions left the load downloaded (the old mirror in place); the switch
    // interruption left the new generation current, waiting to finish.
    expect(new Set(seen.filter((x) => x.stage === 'build' || x.stage === 'downloaded').map((x) => x.phase))).toEqual(new Set(['downloaded']));
    expect(seen.filter((x) => x.stage === 'switch').map((x) => x.phase)).toEqual(['switched']);

    // An uninterrupted run finishes; then one more pull picks up the last edits.
    await platformEdits(platform, rng, edit + 1);
    const engine = engineFor(db);
    const outcome = await engine.syncNow();
    expect(outcome).toMatchObject({ ok: true });
    const final = await engine.syncNow();
    expect(final.ok).toBe(true);
    const theirs = await platform.admin.digest();
    expect(await mirrorDigest(db)).toEqual({ count: theirs.count, digest: theirs.digest });
    expect((await syncPosition(db)).load).toBeNull();
    expect(await db.meta.where('key').startsWith('sync.stage.').count()).toBe(0);

    // RESUMED: the whole test made exactly one request without a cursor (the first page).
    const pulls = factory.taps.flatMap((t) => t.pulls);
    expect(pulls.filter((p) => p.cursor === null)).toHaveLength(1);
    // At most one page fetched again per interruption (the one in flight when it struck).
    const loadPulls = pulls.filter((p) => p.result.kind === 'ok' && p.result.value.snapshotSeq !== undefined);
    expect(loadPulls.length).toBeLessThanOrEqual(downloadPages + 10 + INTERRUPTIONS);
    // One generation in use, none left behind.
    const state = await mirrorState(db);
    expect(state.gen).toBeGreaterThan(0);
    const gens = new Set((await db.mirrorRecordPages.toCollection().primaryKeys()).map((k) => (k as unknown as [number, number])[0]));
    expect([...gens]).toEqual([state.gen]);
    await engine.dispose();
    db.close();
  }, 120_000);
});

describe('first load with colliding id hashes', () => {
  it('sends the ids counted as taken through the changes after the switch and ends equal to the platform', async () => {
    const db = openDb(freshDbName('first-load-collide'));
    const secrets = memorySecretStore({ mode: 'encrypted', provider: 'test' });
    // 64 distinct hashes for all the records: nearly every record looks taken already.
    const seenIds = (): SeenIds => new SeenIds(16, (id) => idHash(id) % 64, () => 7);
    const engine = makeEngine(db, { secrets, tuning: { loadLimit: LOAD_LIMIT }, hooks: { seenIds } });
    await enrol(engine, platform);
    expect(await engine.syncNow()).toMatchObject({ ok: true });
    const state = await mirrorState(db);
    expect(state.records).toBeLessThanOrEqual(64);
    expect(state.deltaCount).toBeGreaterThan(RECORDS / 2);
    const theirs = await platform.admin.digest();
    expect(await mirrorDigest(db)).toEqual({ count: theirs.count, digest: theirs.digest });
    await engine.dispose();
    db.close();
  }, 60_000);
});

/** A few edits on the platform: new versions, 移出, 信用修复, a deletion and a new record. */
async function platformEdits(platform: SpawnedPlatform, rng: Prng, round: number): Promise<void> {
  const id = (): string => recordId(rng.int(0, RECORDS - 1));
  const tryCommand = async (cmd: Parameters<SpawnedPlatform['admin']['command']>[0]): Promise<void> => {
    try {
      await platform.admin.command(cmd);
    } catch {
      // A record already deleted, or an objection not pending: skip it.
    }
  };
  await tryCommand({ op: 'change', id: id(), patch: { reason: `第 ${round} 轮修改` } });
  await tryCommand({ op: 'remove', id: id() });
  await tryCommand({ op: 'repair', id: id() });
  if (round % 3 === 0) await tryCommand({ op: 'delete', kind: 'record', id: id() });
  if (round % 4 === 0) {
    const base = (await platform.admin.command({ op: 'change', id: 'DEMO-R01', patch: {} })).data as ListRecord;
    const { version: _v, ...rest } = base;
    await tryCommand({ op: 'add', record: { ...rest, id: `NEW-${round}` } });
  }
}
