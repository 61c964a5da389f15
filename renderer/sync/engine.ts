/**
 * The sync engine: enrolment, the first load of the mirror (resumable, with progress and an
 * estimate), delta pulls, "start over", the outbox push, online detection, periodic sync, and
 * file exchange for sites that are never online. No React, no window: it takes the database, an
 * adapter factory, a fetch, a clock, a random source and a secret store, so it runs the same on
 * the page, in a Web Worker (sync-worker.ts) and in Node tests (fake-indexeddb).
 *
 * Guarantees (shared/architecture.md, Sync; shared/sync/PROTOCOL.md):
 * - **Pull.** Every page is validated whole before anything of it is applied (parsePage in the
 *   adapter, sequencePage here); its list-record changes and its cursor (with the seq of the
 *   last change) and its measures and matters are written in ONE transaction (mirror-store
 *   applyChanges). Changes at or below the last applied seq are dropped, so repeated and late
 *   pages change nothing. A page that breaks the schema or the order is refused whole and the
 *   cursor does not move.
 * - **First load / start over.** Pages are staged in the meta table, each with the load's
 *   cursor in the same transaction (as the bytes the platform sent when the adapter has them,
 *   else as records; a page's staging commits while it is built), so an interrupted load
 *   RESUMES from its last page; the new
 *   generation is built from the pages as they arrive (streamLoad: loadMirror reading them, the
 *   pages staged by an interrupted run first) and switched in one transaction together with the
 *   new cursor; until then the previous mirror (if any) serves the counter. A build that fails
 *   after the last page restarts from the staged pages (no network). Records changed again
 *   during the load are applied as deltas right after the switch. Local records and the
 *   outbox are never touched.
 * - **Push.** Pending outbox entries in seq order, in batches; accepted / duplicate → delivered,
 *   rejected → kept for the clerk with the reason, never blocking the rest. Network errors and
 *   5xx back off exponentially with jitter (1 s doubling, capped at 5 min); Retry-After is
 *   honoured. Delivery is at-least-once; the platform is idempotent on the entry id.
 * - **Never blocks the counter.** No transaction is ever held open across a network wait; the
 *   CPU-heavy build runs wherever the engine runs (a worker in the app).
 */
import { z } from 'zod';
import type { ListRecord, Matter, Measure } from '../../shared/domain/schemas';
import type { AdapterResult, PlatformAdapter, PullResult } from '../../shared/sync/adapter';
import {
  DEFAULT_BACKOFF,
  addSample,
  backoffDelay,
  estimate,
  retryAfterDelay,
  sequencePage,
  type BackoffPolicy,
  type CycleOutcome,
  type EnrolmentInfo,
  type LoadProgress,
  type RateSample,
  type SecretMode,
  type SyncErrorInfo,
  type SyncPhase,
} from '../../shared/sync/engine-core';
import { HttpPlatformAdapter } from '../../shared/sync/http-adapter';
import type { OutboxEntry } from '../../shared/sync/outbox';
import { ListPackageAdapter, buildOutboxPackage, encodePackage, openListPackage } from '../../shared/sync/package';
import { PUSH_BATCH_MAX, PULL_LIMIT_MAX, type Change, type PullPage, type PushOutcome } from '../../shared/sync/protocol';
import type { HechataiDb } from '../db/database';
import { MetaKeys, readMeta } from '../db/meta';
import { MirrorSource } from '../db/mirror';
import { applyChanges, loadMirror, type CatalogueChange, type MirrorChange, type Tuning } from '../db/mirror-store';
import {
  applyReceipts,
  noteFailedAttempt,
  outboxCounts,
  pendingBatch,
  pendingEntries,
  pushItemOf,
  rejectLocally,
  rejectedEntries,
  resubmit as resubmitEntries,
  settle,
  withdraw as withdrawEntries,
} from './outbox-queue';
import {
  DEFAULT_SYNC_CONFIG,
  SYNC_META,
  SyncConfig,
  beginLoad,
  clearStage,
  readConfig,
  readEnrolment,
  readLoad,
  readLoadCatalogue,
  readPlatformId,
  readPull,
  readStage,
  toStaged,
  stagePage,
  stagedPages,
  type LoadCatalogue,
  type LoadState,
  type MirrorSourceKind,
  type PullState,
  type StageRow,
  type StagedChange,
} from './state';
import { firstLoadQuotaProblem } from './quota';
import { SyncStore, type ActionResult, type EnrolInput, type ExportedPackage, type ImportSummary, type SyncHandle } from './store';
import { SeenIds } from './seen-ids';
import { receivedBody } from './worker-fetch';

// ---------------------------------------------------------------- dependencies

/** Where the platform token is kept: the bridge's secret store in the app. */
export interface SecretStore {
  getToken(): Promise<string | null>;
  /** Stores the token; says where it went (encrypted on disk, or this session only). */
  setToken(token: string): Promise<SecretMode>;
  deleteToken(): Promise<void>;
  backend(): Promise<SecretMode>;
}

/** A secret store in memory (tests, and hosts without a bridge). */
export function memorySecretStore(mode: SecretMode = { mode: 'session-only', reason: 'memory' }): SecretStore & { token: string | null } {
  return {
    token: null,
    async getToken() {
      return this.token;
    },
    async setToken(token: string) {
      this.token = token;
      return mode;
    },
    async deleteToken() {
      this.token = null;
    },
    async backend() {
      return mode;
    },
  };
}

export interface AdapterOptions {
  baseUrl: string;
  token: () => string | undefined;
  fetchImpl: typeof fetch;
  now: () => number;
}
export type AdapterFactory = (opts: AdapterOptions) => PlatformAdapter;

/** Bodies fetched by the sync worker's fetch worker are taken as it sent them (`receivedBody`). */
export const httpAdapterFactory: AdapterFactory = (opts) =>
  new HttpPlatformAdapter({ baseUrl: opts.baseUrl, fetchImpl: opts.fetchImpl, token: opts.token, now: opts.now, bodyOf: receivedBody });

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncTuning {
  /** Changes per page during a first load (the platform caps it at PULL_LIMIT_MAX). */
  loadLimit: number;
  /** Changes per page of a delta pull. */
  deltaLimit: number;
  /** Outbox entries per push request (at most PUSH_BATCH_MAX). */
  pushBatch: number;
  /** Push batches read from the outbox at once (entries read ahead of the requests). */
  pushReadAhead: number;
  backoff: BackoffPolicy;
  /** How often the outbox counts are re-read while running (new records made at the counter). */
  countsPollMs: number;
  /** How soon after new records appear (while online) a push is tried. */
  pushSoonMs: number;
  /** mirror-store tuning for the build of a new generation (tests use tiny pages). */
  mirror?: Partial<Tuning>;
}

export const DEFAULT_SYNC_TUNING: SyncTuning = {
  loadLimit: PULL_LIMIT_MAX,
  // Each delta page is one strict transaction: large pages mean few commits (npm run bench).
  deltaLimit: PULL_LIMIT_MAX,
  pushBatch: PUSH_BATCH_MAX,
  // 8 × 1,000 entries, a few MB: one read per 8 requests (npm run bench: push of 10,000).
  pushReadAhead: 8,
  backoff: DEFAULT_BACKOFF,
  countsPollMs: 15_000,
  pushSoonMs: 3_000,
};

export interface SyncEngineOptions {
  db: HechataiDb;
  fetchImpl: typeof fetch;
  secrets: SecretStore;
  /** Default: our HTTP/JSON protocol (HttpPlatformAdapter). */
  adapterFactory?: AdapterFactory;
  now?: () => number;
  /** [0, 1), for the backoff jitter. */
  random?: () => number;
  /** `navigator.onLine`: false means offline without probing; true proves nothing. */
  onlineHint?: () => boolean;
  timers?: Timers;
  tuning?: Partial<SyncTuning>;
  store?: SyncStore;
  /** Test seams: points where a test simulates a crash, and the set of ids a load takes. */
  hooks?: {
    afterSwitch?: () => Promise<void>;
    downloaded?: () => Promise<void>;
    /** The set of ids a load has taken (a test gives one whose hashes collide). */
    seenIds?: () => SeenIds;
  };
  /**
   * Free-space check before a first load writes anything: null when there is room for
   * `records` list records, else the message to show. Default: quota.ts (navigator.storage).
   */
  quotaCheck?: (records: number) => Promise<string | null>;
}

// ---------------------------------------------------------------- failures

type Retry = 'backoff' | 'interval' | 'never' | { afterMs: number };

interface Failure {
  code: string;
  message: string;
  retry: Retry;
}

const fail = (code: string, message: string, retry: Retry): Failure => ({ code, message, retry });

/** What an adapter's non-ok answer means for the cycle. */
function adapterFailure(res: Exclude<AdapterResult<unknown>, { kind: 'ok' }>): Failure {
  if (res.kind === 'retryAfter') return fail(`http_${res.status}`, res.message, { afterMs: res.ms });
  const e = res.error;
  if (e.code === 'unauthorized') return fail(e.code, e.message, 'never');
  return fail(e.code, e.message, e.retryable ? 'backoff' : 'interval');
}

const isNetworkFailure = (code: string): boolean => code === 'network' || code === 'timeout';

class Aborted extends Error {
  constructor() {
    super('同步已中止');
    this.name = 'AbortError';
  }
}

/** Thrown inside a streamed load's source to stop it (streamLoad says why). */
class StopLoad extends Error {
  constructor() {
    super('名单下载已停止');
    this.name = 'StopLoad';
  }
}

/**
 * Staged pages of a load whose transactions may be under way at once while the build goes on.
 * Resuming starts after the last committed one; the switch waits for all.
 */
const STAGING_AHEAD = 16;

function checkOpen(db: HechataiDb): void {
  if (!db.isOpen()) throw new Error('本地数据库已关闭，名单下载已暂停，重新打开后从中断处继续');
}

function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw new Aborted();
}

// ---------------------------------------------------------------- helpers

function toMirrorChange(c: StagedChange): MirrorChange {
  return c.op === 'upsert' ? { op: 'upsert', record: c.record } : { op: 'delete', id: c.id };
}

/** A measure or matter change of a page, as the mirror store writes it with the page. */
function catalogueChange(c: Change): CatalogueChange {
  const store = c.kind === 'measure' ? 'measures' : 'matters';
  if (c.op === 'delete') return { store, op: 'delete', id: c.id };
  return c.kind === 'measure' ? { store: 'measures', op: 'put', value: c.data as Measure } : { store: 'matters', op: 'put', value: c.data as Matter };
}

/**
 * Splits staged changes into the new generation's records (the first upsert of each id) and the
 * overflow: later changes of ids already taken (records edited or deleted while the load ran),
 * applied as deltas after the switch, in seq order.
 */
function splitStaged(changes: readonly StagedChange[], seen: SeenIds, overflow: StagedChange[]): ListRecord[] {
  const batch: ListRecord[] = [];
  for (const c of changes) {
    if (c.op === 'upsert') {
      if (seen.add(c.record.id)) batch.push(c.record);
      else overflow.push(c);
    } else if (seen.has(c.id)) overflow.push(c);
    // A delete of an id not taken yet deletes nothing the build holds.
  }
  return batch;
}

/** `20261120-0930` in China time, for file names. */
function stamp(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000).toISOString();
  return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}-${d.slice(11, 13)}${d.slice(14, 16)}`;
}

function normaliseBaseUrl(text: string): string | null {
  const t = text.trim().replace(/\/+$/, '');
  try {
    const url = new URL(t);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return t;
  } catch {
    return null;
  }
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

interface PullRun {
  failure?: Failure;
  /** Changes applied (records, measures, matters). */
  applied: number;
  pages: number;
  rebuilt: boolean;
}

// ---------------------------------------------------------------- the engine

export class SyncEngine implements SyncHandle {
  readonly store: SyncStore;
  private readonly db: HechataiDb;
  private readonly fetchImpl: typeof fetch;
  private readonly secrets: SecretStore;
  private readonly adapterFactory: AdapterFactory;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onlineHint: (() => boolean) | undefined;
  private readonly timers: Timers;
  private readonly tuning: SyncTuning;
  private readonly hooks: NonNullable<SyncEngineOptions['hooks']>;
  private readonly quotaCheck: (records: number) => Promise<string | null>;

  private enrolment: EnrolmentInfo | null = null;
  private token: string | null = null;
  private adapter: PlatformAdapter | null = null;
  private config: SyncConfig = DEFAULT_SYNC_CONFIG;
  private running = false;
  private disposed = false;
  private timer: unknown;
  private pollTimer: unknown;
  private queue: Promise<unknown> = Promise.resolve();
  private current: AbortController | null = null;
  /** Every job queued or running: stop() aborts them all. */
  private readonly live = new Set<AbortController>();
  /** Bumped by stop(): a syncNow() that began before a stop does not start its cycle. */
  private stops = 0;
  private initialised: Promise<void> | null = null;
  /** Seq of the last change applied (or staged, during a load): read by a package adapter. */
  private lastSeqHint = 0;
  private seqSamples: RateSample[] = [];
  private recordSamples: RateSample[] = [];
  private buildSamples: RateSample[] = [];

  constructor(opts: SyncEngineOptions) {
    this.db = opts.db;
    this.fetchImpl = opts.fetchImpl;
    this.secrets = opts.secrets;
    this.adapterFactory = opts.adapterFactory ?? httpAdapterFactory;
    this.now = opts.now ?? (() => Date.now());
    this.random = opts.random ?? Math.random;
    this.onlineHint = opts.onlineHint;
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.tuning = { ...DEFAULT_SYNC_TUNING, ...opts.tuning };
    this.tuning.pushBatch = Math.max(1, Math.min(this.tuning.pushBatch, PUSH_BATCH_MAX));
    this.store = opts.store ?? new SyncStore();
    this.hooks = opts.hooks ?? {};
    this.quotaCheck = opts.quotaCheck ?? ((records) => firstLoadQuotaProblem(records));
  }

  readonly getSnapshot = () => this.store.getSnapshot();
  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);

  // -------------------------------------------------------------- life cycle

  /** Reads the engine's state from the database and the secret store (idempotent). */
  init(): Promise<void> {
    this.initialised ??= this.readState();
    return this.initialised;
  }

  private async readState(): Promise<void> {
    const db = this.db;
    const [enrolment, config, token, secret, load, asOf, source, counts, staged] = await Promise.all([
      readEnrolment(db),
      readConfig(db),
      this.secrets.getToken().catch(() => null),
      this.secrets.backend().catch((): SecretMode => ({ mode: 'unknown' })),
      readLoad(db),
      readMeta(db, MetaKeys.mirrorAsOf, z.number()),
      readMeta(db, MetaKeys.mirrorSource, MirrorSource),
      outboxCounts(db),
      stagedPages(db),
    ]);
    // Staged pages without a load: left by a crash right after a load finished.
    if (!load && staged > 0) await clearStage(db);
    this.enrolment = enrolment;
    this.token = token;
    this.config = config;
    if (enrolment && token) this.adapter = this.makeAdapter(enrolment.baseUrl);
    this.store.dispatch({
      type: 'loaded',
      patch: {
        enrolment,
        tokenMissing: enrolment !== null && token === null,
        secret,
        autoSync: config.autoSync,
        intervalMs: config.intervalMs,
        mirrorCompleteAt: asOf ?? null,
        mirrorSource: source ?? null,
        pending: counts.pending,
        rejected: counts.rejected,
        load: load && load.phase !== 'switched' ? this.progressOf(load, load.phase === 'download' ? 'download' : 'build', 0) : null,
      },
    });
  }

  /** Starts periodic sync (and a first cycle at once when automatic sync is on). */
  async start(): Promise<void> {
    await this.init();
    if (this.disposed) return;
    this.running = true;
    this.schedule(this.config.autoSync && this.enrolment && this.token !== null ? 0 : null);
    this.pollCounts();
  }

  /** Stops periodic sync and aborts the cycle in progress (it resumes from its saved position later). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
    this.timer = this.pollTimer = undefined;
    this.stops++;
    for (const ac of this.live) ac.abort();
    await this.queue.catch(() => undefined);
    this.store.dispatch({ type: 'scheduled', at: null });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
  }

  notifyOnline(): void {
    if (this.running && this.config.autoSync) this.schedule(0);
  }

  private makeAdapter(baseUrl: string): PlatformAdapter {
    return this.adapterFactory({ baseUrl, token: () => this.token ?? undefined, fetchImpl: this.fetchImpl, now: this.now });
  }

  /** Runs jobs one at a time, each with its own abort signal. */
  private exclusive<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ac = new AbortController();
    this.live.add(ac);
    const run = async (): Promise<T> => {
      this.current = ac;
      try {
        return await fn(ac.signal);
      } finally {
        this.live.delete(ac);
        if (this.current === ac) this.current = null;
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private schedule(delayMs: number | null): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running || delayMs === null) {
      this.store.dispatch({ type: 'scheduled', at: null });
      return;
    }
    this.store.dispatch({ type: 'scheduled', at: this.now() + delayMs });
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.syncNow();
    }, delayMs);
  }

  private pollCounts(): void {
    if (!this.running) return;
    this.pollTimer = this.timers.setTimeout(() => {
      void (async () => {
        const before = this.store.getSnapshot();
        await this.refreshCounts().catch(() => undefined);
        const after = this.store.getSnapshot();
        // New records at the counter while online and healthy: deliver them soon.
        const soon = this.tuning.pushSoonMs;
        if (
          after.pending > before.pending && after.connectivity === 'online' && after.failures === 0 && this.config.autoSync &&
          this.current === null && (after.nextAttemptAt === null || after.nextAttemptAt > this.now() + soon)
        ) {
          this.schedule(soon);
        }
        this.pollCounts();
      })();
    }, this.tuning.countsPollMs);
  }

  // -------------------------------------------------------------- a cycle

  /** 立即同步: probe, push the outbox, pull; resolves when the cycle ends. */
  async syncNow(): Promise<CycleOutcome> {
    const stops = this.stops;
    await this.init();
    const outcome =
      stops === this.stops
        ? await this.exclusive(async (signal) => this.cycle(signal))
        : { ok: false as const, failure: fail('aborted', '同步已中止，下次将从中断处继续', 'interval') };
    const s = this.store.getSnapshot();
    if (outcome.ok) {
      const nextAt = this.config.autoSync && this.running ? this.now() + this.config.intervalMs : null;
      this.store.dispatch({ type: 'succeeded', at: this.now(), nextAt });
      if (this.running) this.schedule(this.config.autoSync ? this.config.intervalMs : null);
      return { ok: true, nextAt };
    }
    const f = outcome.failure;
    if (f.code === 'aborted') {
      // Given way to an import or an enrolment (stop() clears `running`): try again soon.
      this.store.dispatch({ type: 'phase', phase: 'idle' });
      if (this.running) this.schedule(this.config.autoSync ? this.tuning.pushSoonMs : null);
      return { ok: false, error: { code: f.code, message: f.message, at: this.now() }, nextAt: this.store.getSnapshot().nextAttemptAt };
    }
    const failures = s.failures + 1;
    let delay: number | null;
    if (!this.config.autoSync || !this.running) delay = null;
    else if (f.retry === 'backoff') delay = backoffDelay(failures, this.random, this.tuning.backoff);
    else if (f.retry === 'interval') delay = this.config.intervalMs;
    else if (f.retry === 'never') delay = null;
    else delay = retryAfterDelay(f.retry.afterMs, this.random);
    const error: SyncErrorInfo = { code: f.code, message: f.message, at: this.now() };
    const retryAt = delay === null ? null : this.now() + delay;
    this.store.dispatch({ type: 'failed', error, retryAt, countsAsFailure: f.retry !== 'interval' });
    if (this.running) this.schedule(delay);
    return { ok: false, error, nextAt: retryAt };
  }

  /** One cycle: probe, push, pull. Never throws: every failure says how to retry. */
  private async cycle(signal: AbortSignal): Promise<{ ok: true } | { ok: false; failure: Failure }> {
    try {
      await this.refreshCounts();
      const adapter = this.adapter;
      if (!this.enrolment) return { ok: false, failure: fail('not_enrolled', '本机尚未登记到信用平台，请先在“平台同步”中登记', 'never') };
      if (!adapter || this.token === null) {
        return { ok: false, failure: fail('token_missing', '本机的平台登记凭据已不在（重启后未保存），请重新登记', 'never') };
      }
      if (this.onlineHint && !this.onlineHint()) {
        this.store.dispatch({ type: 'connectivity', online: false, at: this.now() });
        return { ok: false, failure: fail('offline', '本机网络未连接；恢复后将自动同步', 'backoff') };
      }
      this.phase('probing');
      const health = await adapter.health();
      checkAbort(signal);
      if (health.kind !== 'ok') return { ok: false, failure: this.noteFailure(adapterFailure(health)) };
      this.store.dispatch({ type: 'connectivity', online: true, at: this.now() });

      const pushFailure = await this.pushAll(adapter, signal);
      if (pushFailure) return { ok: false, failure: this.noteFailure(pushFailure) };
      const pulled = await this.pullAll(adapter, signal, 'platform');
      if (pulled.failure) return { ok: false, failure: this.noteFailure(pulled.failure) };
      return { ok: true };
    } catch (e) {
      if (signal.aborted || (e instanceof Error && e.name === 'AbortError')) return { ok: false, failure: fail('aborted', '同步已中止，下次将从中断处继续', 'interval') };
      return { ok: false, failure: fail('local_error', `本机处理同步数据时出错：${errorText(e)}`, 'backoff') };
    } finally {
      await this.refreshCounts().catch(() => undefined);
    }
  }

  /** Connectivity as learnt from a failure: no answer at all = offline. */
  private noteFailure(f: Failure): Failure {
    const online = !isNetworkFailure(f.code);
    this.store.dispatch({ type: 'connectivity', online, at: this.now() });
    if (f.code === 'unauthorized') {
      this.store.dispatch({ type: 'enrolment', enrolment: this.enrolment, tokenMissing: true });
    }
    return f;
  }

  private phase(phase: SyncPhase): void {
    this.store.dispatch({ type: 'phase', phase });
  }

  async refreshCounts(): Promise<void> {
    const c = await outboxCounts(this.db);
    this.store.dispatch({ type: 'counts', pending: c.pending, rejected: c.rejected });
  }

  // -------------------------------------------------------------- push

  /**
   * Delivers the pending outbox in seq order, one request at a time, reading it through the
   * [state+seq] index (never the whole outbox; entries made meanwhile join the end). Entries
   * are read up to `pushReadAhead` batches at once, so the next request never waits for a read
   * queued behind a write; each answer is recorded in the background, and answers that arrive
   * while one is being recorded are recorded together, in one (strict) transaction: the
   * requests follow each other while the commits catch up. A crash before an answer is recorded only means the
   * entries go again (the platform answers `duplicate`).
   */
  private async pushAll(adapter: PlatformAdapter, signal: AbortSignal): Promise<Failure | undefined> {
    const db = this.db;
    const total = { accepted: 0, duplicate: 0, rejected: 0 };
    let size = this.tuning.pushBatch;
    const ahead = Math.max(1, this.tuning.pushReadAhead);
    /** Read, not sent yet, in seq order; `more`: the outbox may hold more after them. */
    let queue: OutboxEntry[] = [];
    let lastRead = -Infinity;
    let more = true;
    const refill = async (): Promise<void> => {
      const read = await pendingBatch(db, lastRead, size * ahead);
      queue = queue.concat(read);
      more = read.length === size * ahead;
      lastRead = read.at(-1)?.seq ?? lastRead;
    };
    /** Answers waiting to be recorded, and the recording under way. */
    let answers: { outcomes: PushOutcome[]; sent: OutboxEntry[] }[] = [];
    let recording: Promise<void> | undefined;
    const record = (outcomes: PushOutcome[], sent: OutboxEntry[]): void => {
      answers.push({ outcomes, sent });
      recording ??= (async () => {
        try {
          while (answers.length > 0) {
            const now = answers;
            answers = [];
            const s = await settle(db, now.flatMap((x) => x.outcomes), this.now(), now.flatMap((x) => x.sent));
            total.accepted += s.accepted;
            total.duplicate += s.duplicate;
            total.rejected += s.rejected;
            await this.refreshCounts();
          }
        } finally {
          recording = undefined;
        }
      })();
      // Awaited below (and before returning); a failure is reported there, once.
      recording.catch(() => undefined);
    };
    const recorded = async (): Promise<void> => {
      while (recording) await recording;
    };
    try {
      for (;;) {
        if (queue.length < size && more) await refill();
        const batch = queue.slice(0, size);
        if (batch.length === 0) break;
        this.phase('pushing');
        const res = await adapter.push(batch.map(pushItemOf));
        checkAbort(signal);
        if (res.kind === 'ok') {
          queue = queue.slice(batch.length);
          record(res.value, batch);
          continue;
        }
        if (res.kind === 'error' && res.error.status === 413) {
          // Too large for one request: halve the batch; a single record too large is refused here.
          if (size > 1) size = Math.ceil(size / 2);
          else {
            const last = batch[0] as OutboxEntry;
            await recorded();
            await rejectLocally(db, last.id, 'too_large', '记录过大，平台无法接收（超过单次提交上限），请撤回后联系平台管理员', this.now());
            total.rejected += 1;
            queue = queue.slice(1);
          }
          continue;
        }
        const failure = adapterFailure(res);
        await recorded();
        await noteFailedAttempt(db, batch.map((e) => e.id), failure.message);
        return failure;
      }
      await recorded();
      return undefined;
    } finally {
      if (total.accepted + total.duplicate + total.rejected > 0) this.store.dispatch({ type: 'pushed', summary: { ...total, at: this.now() } });
    }
  }

  // -------------------------------------------------------------- pull

  /**
   * Pulls until the mirror holds everything (hasMore false), through `adapter` (the network or
   * a list package). Handles first loads, resets and deltas; returns a failure instead of
   * throwing for anything the platform did.
   */
  private async pullAll(adapter: PlatformAdapter, signal: AbortSignal, source: MirrorSourceKind): Promise<PullRun> {
    const run: PullRun = { applied: 0, pages: 0, rebuilt: false };
    this.seqSamples = [];
    this.recordSamples = [];
    let resets = 0;
    // The next page is asked for while this one is validated and written (the platform works
    // meanwhile); used only if the cursor it was asked with is still the one to send. Only for
    // the network: a package adapter reads the engine's position when asked.
    let ahead: { cursor: string | null; limit: number; result: Promise<PullResult> } | undefined;
    const pull = (cursor: string | null, limit: number): Promise<PullResult> => {
      const a = ahead;
      ahead = undefined;
      return a && a.cursor === cursor && a.limit === limit ? a.result : adapter.pull(cursor, limit);
    };
    const askAhead = (page: PullPage, limit: number): void => {
      if (source === 'platform' && page.hasMore && !signal.aborted) ahead = { cursor: page.nextCursor, limit, result: adapter.pull(page.nextCursor, limit) };
    };
    const restart = async (message: string): Promise<Failure | undefined> => {
      // A platform that keeps saying "start over" would loop for ever: stop after a few.
      if (++resets > 3) return fail('reset_loop', '平台反复要求重新下载全部名单，请联系平台管理员', 'backoff');
      await this.begin('reset', message, source);
      return undefined;
    };
    for (;;) {
      checkAbort(signal);
      const load = await readLoad(this.db);
      if (load) {
        if (load.phase === 'switched') {
          await this.finishSwitch(load);
          run.rebuilt = true;
          continue;
        }
        if (load.phase === 'downloaded') {
          await this.build(load, signal);
          run.rebuilt = true;
          continue;
        }
        const stopped = await this.streamLoad(load, pull, askAhead, signal, source, run);
        if (stopped?.reset !== undefined) {
          const failure = await restart(stopped.reset);
          if (failure) return { ...run, failure };
          continue;
        }
        if (stopped?.failure) return { ...run, failure: stopped.failure };
        run.rebuilt = true;
        continue;
      }
      const position = await readPull(this.db);
      if (!position) {
        await this.begin('first', undefined, source);
        continue;
      }
      this.phase('pulling');
      this.lastSeqHint = position.lastSeq;
      const res: PullResult = await pull(position.cursor, this.tuning.deltaLimit);
      checkAbort(signal);
      if (res.kind === 'reset') {
        const failure = await restart(res.message);
        if (failure) return { ...run, failure };
        continue;
      }
      if (res.kind !== 'ok') return { ...run, failure: adapterFailure(res) };
      run.pages += 1;
      const page = res.value;
      askAhead(page, this.tuning.deltaLimit);
      const failure = await this.applyPage(position, page, source, run);
      if (failure) return { ...run, failure };
      if (!page.hasMore) return run;
    }
  }

  private async begin(reason: 'first' | 'reset', message: string | undefined, source: MirrorSourceKind): Promise<void> {
    const load: LoadState = {
      reason,
      ...(message === undefined ? {} : { message }),
      source,
      cursor: null,
      lastSeq: 0,
      snapshotSeq: null,
      pages: 0,
      records: 0,
      startedAt: this.now(),
      phase: 'download',
    };
    await beginLoad(this.db, load);
    this.seqSamples = [];
    this.recordSamples = [];
    this.store.dispatch({ type: 'load', load: this.progressOf(load, 'download', 0) });
  }

  /**
   * A page of a load: validated, then staged with the load's new position in one transaction.
   * Returns once the transaction is started; `committed` settles with it (the caller builds the
   * page meanwhile and waits for it later, see STAGING_AHEAD).
   */
  private async stage(
    load: LoadState,
    page: PullPage,
    raw: Blob | undefined,
    source: MirrorSourceKind,
    run: PullRun,
  ): Promise<{ failure: Failure } | { next: LoadState; records: StagedChange[]; committed: Promise<void> }> {
    const verdict = sequencePage(page, load.lastSeq);
    if (verdict.kind === 'refuse') return { failure: fail('bad_page', verdict.message, 'backoff') };
    if (verdict.kind === 'stale') return { failure: fail('stale_page', '平台重复发送了已收到的数据（分页重复或乱序），已忽略，稍后重试', 'backoff') };
    const records: StagedChange[] = [];
    let catalogue: LoadCatalogue | undefined;
    for (const c of verdict.fresh) {
      const staged = toStaged(c);
      if (staged) {
        records.push(staged);
        continue;
      }
      catalogue ??= await readLoadCatalogue(this.db);
      if (c.op === 'delete') (c.kind === 'measure' ? catalogue.measures : catalogue.matters)[c.id] = null;
      else if (c.kind === 'measure') catalogue.measures[c.data.id] = c.data;
      else if (c.kind === 'matter') catalogue.matters[c.data.id] = c.data;
    }
    const upserts = records.filter((r) => r.op === 'upsert').length;
    const next: LoadState = {
      ...load,
      source,
      cursor: page.nextCursor,
      lastSeq: verdict.lastSeq,
      snapshotSeq: page.snapshotSeq ?? load.snapshotSeq,
      pages: load.pages + (records.length > 0 ? 1 : 0),
      records: load.records + upserts,
      phase: page.hasMore ? 'download' : 'downloaded',
    };
    // The page as it came when the adapter has it (see PullResult): far cheaper to store than
    // the records' structured clone; read back through decodePage only after an interruption.
    const stored = records.length === 0 ? undefined : raw ? { raw, afterSeq: load.lastSeq } : { changes: records };
    const committed = stagePage(this.db, next, stored, catalogue);
    // Settled by the caller; a failure is not reported twice.
    committed.catch(() => undefined);
    run.applied += verdict.fresh.length;
    this.store.dispatch({ type: 'load', load: this.progressOf(next, 'download', 0) });
    return { next, records, committed };
  }

  /**
   * The download of a load, with the new generation built from the pages AS THEY ARRIVE
   * (mirror-store loadMirror reading a generator): the build's work overlaps the network's and
   * nothing staged is read back. Each page is still staged first, with the load's cursor, so
   * an interrupted download resumes from its last page: the pages staged before are fed to the
   * builder first (a partial generation is never kept: loadMirror removes it when it fails, and
   * cleanupMirror after a crash). A failure of the build after the last page leaves the load
   * `downloaded`, built again from the staged pages (build()). Returns what stopped the
   * download, if anything: a platform's failure, or its "start over".
   */
  private async streamLoad(
    start: LoadState,
    pull: (cursor: string | null, limit: number) => Promise<PullResult>,
    askAhead: (page: PullPage, limit: number) => void,
    signal: AbortSignal,
    source: MirrorSourceKind,
    run: PullRun,
  ): Promise<{ failure?: Failure; reset?: string } | undefined> {
    const db = this.db;
    const limit = this.tuning.loadLimit;
    let load = start;
    let stopped: { failure?: Failure; reset?: string } | undefined;
    const stop = (why: { failure?: Failure; reset?: string }): never => {
      stopped = why;
      throw new StopLoad();
    };
    const seen = this.newSeenIds();
    const overflow: StagedChange[] = [];
    /** Stagings not yet committed, oldest first. */
    const staging: Promise<void>[] = [];
    this.phase('loading');
    async function* batches(this: SyncEngine): AsyncGenerator<ListRecord[]> {
      // Pages an interrupted run staged: read back once, the next while this one is built.
      let staged = start.pages >= 1 ? readStage(db, 1) : undefined;
      for (let n = 1; n <= start.pages; n++) {
        const row = await (staged as Promise<StageRow>);
        staged = n < start.pages ? readStage(db, n + 1) : undefined;
        staged?.catch(() => undefined);
        const batch = splitStaged(row.changes, seen, overflow);
        if (batch.length > 0) yield batch;
      }
      while (load.phase === 'download') {
        checkAbort(signal);
        checkOpen(db);
        this.lastSeqHint = load.lastSeq;
        const res = await pull(load.cursor, limit);
        checkAbort(signal);
        // The raw IndexedDB helpers reopen a closed database: a load must not outlive a close.
        checkOpen(db);
        if (res.kind === 'reset') stop({ reset: res.message });
        else if (res.kind !== 'ok') stop({ failure: adapterFailure(res) });
        else {
          if (load.cursor === null) {
            // The first page says how big the load is: refuse it before anything is written
            // when the disk cannot hold it (the current mirror stays as it is).
            const short = await this.quotaCheck(res.value.snapshotSeq ?? res.value.changes.length);
            if (short !== null) {
              this.store.dispatch({ type: 'load', load: null });
              stop({ failure: fail('quota_short', short, 'interval') });
            }
          }
          run.pages += 1;
          askAhead(res.value, limit);
          // Pages' stagings commit while the pages are built, up to STAGING_AHEAD of them (at
          // 1,000,000 records the worker waited ~12 s for commits when each was awaited at once).
          while (staging.length >= STAGING_AHEAD) await staging.shift();
          const page = await this.stage(load, res.value, res.raw, source, run);
          if ('failure' in page) stop({ failure: page.failure });
          else {
            load = page.next;
            staging.push(page.committed);
            const batch = splitStaged(page.records, seen, overflow);
            if (batch.length > 0) yield batch;
          }
        }
      }
      await Promise.all(staging);
      // Downloaded: what is left is the end of the build and the switch.
      this.phase('building');
      this.buildSamples = [];
      await this.hooks.downloaded?.();
    }
    try {
      await loadMirror(db, batches.call(this), {
        signal,
        ...(this.tuning.mirror ? { tuning: this.tuning.mirror } : {}),
        onProgress: (done) => {
          if (load.phase !== 'download') this.store.dispatch({ type: 'load', load: this.progressOf(load, 'build', done) });
        },
        atSwitch: async () => {
          const catalogue = await readLoadCatalogue(db);
          if (load.cursor === null) throw new Error('名单下载未完成却要建立镜像');
          return {
            catalogue: {
              measures: Object.values(catalogue.measures).filter((m): m is Measure => m !== null),
              matters: Object.values(catalogue.matters).filter((m): m is Matter => m !== null),
            },
            meta: {
              [SYNC_META.pull]: { cursor: load.cursor, lastSeq: load.lastSeq, source: load.source } satisfies PullState,
              [SYNC_META.load]: { ...load, phase: 'switched' } satisfies LoadState,
              [MetaKeys.mirrorSource]: load.source,
            },
          };
        },
      });
    } catch (e) {
      if (e instanceof StopLoad && stopped) return stopped;
      throw e;
    }
    const switched: LoadState = { ...load, phase: 'switched' };
    await this.hooks.afterSwitch?.();
    await this.finishSwitch(switched, overflow);
    return undefined;
  }

  /** Builds the new generation from the staged pages and switches to it with the load's cursor. */
  private async build(load: LoadState, signal: AbortSignal): Promise<void> {
    this.phase('building');
    this.buildSamples = [];
    this.store.dispatch({ type: 'load', load: this.progressOf(load, 'build', 0) });
    const db = this.db;
    const catalogue = await readLoadCatalogue(db);
    const measures = Object.values(catalogue.measures).filter((m): m is Measure => m !== null);
    const matters = Object.values(catalogue.matters).filter((m): m is Matter => m !== null);
    const seen = this.newSeenIds();
    const overflow: StagedChange[] = [];
    async function* batches(): AsyncGenerator<ListRecord[]> {
      // The next staged page is read while the builder works on this one.
      let next = load.pages >= 1 ? readStage(db, 1) : undefined;
      for (let n = 1; n <= load.pages; n++) {
        const row = await (next as Promise<StageRow>);
        next = n < load.pages ? readStage(db, n + 1) : undefined;
        next?.catch(() => undefined);
        const batch = splitStaged(row.changes, seen, overflow);
        if (batch.length > 0) yield batch;
      }
    }
    if (load.cursor === null) throw new Error('名单下载未完成却要建立镜像');
    const switched: LoadState = { ...load, phase: 'switched' };
    await loadMirror(db, batches(), {
      signal,
      total: load.records,
      ...(this.tuning.mirror ? { tuning: this.tuning.mirror } : {}),
      catalogue: { measures, matters },
      onProgress: (done) => this.store.dispatch({ type: 'load', load: this.progressOf(load, 'build', done) }),
      meta: {
        [SYNC_META.pull]: { cursor: load.cursor, lastSeq: load.lastSeq, source: load.source } satisfies PullState,
        [SYNC_META.load]: switched,
        [MetaKeys.mirrorSource]: load.source,
      },
    });
    await this.hooks.afterSwitch?.();
    await this.finishSwitch(switched, overflow);
  }

  /**
   * After the switch: applies the changes to records met twice during the load, clears the
   * load and marks the mirror complete, in one transaction; then drops the staged pages. After
   * a crash (overflow unknown) the staged pages are scanned again to find them.
   */
  private async finishSwitch(load: LoadState, overflow?: StagedChange[]): Promise<void> {
    let changes = overflow;
    if (!changes) {
      changes = [];
      const seen = this.newSeenIds();
      for (let n = 1; n <= load.pages; n++) splitStaged((await readStage(this.db, n)).changes, seen, changes);
    }
    const at = this.now();
    await applyChanges(this.db, changes.map(toMirrorChange), {
      meta: { [SYNC_META.load]: null, [SYNC_META.loadCatalogue]: null, [MetaKeys.mirrorAsOf]: at },
    });
    await clearStage(this.db);
    this.lastSeqHint = load.lastSeq;
    this.store.dispatch({ type: 'load', load: null });
    this.store.dispatch({ type: 'mirror', completeAt: at, source: load.source });
  }

  /** A delta page: its list records, measures, matters and the cursor in ONE transaction. */
  private async applyPage(pull: PullState, page: PullPage, source: MirrorSourceKind, run: PullRun): Promise<Failure | undefined> {
    const verdict = sequencePage(page, pull.lastSeq);
    if (verdict.kind === 'refuse') return fail('bad_page', verdict.message, 'backoff');
    if (verdict.kind === 'stale') return fail('stale_page', '平台重复发送了已收到的数据（分页重复或乱序），已忽略，稍后重试', 'backoff');
    const records: MirrorChange[] = [];
    const catalogue: CatalogueChange[] = [];
    for (const c of verdict.fresh) {
      const staged = toStaged(c);
      if (staged) records.push(toMirrorChange(staged));
      else catalogue.push(catalogueChange(c));
    }
    const at = this.now();
    const next: PullState = { cursor: page.nextCursor, lastSeq: verdict.lastSeq, source: pull.source };
    const meta: Record<string, unknown> = { [SYNC_META.pull]: next };
    if (!page.hasMore) {
      meta[MetaKeys.mirrorAsOf] = at;
      meta[MetaKeys.mirrorSource] = source;
    }
    await applyChanges(this.db, records, { meta, catalogue, ordered: true });
    this.lastSeqHint = next.lastSeq;
    run.applied += verdict.fresh.length;
    if (verdict.fresh.length > 0 || !page.hasMore) {
      this.store.dispatch({ type: 'mirror', ...(page.hasMore ? {} : { completeAt: at, source }) });
    }
    return undefined;
  }

  private newSeenIds(): SeenIds {
    return this.hooks.seenIds?.() ?? new SeenIds();
  }

  private progressOf(load: LoadState, stage: 'download' | 'build', built: number): LoadProgress {
    const at = this.now();
    const base = {
      reason: load.reason,
      ...(load.message === undefined ? {} : { message: load.message }),
      records: load.records,
      startedAt: load.startedAt,
    };
    if (stage === 'download') {
      this.seqSamples = addSample(this.seqSamples, { at, done: load.lastSeq });
      this.recordSamples = addSample(this.recordSamples, { at, done: load.records });
      const bySeq = estimate(this.seqSamples, load.snapshotSeq);
      const byRecord = estimate(this.recordSamples, null);
      return { ...base, stage, done: load.lastSeq, total: load.snapshotSeq, ratePerSec: byRecord.ratePerSec, remainingMs: bySeq.remainingMs };
    }
    this.buildSamples = addSample(this.buildSamples, { at, done: built });
    const est = estimate(this.buildSamples, load.records);
    return { ...base, stage, done: built, total: load.records, ratePerSec: est.ratePerSec, remainingMs: est.remainingMs };
  }

  // -------------------------------------------------------------- enrolment and settings

  async enrol(input: EnrolInput): Promise<ActionResult<EnrolmentInfo>> {
    await this.init();
    const baseUrl = normaliseBaseUrl(input.baseUrl);
    if (baseUrl === null) return { ok: false, code: 'bad_url', message: '平台地址应以 http:// 或 https:// 开头，例如 http://10.20.30.40:7311' };
    const deviceName = input.deviceName.trim();
    if (deviceName === '') return { ok: false, code: 'bad_name', message: '请填写本机名称（如“兰山区政务服务中心 3号窗口”），便于平台识别' };
    const code = input.code.trim();
    if (code.replace(/[\s-]/g, '').length < 4) return { ok: false, code: 'bad_code', message: '请填写平台管理员提供的登记码' };
    // A cycle in progress gives way (it resumes from its saved position).
    this.current?.abort();
    return this.exclusive(async () => {
      const adapter = this.adapterFactory({ baseUrl, token: () => undefined, fetchImpl: this.fetchImpl, now: this.now });
      const health = await adapter.health();
      if (health.kind !== 'ok') {
        const f = adapterFailure(health);
        return { ok: false, code: f.code, message: `无法连接信用平台：${f.message}` };
      }
      const res = await adapter.enrol({ code, deviceName });
      if (res.kind !== 'ok') {
        const f = adapterFailure(res);
        return { ok: false, code: f.code, message: f.message };
      }
      const r = res.value;
      const secret = await this.secrets.setToken(r.token);
      const previous = this.enrolment;
      const info: EnrolmentInfo = { baseUrl, deviceId: r.deviceId, deviceName, department: r.department, district: r.district, enrolledAt: this.now() };
      const db = this.db;
      await db.transaction('rw', db.meta, async () => {
        await db.meta.put({ key: SYNC_META.enrolment, value: info });
        if (previous && previous.baseUrl !== baseUrl) {
          // Another platform: its log is not ours. The next sync loads it from scratch; the old
          // mirror serves the counter until the new one is complete.
          await db.meta.put({ key: SYNC_META.pull, value: null });
          await db.meta.put({ key: SYNC_META.platformId, value: null });
        }
      });
      this.enrolment = info;
      this.token = r.token;
      this.adapter = this.makeAdapter(baseUrl);
      this.store.dispatch({ type: 'enrolment', enrolment: info, tokenMissing: false, secret });
      this.store.dispatch({ type: 'clearError' });
      if (this.running) this.schedule(0);
      return { ok: true, value: info };
    });
  }

  async forgetEnrolment(): Promise<void> {
    await this.init();
    this.current?.abort();
    await this.exclusive(async () => {
      await this.secrets.deleteToken();
      await this.db.meta.put({ key: SYNC_META.enrolment, value: null });
      this.enrolment = null;
      this.token = null;
      this.adapter = null;
      this.store.dispatch({ type: 'enrolment', enrolment: null, tokenMissing: false });
      this.schedule(null);
    });
  }

  async setSchedule(schedule: { autoSync: boolean; intervalMs: number }): Promise<ActionResult<null>> {
    await this.init();
    const parsed = SyncConfig.safeParse(schedule);
    if (!parsed.success) return { ok: false, code: 'bad_interval', message: '同步间隔应在 10 秒到 7 天之间' };
    await this.db.meta.put({ key: SYNC_META.config, value: parsed.data });
    const turnedOn = parsed.data.autoSync && !this.config.autoSync;
    this.config = parsed.data;
    this.store.dispatch({ type: 'config', autoSync: parsed.data.autoSync, intervalMs: parsed.data.intervalMs });
    if (this.running) this.schedule(parsed.data.autoSync ? (turnedOn ? 0 : parsed.data.intervalMs) : null);
    return { ok: true, value: null };
  }

  // -------------------------------------------------------------- rejected records

  listRejected(): Promise<OutboxEntry[]> {
    return rejectedEntries(this.db);
  }

  async resubmit(ids: string[]): Promise<number> {
    const n = await resubmitEntries(this.db, ids);
    await this.refreshCounts();
    if (n > 0 && this.running && this.config.autoSync && this.current === null) this.schedule(this.tuning.pushSoonMs);
    return n;
  }

  async withdraw(ids: string[]): Promise<number> {
    const n = await withdrawEntries(this.db, ids, this.now());
    await this.refreshCounts();
    return n;
  }

  // -------------------------------------------------------------- file exchange

  /** The pending outbox as a package file (entries stay pending until the platform confirms). */
  async exportOutbox(): Promise<ActionResult<ExportedPackage>> {
    await this.init();
    const enrolment = this.enrolment;
    if (!enrolment) return { ok: false, code: 'not_enrolled', message: '本机尚未登记到信用平台，不能导出上报数据包' };
    const [entries, pull] = await Promise.all([pendingEntries(this.db), readPull(this.db)]);
    if (entries.length === 0) return { ok: false, code: 'empty', message: '没有待上报的记录' };
    const createdAt = this.now();
    const pkg = buildOutboxPackage({
      deviceId: enrolment.deviceId,
      deviceName: enrolment.deviceName,
      platformUrl: enrolment.baseUrl,
      createdAt,
      cursor: pull?.cursor ?? null,
      lastSeq: pull?.lastSeq ?? 0,
      records: entries.map(pushItemOf),
    });
    await this.db.meta.put({ key: SYNC_META.lastExport, value: { at: createdAt, count: entries.length } });
    return {
      ok: true,
      value: { fileName: `上报数据包-${enrolment.deviceId}-${stamp(createdAt)}.json`, bytes: encodePackage(pkg), count: entries.length },
    };
  }

  /**
   * Applies a list package from the platform through the same pull code as the network:
   * refused whole when damaged, foreign or malformed; idempotent (importing it again changes
   * nothing).
   */
  async importPackage(bytes: Uint8Array): Promise<ActionResult<ImportSummary>> {
    await this.init();
    const enrolment = this.enrolment;
    if (!enrolment) return { ok: false, code: 'not_enrolled', message: '本机尚未登记到信用平台，不能导入名单数据包' };
    const platformId = await readPlatformId(this.db);
    const opened = openListPackage(bytes, { deviceId: enrolment.deviceId, platformId });
    if (!opened.ok) return { ok: false, code: opened.error.problem, message: opened.error.message };
    const pkg = opened.value;
    this.current?.abort();
    return this.exclusive(async (signal) => {
      this.phase('importing');
      try {
        const adapter = new ListPackageAdapter(pkg, () => this.lastSeqHint);
        const run = await this.pullAll(adapter, signal, 'file');
        if (run.failure) {
          const error: SyncErrorInfo = { code: run.failure.code, message: run.failure.message, at: this.now() };
          this.store.dispatch({ type: 'failed', error, retryAt: this.store.getSnapshot().nextAttemptAt, countsAsFailure: false });
          return { ok: false, code: run.failure.code, message: run.failure.message };
        }
        await this.db.meta.put({ key: SYNC_META.platformId, value: pkg.platformId });
        const receipts = await applyReceipts(this.db, pkg.receipts, this.now());
        await this.refreshCounts();
        return { ok: true, value: { pages: run.pages, applied: run.applied, rebuilt: run.rebuilt, receipts } };
      } catch (e) {
        const message = signal.aborted ? '导入已中止，可再次导入同一数据包继续' : `导入数据包时出错：${errorText(e)}`;
        return { ok: false, code: signal.aborted ? 'aborted' : 'local_error', message };
      } finally {
        this.phase('idle');
      }
    });
  }
}

/** The engine's load and pull position, for tests and diagnostics. */
export { syncPosition } from './state';
