/**
 * The sync benchmark's page, driven step by step by scripts/bench-sync-page.mjs (part of
 * `npm run bench`): the app's real sync engine runs in its Web Worker (renderer/sync/sync-worker.ts)
 * on the app's database layout (renderer/db, the mirror store), against the reference platform
 * running as a separate process. Node moves the platform's world between steps; this page only
 * talks to the platform's public API, as the app does.
 *
 * window.__syncBench.run(step, args) → a JSON-able result. Steps: setup, firstLoad, delta,
 * push, verify, teardown.
 */
import { Dexie } from 'dexie';
import type { SyncStatus } from '../../../shared/sync/engine-core';
import { outboxId, type OutboxEntry } from '../../../shared/sync/outbox';
import { openDatabase, outboxInState, type HechataiDb } from '../../../renderer/db/database';
import { MetaKeys } from '../../../renderer/db/meta';
import { iterateMirror, mirrorState } from '../../../renderer/db/mirror-store';
import { memorySecretStore } from '../../../renderer/sync/engine';
import { SYNC_WORKER_PREFIX, SyncWorkerClient, type Endpoint, type FromWorker, type ToWorker } from '../../../renderer/sync/worker-protocol';
import { makePushItems } from '../../platform/fixtures';
import { SumDigester } from '../../platform/sum-digest';

const DB_PREFIX = 'hechatai-sync-bench-';

interface Ctx {
  dbName: string;
  db: HechataiDb;
  worker: Worker;
  sync: SyncWorkerClient;
}
let ctx: Ctx | undefined;

const need = (): Ctx => {
  if (!ctx) throw new Error('setup first');
  return ctx;
};

interface StorageFigures {
  usage: number | null;
  quota: number | null;
}
async function storage(): Promise<StorageFigures> {
  const e = await navigator.storage.estimate();
  return { usage: e.usage ?? null, quota: e.quota ?? null };
}

/** Longest gap of a 20 ms timer on this (the page's) thread while `fn` runs: what a clerk would feel. */
async function withStallWatch<T>(fn: () => Promise<T>): Promise<{ value: T; pageStallMaxMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last - 20);
    last = t;
  }, 20);
  try {
    const value = await fn();
    return { value, pageStallMaxMs: Math.round(Math.max(0, worst)) };
  } finally {
    clearInterval(timer);
  }
}

const ms = (x: number): number => Math.round(x);

function outcomeError(s: SyncStatus): string {
  return s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : 'unknown';
}

const steps = {
  async setup(args: { run: string }): Promise<unknown> {
    const dbName = `${DB_PREFIX}${args.run}`;
    await Dexie.delete(dbName);
    const db = openDatabase(dbName);
    await db.open();
    const worker = new Worker(new URL('../../../renderer/sync/sync-worker.ts', import.meta.url), { type: 'module', name: `${SYNC_WORKER_PREFIX}${dbName}` });
    const sync = new SyncWorkerClient(worker as unknown as Endpoint<ToWorker, FromWorker>, memorySecretStore({ mode: 'encrypted', provider: 'bench' }));
    ctx = { dbName, db, worker, sync };
    return { dbName, storage: await storage() };
  },

  /** Enrol → every page pulled → the mirror complete (the new generation switched in). */
  async firstLoad(args: { url: string; code: string }): Promise<unknown> {
    const { sync, db } = need();
    const before = await storage();
    const marks: Record<string, number> = {};
    let stagedStorage: StorageFigures | undefined;
    let stagedRecords = 0;
    const unsubscribe = sync.subscribe(() => {
      const s = sync.getSnapshot();
      const t = performance.now();
      if (s.load?.stage === 'download') marks.firstPage ??= t;
      if (s.load?.stage === 'build' && marks.build === undefined) {
        marks.build = t;
        stagedRecords = s.load.records;
        void storage().then((st) => (stagedStorage = st));
      }
    });
    const t0 = performance.now();
    const { value, pageStallMaxMs } = await withStallWatch(async () => {
      const enrolled = await sync.enrol({ baseUrl: args.url, code: args.code, deviceName: '基准测试窗口' });
      if (!enrolled.ok) throw new Error(`enrolment refused: ${enrolled.message}`);
      marks.enrolled = performance.now();
      return sync.syncNow();
    });
    const t1 = performance.now();
    unsubscribe();
    const s = sync.getSnapshot();
    if (!value.ok || s.mirrorCompleteAt === null) throw new Error(`first load failed: ${outcomeError(s)}`);
    const state = await mirrorState(db);
    const after = await storage();
    const enrolled = marks.enrolled ?? t0;
    const build = marks.build ?? t1;
    return {
      records: state.records,
      ms: ms(t1 - t0),
      recordsPerSec: Math.round((state.records * 1000) / (t1 - t0)),
      phases: { enrolMs: ms(enrolled - t0), downloadMs: ms(build - enrolled), buildMs: ms(t1 - build) },
      pageStallMaxMs,
      storage: {
        before,
        staged: stagedStorage ?? null,
        after,
        stagedBytesPerRecord:
          stagedStorage?.usage !== undefined && stagedStorage.usage !== null && before.usage !== null && stagedRecords > 0 ? Math.round((stagedStorage.usage - before.usage) / stagedRecords) : null,
        mirrorBytesPerRecord: after.usage !== null && before.usage !== null && state.records > 0 ? Math.round((after.usage - before.usage) / state.records) : null,
      },
    };
  },

  /** One sync cycle after the platform changed: probe, (nothing to push), pull every page, apply. */
  async delta(args: { changes: number }): Promise<unknown> {
    const { sync, db } = need();
    const before = await mirrorState(db);
    const t0 = performance.now();
    const { value, pageStallMaxMs } = await withStallWatch(() => sync.syncNow());
    const t1 = performance.now();
    if (!value.ok) throw new Error(`delta pull failed: ${outcomeError(sync.getSnapshot())}`);
    const after = await mirrorState(db);
    return {
      changes: args.changes,
      ms: ms(t1 - t0),
      changesPerSec: Math.round((args.changes * 1000) / (t1 - t0)),
      pageStallMaxMs,
      deltaRows: after.deltaCount - before.deltaCount,
    };
  },

  /** `count` outbox entries made here (as the counter makes them), then one sync cycle pushes them. */
  async push(args: { count: number; seed: number }): Promise<unknown> {
    const { sync, db } = need();
    const items = makePushItems(args.count, args.seed);
    const first = ((await db.meta.get(MetaKeys.outboxSeq))?.value as number | undefined) ?? 0;
    const now = Date.now();
    const entries: OutboxEntry[] = items.map((item, i) => ({ id: outboxId(item.payload), seq: first + i + 1, createdAt: now, state: 'pending', attempts: 0, payload: item.payload }));
    await db.transaction('rw', db.outbox, db.meta, async () => {
      await db.outbox.bulkAdd(entries);
      await db.meta.put({ key: MetaKeys.outboxSeq, value: first + entries.length });
    });
    const t0 = performance.now();
    const { value, pageStallMaxMs } = await withStallWatch(() => sync.syncNow());
    const t1 = performance.now();
    if (!value.ok) throw new Error(`push failed: ${outcomeError(sync.getSnapshot())}`);
    const pending = await outboxInState(db, 'pending').count();
    const accepted = await outboxInState(db, 'accepted').count();
    return { records: args.count, ms: ms(t1 - t0), recordsPerSec: Math.round((args.count * 1000) / (t1 - t0)), pageStallMaxMs, pendingAfter: pending, acceptedAfter: accepted };
  },

  /** The checksum of test/platform/sum-digest.ts over the mirror, measures and matters. */
  async verify(): Promise<unknown> {
    const { db } = need();
    const t0 = performance.now();
    const d = new SumDigester();
    for await (const batch of iterateMirror(db)) for (const r of batch) d.add('record', r.id, r);
    for (const m of await db.measures.toArray()) d.add('measure', m.id, m);
    for (const m of await db.matters.toArray()) d.add('matter', m.id, m);
    return { ...d.result(), ms: ms(performance.now() - t0) };
  },

  async teardown(): Promise<unknown> {
    const c = ctx;
    ctx = undefined;
    if (!c) return {};
    await c.sync.dispose();
    c.worker.terminate();
    c.db.close();
    await Dexie.delete(c.dbName);
    return {};
  },
};

export type SyncStep = keyof typeof steps;

(window as unknown as { __syncBench: { ready: boolean; run(step: SyncStep, args: unknown): Promise<unknown> } }).__syncBench = {
  ready: true,
  run: (step, args) => (steps[step] as (a: unknown) => Promise<unknown>)(args),
};
