/**
 * What the 统计 screen counts, read from this workstation's records for a range [from, to) and
 * handed to shared/domain/stats.ts (summarize, quarterlyReport).
 *
 * Reading:
 * - checks by the `createdAt` index and feedback by `at`, in chunks of `chunk` rows (each one
 *   index-range `getAll`, the next starting above the last instant read), each chunk its own
 *   short read with a pause for the event loop between chunks, so tens of thousands of rows
 *   never hold the UI; only the fields statistics read are kept (no hits, decisions or frozen
 *   print form). A JS filter on a cursor would be ~100× slower (measured under fake-indexeddb).
 * - commitments have no time index (database.ts v3): they are read in primary-key chunks and
 *   only those that can count in the range are kept (made before its end and not ended before
 *   its start). There is one per 容缺受理 case, far fewer than checks.
 * - a commitment's department is its check's: checks named by a kept commitment but made
 *   outside the range are fetched by id.
 * - the outbox is counted per state through its `state` index.
 *
 * Personal data: a clerk's 不执行 reason is free text; any valid 公民身份号码 written in it is
 * masked here, so neither the screen nor an export built from these rows shows one whole.
 *
 * Permission: the caller passes the signed-in session (renderer/db/session.ts); reading needs
 * 'stats.view', checked here (requirePermission: a live session whose role has it).
 */
import { maskIdNumbersInText } from '../../shared/domain/identifiers';
import type { CheckRecord, Commitment, FeedbackRecord } from '../../shared/domain/schemas';
import {
  commitmentEndedAt,
  quarterRange,
  quarterlyReport,
  type QuarterlyRow,
  type StatsCheck,
  type StatsCommitment,
  type StatsFeedback,
  type StatsInput,
} from '../../shared/domain/stats';
import { OutboxState } from '../../shared/sync/outbox';
import type { EntityTable } from 'dexie';
import { outboxInState, type HechataiDb } from './database';
import { requirePermission, type Session } from './session';

/** Rows per read transaction. */
export const STATS_CHUNK = 2_000;

export interface StatsReadOptions {
  chunk?: number;
  /** Stop reading (the clerk chose another range); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each chunk with the number of rows read so far (checks + feedback + commitments). */
  onProgress?: (rowsRead: number) => void;
}

export type OutboxCounts = Record<OutboxState, number>;

export interface StatsSource {
  input: StatsInput;
  /** Outbox entries by state, now (not limited to the range). */
  outbox: OutboxCounts;
}

// ---------------------------------------------------------------- projections

function slimCheck(c: CheckRecord): StatsCheck {
  return {
    id: c.id,
    createdAt: c.createdAt,
    clerk: c.clerk,
    department: c.department,
    matterId: c.matterId,
    headline: c.headline,
    fastTrack: c.fastTrack === true,
    greenChannel: c.greenChannel === true,
  };
}

function slimFeedback(f: FeedbackRecord): StatsFeedback {
  const slim: StatsFeedback = {
    id: f.id,
    at: f.at,
    type: f.type,
    matterId: f.matterId,
    department: f.department,
    clerk: f.clerk,
  };
  if (f.type === '不执行' && f.reason !== undefined) slim.reason = maskIdNumbersInText(f.reason);
  return slim;
}

function slimCommitment(c: Commitment): StatsCommitment {
  const slim: StatsCommitment = {
    id: c.id,
    checkId: c.checkId,
    createdAt: c.createdAt,
    deadline: c.deadline,
    clerk: c.clerk,
    matterId: c.matterId,
    status: c.status,
  };
  if (c.suppliedAt !== undefined) slim.suppliedAt = c.suppliedAt;
  if (c.breachedAt !== undefined) slim.breachedAt = c.breachedAt;
  return slim;
}

// ---------------------------------------------------------------- chunked reading

/** Lets the renderer paint and handle input between two chunks. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('统计已取消', 'AbortError');
}

/**
 * Every row of `table` whose `index` value is in [from, to), a chunk at a time, each chunk one
 * `getAll` over an index range. A chunk ends at the last value it reached: the rows of that
 * value are then read whole with `equals`, and the next chunk starts just above it, so rows
 * sharing an instant are read once however many there are.
 */
async function readByTime<T extends { id: string }, S>(
  table: EntityTable<T, 'id'>,
  index: 'createdAt' | 'at',
  timeOf: (row: T) => number,
  from: number,
  to: number,
  slim: (row: T) => S,
  out: S[],
  opts: Required<Pick<StatsReadOptions, 'chunk'>> & StatsReadOptions,
  progress: () => void,
): Promise<void> {
  if (from >= to) return;
  let lower = from;
  let lowerOpen = false;
  for (;;) {
    checkAbort(opts.signal);
    const rows: T[] = await table.where(index).between(lower, to, !lowerOpen, false).limit(opts.chunk).toArray();
    if (rows.length < opts.chunk) {
      for (const r of rows) out.push(slim(r));
      progress();
      return;
    }
    const last = timeOf(rows[rows.length - 1] as T);
    for (const r of rows) if (timeOf(r) !== last) out.push(slim(r));
    const tie: T[] = await table.where(index).equals(last).toArray();
    for (const r of tie) out.push(slim(r));
    progress();
    lower = last;
    lowerOpen = true;
    await pause();
  }
}

async function readCommitments(
  db: HechataiDb,
  from: number,
  to: number,
  out: StatsCommitment[],
  opts: Required<Pick<StatsReadOptions, 'chunk'>> & StatsReadOptions,
  progress: () => void,
): Promise<void> {
  let after: string | null = null;
  for (;;) {
    checkAbort(opts.signal);
    const rows: Commitment[] = await (after === null ? db.commitments.orderBy(':id') : db.commitments.where(':id').above(after))
      .limit(opts.chunk)
      .toArray();
    for (const c of rows) {
      const ended = commitmentEndedAt(c);
      // Made after the range, or over before it began: it counts nowhere in [from, to).
      if (c.createdAt < to && (ended === null || ended >= from)) out.push(slimCommitment(c));
    }
    progress();
    if (rows.length < opts.chunk) return;
    after = (rows[rows.length - 1] as Commitment).id;
    await pause();
  }
}

export async function outboxCounts(db: HechataiDb): Promise<OutboxCounts> {
  const states = OutboxState.options;
  const counts = await Promise.all(states.map((s) => outboxInState(db, s).count()));
  return Object.fromEntries(states.map((s, i) => [s, counts[i] ?? 0])) as OutboxCounts;
}

/**
 * The records of [from, to) for summarize(): checks made and feedback given in the range, the
 * commitments that count in it (with the checks they belong to), and the outbox now.
 */
export async function readStatsSource(
  db: HechataiDb,
  session: Session,
  range: { from: number; to: number },
  options: StatsReadOptions = {},
): Promise<StatsSource> {
  requirePermission(session, 'stats.view');
  const { from, to } = range;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to)
    throw new RangeError('统计区间无效：开始时间不得晚于结束时间');
  const chunk = options.chunk ?? STATS_CHUNK;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`每批读取条数应为正整数：${chunk}`);
  const opts = { ...options, chunk };

  const checks: StatsCheck[] = [];
  const feedback: StatsFeedback[] = [];
  const commitments: StatsCommitment[] = [];
  const progress = () => options.onProgress?.(checks.length + feedback.length + commitments.length);

  await readByTime(db.checks, 'createdAt', (c) => c.createdAt, from, to, slimCheck, checks, opts, progress);
  await readByTime(db.feedback, 'at', (f) => f.at, from, to, slimFeedback, feedback, opts, progress);
  await readCommitments(db, from, to, commitments, opts, progress);

  // The department of a commitment is its check's, which may have been made before the range.
  const have = new Set(checks.map((c) => c.id));
  const missing = [...new Set(commitments.map((c) => c.checkId).filter((id) => !have.has(id)))];
  for (let i = 0; i < missing.length; i += chunk) {
    checkAbort(options.signal);
    const found = await db.checks.bulkGet(missing.slice(i, i + chunk));
    for (const c of found) if (c) checks.push(slimCheck(c));
  }

  checkAbort(options.signal);
  const outbox = await outboxCounts(db);
  return {
    input: { checks, feedback, commitments, pendingOutbox: outbox.pending, from, to },
    outbox,
  };
}

/**
 * The 季度报送 rows of one quarter (docs/quarterly-report.md): one per department, then 合计.
 * `departments` are listed even with nothing to report (e.g. the reporting unit's own).
 */
export async function readQuarterlyReport(
  db: HechataiDb,
  session: Session,
  year: number,
  quarter: 1 | 2 | 3 | 4,
  options: StatsReadOptions & { departments?: readonly string[] } = {},
): Promise<QuarterlyRow[]> {
  if (!Number.isInteger(year) || ![1, 2, 3, 4].includes(quarter))
    throw new RangeError(`季度无效：${year} 年第 ${quarter} 季度`);
  const { input } = await readStatsSource(db, session, quarterRange(year, quarter), options);
  return quarterlyReport({ ...input, year, quarter, departments: options.departments });
}
