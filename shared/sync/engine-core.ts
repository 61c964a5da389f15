/**
 * The pure core of the sync engine (renderer/sync/engine.ts): retry timing, the rules that
 * decide whether a pulled page may be applied, the first-load estimate, and the status the
 * clerk sees, as a reducer. No clock, no randomness, no I/O of its own: everything comes in as
 * a parameter, so every rule here is tested without a network or a database.
 *
 * Pure code: imports only shared/.
 */
import { RETRY_AFTER_MAX_MS, type Change, type PullPage } from './protocol';

// ------------------------------------------------------------------ retry timing

export interface BackoffPolicy {
  /** Ceiling of the first retry; it doubles on every further failure. */
  baseMs: number;
  /** The ceiling never grows beyond this. */
  capMs: number;
}

/** 1 s doubling, capped at 5 minutes (PROTOCOL.md "Retrying"). */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * The wait before retry number `failures` (1 = after the first failure): exponential backoff
 * with "equal jitter": a ceiling of base·2^(failures−1) (capped), and a wait drawn uniformly
 * from [ceiling/2, ceiling). Half the ceiling keeps the growth (a flaky platform is not
 * hammered), the random half spreads the clients of a district that all lost the platform at
 * the same moment. `random` returns [0, 1), like Math.random.
 */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(failures));
  // 2^40 ms is 35 years: past that the cap has long applied, and the power stays finite.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n - 1, 40));
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(ceiling / 2 + r * (ceiling / 2));
}

/**
 * The wait the platform asked for with Retry-After, honoured (never shorter) plus a small
 * jitter (at most 10 % and at most 1 s) so the clients it turned away do not all return in the
 * same millisecond. Capped like the adapter caps it (RETRY_AFTER_MAX_MS).
 */
export function retryAfterDelay(ms: number, random: () => number): number {
  const wait = Math.min(Math.max(0, ms), RETRY_AFTER_MAX_MS);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(wait + r * Math.min(wait * 0.1, 1_000));
}

// ------------------------------------------------------------------ page sequencing

export type PageVerdict =
  /** Apply `fresh` (in order) and store the page's cursor with `lastSeq`, in one transaction. */
  | { kind: 'apply'; fresh: Change[]; duplicates: number; lastSeq: number }
  /**
   * Every change of the page was applied before (a page replayed by a gateway, or an older page
   * arriving late): nothing changes, and the cursor does not move (the page's cursor may be
   * behind the one the client holds).
   */
  | { kind: 'stale'; duplicates: number }
  /** The page breaks the sequence rules: refused whole, the cursor does not move. */
  | { kind: 'refuse'; message: string };

/**
 * Decides what a validated page (parsePage) does to a mirror whose last applied change is
 * `lastSeq` (0 before the first). Rules (PROTOCOL.md "At-least-once"):
 * - changes at or below `lastSeq`, and repeats within the page, are dropped (freshChanges);
 * - the first occurrences of the remaining seqs must ascend: a change that goes back below a
 *   seq already met in the page, without being a repeat of it, would be silently dropped by
 *   the rule above; the page is refused instead (a broken platform, not a retry);
 * - a page with changes none of which is new is `stale`: applying its cursor could move the
 *   client backwards;
 * - an empty page is applied (it moves the cursor to the end of the log).
 */
export function sequencePage(page: Pick<PullPage, 'changes'>, lastSeq: number): PageVerdict {
  const fresh: Change[] = [];
  const seen = new Set<number>();
  let max = lastSeq;
  let duplicates = 0;
  for (let i = 0; i < page.changes.length; i++) {
    const change = page.changes[i] as Change;
    const { seq } = change;
    if (seq <= lastSeq || seen.has(seq)) {
      duplicates += 1;
      continue;
    }
    if (seq < max) {
      return {
        kind: 'refuse',
        message: `平台返回的分页顺序错乱（第 ${i} 条变更序号 ${seq} 小于此前的 ${max}），整页已拒收，稍后将重新获取`,
      };
    }
    seen.add(seq);
    fresh.push(change);
    max = seq;
  }
  if (page.changes.length > 0 && fresh.length === 0) return { kind: 'stale', duplicates };
  return { kind: 'apply', fresh, duplicates, lastSeq: max };
}

// ------------------------------------------------------------------ estimate

export interface RateSample {
  /** epoch ms */
  at: number;
  /** Units done by then (records, or seqs of the log). */
  done: number;
}

/** Keeps the samples of the last `windowMs` (at least two), appending `sample`. */
export function addSample(samples: readonly RateSample[], sample: RateSample, windowMs = 30_000): RateSample[] {
  const out = [...samples, sample];
  while (out.length > 2 && (out[1] as RateSample).at <= sample.at - windowMs) out.shift();
  return out;
}

export interface Estimate {
  /** Units per second over the window; null until it can be measured. */
  ratePerSec: number | null;
  /** Time left at that rate; null when unknown. */
  remainingMs: number | null;
}

/** Rate over the sampled window and the time left to reach `total`. */
export function estimate(samples: readonly RateSample[], total: number | null): Estimate {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.at - first.at < 500 || last.done <= first.done) return { ratePerSec: null, remainingMs: null };
  const ratePerSec = ((last.done - first.done) * 1000) / (last.at - first.at);
  if (total === null) return { ratePerSec, remainingMs: null };
  return { ratePerSec, remainingMs: Math.max(0, Math.round(((total - last.done) / ratePerSec) * 1000)) };
}

/** "约 3 分 20 秒" for an estimate shown to the clerk. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} 分 ${s % 60} 秒`;
  return `${Math.floor(m / 60)} 小时 ${m % 60} 分`;
}

// ------------------------------------------------------------------ status

export type Connectivity = 'unknown' | 'online' | 'offline';

export type SyncPhase =
  | 'idle'
  /** Asking the platform's health endpoint whether it is reachable. */
  | 'probing'
  | 'pushing'
  /** Delta pulls. */
  | 'pulling'
  /** A first load (or a reload after a reset) downloading pages. */
  | 'loading'
  /** Building the new mirror generation from the downloaded pages. */
  | 'building'
  /** Applying a list package from a file. */
  | 'importing';

export interface EnrolmentInfo {
  baseUrl: string;
  deviceId: string;
  deviceName: string;
  department: string;
  district: string;
  enrolledAt: number;
}

/** Where the platform token is kept (from the bridge's getSecretBackend / setSecret). */
export type SecretMode =
  | { mode: 'encrypted'; provider: string }
  | { mode: 'session-only'; reason: string }
  | { mode: 'unknown' };

export interface LoadProgress {
  /** first: no mirror from the platform yet; reset: the platform said start over; */
  reason: 'first' | 'reset';
  /** Chinese, why a reset happened (the platform's message). */
  message?: string;
  stage: 'download' | 'build';
  /** download: the log seq reached; build: records stored in the new generation. */
  done: number;
  /** download: snapshotSeq; build: records downloaded. null until known. */
  total: number | null;
  /** List records downloaded so far. */
  records: number;
  ratePerSec: number | null;
  remainingMs: number | null;
  startedAt: number;
}

export interface SyncErrorInfo {
  /** For programs: an adapter / protocol code, or engine codes (see engine.ts). */
  code: string;
  /** Plain Chinese for the clerk. */
  message: string;
  at: number;
}

/** How one sync cycle ended. */
export interface CycleOutcome {
  ok: boolean;
  error?: SyncErrorInfo;
  /** When the next automatic attempt is due (null: none scheduled). */
  nextAt: number | null;
}

export interface PushSummary {
  accepted: number;
  duplicate: number;
  rejected: number;
  at: number;
}

export interface SyncStatus {
  /** False until the engine has read its state from the database. */
  ready: boolean;
  enrolment: EnrolmentInfo | null;
  /** Enrolled, but the token is gone (a session-only secret store after a restart): enrol again. */
  tokenMissing: boolean;
  secret: SecretMode;
  connectivity: Connectivity;
  /** When connectivity was last established (probe or request). */
  checkedAt: number | null;
  phase: SyncPhase;
  load: LoadProgress | null;
  /** When the mirror last held everything the platform had (mirror.asOf); null = never. */
  mirrorCompleteAt: number | null;
  mirrorSource: 'platform' | 'file' | 'sample' | null;
  /** Outbox entries waiting to be delivered. */
  pending: number;
  /** Outbox entries the platform refused, waiting for the clerk. */
  rejected: number;
  lastError: SyncErrorInfo | null;
  /** End of the last cycle that completed without an error. */
  lastSuccessAt: number | null;
  /** When the engine will try next (null: not scheduled). */
  nextAttemptAt: number | null;
  /** Consecutive failed attempts (drives the backoff). */
  failures: number;
  autoSync: boolean;
  intervalMs: number;
  lastPush: PushSummary | null;
  /** Bumped whenever the mirror or the catalogue changed: readers refresh what they show. */
  revision: number;
}

export const INITIAL_STATUS: SyncStatus = {
  ready: false,
  enrolment: null,
  tokenMissing: false,
  secret: { mode: 'unknown' },
  connectivity: 'unknown',
  checkedAt: null,
  phase: 'idle',
  load: null,
  mirrorCompleteAt: null,
  mirrorSource: null,
  pending: 0,
  rejected: 0,
  lastError: null,
  lastSuccessAt: null,
  nextAttemptAt: null,
  failures: 0,
  autoSync: true,
  intervalMs: 5 * 60_000,
  lastPush: null,
  revision: 0,
};

export type SyncEvent =
  | { type: 'loaded'; patch: Partial<Omit<SyncStatus, 'ready'>> }
  | { type: 'enrolment'; enrolment: EnrolmentInfo | null; tokenMissing: boolean; secret?: SecretMode }
  | { type: 'config'; autoSync: boolean; intervalMs: number }
  | { type: 'phase'; phase: SyncPhase }
  /** Reached the platform (any answer from it) or failed to. */
  | { type: 'connectivity'; online: boolean; at: number }
  | { type: 'load'; load: LoadProgress | null }
  | { type: 'mirror'; completeAt?: number | null; source?: SyncStatus['mirrorSource'] }
  | { type: 'counts'; pending: number; rejected: number }
  | { type: 'pushed'; summary: PushSummary }
  /** A cycle failed; `retryAt` is when it will be tried again (null: not automatically). */
  | { type: 'failed'; error: SyncErrorInfo; retryAt: number | null; countsAsFailure: boolean }
  | { type: 'succeeded'; at: number; nextAt: number | null }
  | { type: 'scheduled'; at: number | null }
  | { type: 'clearError' };

/** The status after `event`; returns `status` itself when nothing changed (for useSyncExternalStore). */
export function reduceStatus(status: SyncStatus, event: SyncEvent): SyncStatus {
  const next = reduce(status, event);
  return shallowEqual(status, next) ? status : next;
}

function reduce(s: SyncStatus, e: SyncEvent): SyncStatus {
  switch (e.type) {
    case 'loaded':
      return { ...s, ...e.patch, ready: true };
    case 'enrolment':
      return { ...s, enrolment: e.enrolment, tokenMissing: e.tokenMissing, ...(e.secret ? { secret: e.secret } : {}) };
    case 'config':
      return { ...s, autoSync: e.autoSync, intervalMs: e.intervalMs };
    case 'phase':
      return { ...s, phase: e.phase };
    case 'connectivity':
      return { ...s, connectivity: e.online ? 'online' : 'offline', checkedAt: e.at };
    case 'load':
      return { ...s, load: e.load };
    case 'mirror':
      return {
        ...s,
        ...(e.completeAt === undefined ? {} : { mirrorCompleteAt: e.completeAt }),
        ...(e.source === undefined ? {} : { mirrorSource: e.source }),
        revision: s.revision + 1,
      };
    case 'counts':
      return { ...s, pending: e.pending, rejected: e.rejected };
    case 'pushed':
      return { ...s, lastPush: e.summary };
    case 'failed':
      return {
        ...s,
        phase: 'idle',
        lastError: e.error,
        nextAttemptAt: e.retryAt,
        failures: e.countsAsFailure ? s.failures + 1 : s.failures,
      };
    case 'succeeded':
      return { ...s, phase: 'idle', lastError: null, failures: 0, lastSuccessAt: e.at, nextAttemptAt: e.nextAt };
    case 'scheduled':
      return { ...s, nextAttemptAt: e.at };
    case 'clearError':
      return { ...s, lastError: null };
  }
}

function shallowEqual(a: SyncStatus, b: SyncStatus): boolean {
  for (const k of Object.keys(b) as (keyof SyncStatus)[]) if (a[k] !== b[k]) return false;
  return true;
}

/** One line for the status bar, e.g. "在线 · 待上报 3 条" or "离线 · 名单截至 …". */
export function statusHeadline(s: SyncStatus): string {
  if (!s.enrolment) return '未登记平台';
  if (s.tokenMissing) return '需重新登记';
  const conn = s.connectivity === 'online' ? '在线' : s.connectivity === 'offline' ? '离线' : '未连接';
  if (s.load) return `${conn} · ${s.load.reason === 'reset' ? '名单重建中' : '首次下载名单中'}`;
  const parts = [conn];
  if (s.pending > 0) parts.push(`待上报 ${s.pending} 条`);
  if (s.rejected > 0) parts.push(`退回 ${s.rejected} 条`);
  return parts.join(' · ');
}
