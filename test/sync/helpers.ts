/**
 * Shared by the sync tests and the sync benchmark: a client database in fake-indexeddb, the
 * engine wired to a reference platform running as a separate process, a digest of the mirror
 * computed exactly like the platform's GET /admin/digest, and adapters that let a test see and
 * replace the pages the engine receives.
 */
import 'fake-indexeddb/auto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ListRecord } from '../../shared/domain/schemas';
import type { PlatformAdapter, PullResult } from '../../shared/sync/adapter';
import type { SyncStatus } from '../../shared/sync/engine-core';
import { HttpPlatformAdapter } from '../../shared/sync/http-adapter';
import { outboxId, type OutboxEntry, type OutboxPayload } from '../../shared/sync/outbox';
import type { PushItem } from '../../shared/sync/protocol';
import { openDatabase, type HechataiDb } from '../../renderer/db/database';
import { MetaKeys } from '../../renderer/db/meta';
import { iterateMirror } from '../../renderer/db/mirror-store';
import { SyncEngine, memorySecretStore, type AdapterFactory, type AdapterOptions, type SecretStore, type SyncEngineOptions } from '../../renderer/sync/engine';
import { stateDigest, type DigestEntry } from '../platform/digest';
import type { SpawnedPlatform } from '../platform/spawn';

let dbCounter = 0;
/** A fresh client database (fake-indexeddb, in this process). */
export function freshDbName(prefix = 'sync-test'): string {
  return `${prefix}-${process.pid}-${++dbCounter}-${Date.now()}`;
}

export function openDb(name: string): HechataiDb {
  return openDatabase(name);
}

/** The digest of what the client holds (mirror records, measures, matters), as GET /admin/digest computes it. */
export async function mirrorDigest(db: HechataiDb): Promise<{ count: number; digest: string }> {
  const entries: DigestEntry[] = [];
  for await (const batch of iterateMirror(db)) for (const r of batch) entries.push({ kind: 'record', id: r.id, data: r });
  for (const m of await db.measures.toArray()) entries.push({ kind: 'measure', id: m.id, data: m });
  for (const m of await db.matters.toArray()) entries.push({ kind: 'matter', id: m.id, data: m });
  return stateDigest(entries);
}

export async function mirrorRecords(db: HechataiDb): Promise<Map<string, ListRecord>> {
  const out = new Map<string, ListRecord>();
  for await (const batch of iterateMirror(db)) for (const r of batch) out.set(r.id, r);
  return out;
}

/** Outbox entries written the way local-records.ts writes them (seq in creation order). */
export async function enqueueItems(db: HechataiDb, payloads: readonly OutboxPayload[], now = Date.now()): Promise<OutboxEntry[]> {
  const first = ((await db.meta.get(MetaKeys.outboxSeq))?.value as number | undefined) ?? 0;
  const entries: OutboxEntry[] = payloads.map((payload, i) => ({
    id: outboxId(payload),
    seq: first + i + 1,
    createdAt: now,
    state: 'pending',
    attempts: 0,
    payload,
  }));
  await db.transaction('rw', db.outbox, db.meta, async () => {
    await db.outbox.bulkAdd(entries);
    await db.meta.put({ key: MetaKeys.outboxSeq, value: first + payloads.length });
  });
  return entries;
}

export const payloadsOf = (items: readonly PushItem[]): OutboxPayload[] => items.map((i) => i.payload);

/** Calls to the adapter, seen by a test; `next` replaces the answer of the next pull. */
export class TapAdapter implements PlatformAdapter {
  readonly pulls: { cursor: string | null; result: PullResult }[] = [];
  next: ((cursor: string | null) => Promise<PullResult> | PullResult) | undefined;
  constructor(readonly inner: PlatformAdapter) {}
  get description(): string {
    return `tap ${this.inner.description}`;
  }
  health: PlatformAdapter['health'] = () => this.inner.health();
  enrol: PlatformAdapter['enrol'] = (r) => this.inner.enrol(r);
  push: PlatformAdapter['push'] = (r) => this.inner.push(r);
  async pull(cursor: string | null, limit: number): Promise<PullResult> {
    const scripted = this.next;
    this.next = undefined;
    const result = scripted ? await scripted(cursor) : await this.inner.pull(cursor, limit);
    this.pulls.push({ cursor, result });
    return result;
  }
}

/** An adapter factory that keeps every adapter it made (the latest is the one in use). */
export function tapFactory(fetchImpl: typeof fetch = fetch): AdapterFactory & { taps: TapAdapter[]; last(): TapAdapter } {
  const taps: TapAdapter[] = [];
  const factory = ((opts: AdapterOptions) => {
    const tap = new TapAdapter(new HttpPlatformAdapter({ baseUrl: opts.baseUrl, fetchImpl, token: opts.token, now: opts.now, timeoutMs: 10_000 }));
    taps.push(tap);
    return tap;
  }) as unknown as AdapterFactory & { taps: TapAdapter[]; last(): TapAdapter };
  factory.taps = taps;
  factory.last = () => {
    const t = taps[taps.length - 1];
    if (!t) throw new Error('no adapter made yet');
    return t;
  };
  return factory;
}

/** Fast retries for tests: 1 ms doubling, capped at 20 ms. */
export const TEST_BACKOFF = { baseMs: 1, capMs: 20 };

/** Tiny mirror pages and runs, so a few thousand records exercise every boundary of the build. */
export const SMALL_MIRROR = { pageRecords: 16, runRecords: 900, flushRecords: 200, indexPageBytes: 1024, idPageBytes: 512, inFlight: 2 };

export function makeEngine(db: HechataiDb, opts: Partial<SyncEngineOptions> & { secrets?: SecretStore } = {}): SyncEngine {
  return new SyncEngine({
    db,
    fetchImpl: fetch,
    secrets: opts.secrets ?? memorySecretStore({ mode: 'encrypted', provider: 'test' }),
    ...opts,
    tuning: { backoff: TEST_BACKOFF, mirror: SMALL_MIRROR, ...opts.tuning },
  });
}

/** Enrols with a fresh code from the platform; throws with the engine's message if refused. */
export async function enrol(engine: SyncEngine, platform: SpawnedPlatform, deviceName = '测试窗口'): Promise<void> {
  const code = await platform.admin.enrolCode();
  const res = await engine.enrol({ baseUrl: platform.url, code, deviceName });
  if (!res.ok) throw new Error(`enrolment failed: ${res.message}`);
}

/** Runs sync cycles until `done(status)` holds (each cycle is one syncNow), or throws after `max`. */
export async function syncUntil(engine: SyncEngine, done: (s: SyncStatus) => boolean, max = 500): Promise<number> {
  for (let i = 1; i <= max; i++) {
    const outcome = await engine.syncNow();
    if (outcome.ok && done(engine.getSnapshot())) return i;
    if (!outcome.ok && outcome.error && ['not_enrolled', 'token_missing', 'unauthorized'].includes(outcome.error.code)) {
      throw new Error(`sync cannot go on: ${outcome.error.message}`);
    }
    await sleep(1);
  }
  throw new Error(`not done after ${max} cycles: ${JSON.stringify(engine.getSnapshot().lastError)}`);
}

/** Waits until the store satisfies `cond`. */
export function waitFor(engine: SyncEngine, cond: (s: SyncStatus) => boolean, timeoutMs = 30_000): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const s = engine.getSnapshot();
      if (!cond(s)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(s);
      return true;
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting; status ${JSON.stringify(engine.getSnapshot())}`));
    }, timeoutMs);
    const unsubscribe = engine.subscribe(() => void check());
    check();
  });
}
