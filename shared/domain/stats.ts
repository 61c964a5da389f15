/**
 * Statistics (跟踪、监测、统计, 000 §十五, 004 §26): checks, hits, measures applied and not
 * applied, fast-track and green-channel cases, commitments, by period, matter, department or
 * clerk; and the rows of the quarterly report (季度报送) sent to the credit platform.
 *
 * Pure functions over the records the client keeps (CheckRecord, FeedbackRecord, Commitment).
 *
 * Conventions:
 * - A range is half-open, [from, to), in epoch ms. Periods (day, month, quarter) are China
 *   calendar periods (UTC+8): 2026年第1季度 is [2025-12-31T16:00Z, 2026-03-31T16:00Z).
 * - Every record counts once: checks, feedback (whose id is the idempotency key) and
 *   commitments are deduplicated by id, so a replayed queue never double-counts.
 * - A check counts in the period of its createdAt; a feedback record in that of its `at`.
 * - A "hit" is a check whose headline is not 'clear'; it counts under its headline only (a
 *   check that hit both a black and a red list counts as black, as the verdict showed it).
 * - Measures applied / not applied come from the feedback records (执行反馈): 已惩戒, 已激励,
 *   不执行 — one per measure decided, so one check may count several.
 * - Commitments count by event: `made` in the period of createdAt, `supplied` of suppliedAt,
 *   `breached` of breachedAt (createdAt if the record lacks the time); `openAtEnd` is a
 *   snapshot: made before the end of the period and neither supplied nor breached by then;
 *   `overdueAtEnd` are those of them whose deadline had passed at the end (not yet marked
 *   breached). With `asOf` (the present) the snapshot is taken at min(end, asOf) instead, so a
 *   period still running does not call a deadline still to come overdue, and a period not yet
 *   begun has none (0). A commitment has no department of its own: it takes that of its check
 *   (looked up by checkId among all the checks passed in), or UNKNOWN_DEPARTMENT.
 */
import type { CheckRecord, Commitment, FeedbackRecord, FeedbackType, Headline } from './schemas';
import { addDays, chinaDate } from './rules-config';

const MS_PER_HOUR = 3_600_000;
const CHINA_OFFSET_MS = 8 * MS_PER_HOUR;

export const UNKNOWN_DEPARTMENT = '（未知部门）';
export const NO_REASON = '（未填写理由）';

export type StatsDimension = 'day' | 'month' | 'quarter' | 'matter' | 'department' | 'clerk';
export type PeriodDimension = Extract<StatsDimension, 'day' | 'month' | 'quarter'>;

/** Period rows are limited to this many (e.g. ten years by day): use a coarser dimension beyond. */
export const MAX_PERIODS = 3_700;

/**
 * The fields of each record that statistics read: a repository may pass whole records or keep
 * only these while streaming tens of thousands of them (renderer/db/stats-source.ts).
 */
export type StatsCheck = Pick<
  CheckRecord,
  'id' | 'createdAt' | 'clerk' | 'department' | 'matterId' | 'headline' | 'fastTrack' | 'greenChannel'
>;
export type StatsFeedback = Pick<FeedbackRecord, 'id' | 'at' | 'type' | 'reason' | 'matterId' | 'department' | 'clerk'>;
export type StatsCommitment = Pick<
  Commitment,
  'id' | 'checkId' | 'createdAt' | 'deadline' | 'clerk' | 'matterId' | 'status' | 'suppliedAt' | 'breachedAt'
>;

export interface StatsInput {
  checks: readonly StatsCheck[];
  feedback: readonly StatsFeedback[];
  commitments: readonly StatsCommitment[];
  /** Outbox entries still pending (not yet accepted by the platform). */
  pendingOutbox: number;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /**
   * The present, if the range may reach past it (本月, 本季度): the commitment snapshots
   * (openAtEnd, overdueAtEnd) are then taken at min(end, asOf) — a deadline that has not come
   * yet is not overdue. Absent: at the end of the range (or of each group).
   */
  asOf?: number;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface StatsTotals {
  /** 核查次数 */
  checks: number;
  /** Checks whose headline is black, watch or red. */
  hits: number;
  hitsByHeadline: Record<Exclude<Headline, 'clear'>, number>;
  /** hits / checks, in [0, 1]; null when there were no checks. */
  hitRate: number | null;
  /** Feedback records by type: 已惩戒 and 已激励 are measures applied, 不执行 not applied. */
  measures: Record<FeedbackType, number>;
  /** The reasons given for 不执行 (trimmed, inner whitespace collapsed), most frequent first. */
  notAppliedReasons: ReasonCount[];
  /** 容缺受理 */
  fastTrack: number;
  /** 绿色通道 */
  greenChannel: number;
  commitments: {
    made: number;
    supplied: number;
    breached: number;
    openAtEnd: number;
    overdueAtEnd: number;
  };
}

export interface StatsGroup extends StatsTotals {
  /** Period key (2026-03-05, 2026-03, 2026-Q1) or the matter id / department / clerk. */
  key: string;
  /** For display: 2026-03-05, 2026年3月, 2026年第1季度, or the key itself. */
  label: string;
  /** The part of [from, to) this group covers (the whole range for non-period groups). */
  from: number;
  to: number;
}

export interface StatsSummary extends StatsTotals {
  from: number;
  to: number;
  /** 待同步: records waiting in the outbox. Not broken down by group. */
  pendingSync: number;
  by: StatsDimension | null;
  /** Periods in chronological order, all of them (zeros included); other groups in key order. */
  groups: StatsGroup[];
}

// ---------------------------------------------------------------- China periods

/** 00:00 China time of a calendar date (YYYY-MM-DD), in epoch ms. */
export function chinaMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - CHINA_OFFSET_MS;
}

function monthStart(year: number, month0: number): number {
  return Date.UTC(year, month0, 1) - CHINA_OFFSET_MS;
}

/** The China-time range of a quarter: [first day 00:00, first day of the next quarter 00:00). */
export function quarterRange(year: number, quarter: 1 | 2 | 3 | 4): { from: number; to: number } {
  return { from: monthStart(year, 3 * (quarter - 1)), to: monthStart(year, 3 * quarter) };
}

export function quarterLabel(year: number, quarter: number): string {
  return `${year}年第${quarter}季度`;
}

/** The key of the China period holding an instant: 2026-03-05, 2026-03 or 2026-Q1. */
export function periodKey(epochMs: number, by: PeriodDimension): string {
  const date = chinaDate(epochMs);
  if (by === 'day') return date;
  if (by === 'month') return date.slice(0, 7);
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

interface Period {
  key: string;
  label: string;
  start: number;
  end: number;
}

function periodAt(epochMs: number, by: PeriodDimension): Period {
  const date = chinaDate(epochMs);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (by === 'day') {
    return { key: date, label: date, start: chinaMidnight(date), end: chinaMidnight(addDays(date, 1)) };
  }
  if (by === 'month') {
    return {
      key: date.slice(0, 7),
      label: `${year}年${month}月`,
      start: monthStart(year, month - 1),
      end: monthStart(year, month),
    };
  }
  const quarter = Math.floor((month - 1) / 3) + 1;
  return {
    key: `${year}-Q${quarter}`,
    label: quarterLabel(year, quarter),
    start: monthStart(year, 3 * (quarter - 1)),
    end: monthStart(year, 3 * quarter),
  };
}

/** Every China period overlapping [from, to), in order. */
export function periodsBetween(from: number, to: number, by: PeriodDimension): Period[] {
  const periods: Period[] = [];
  let t = from;
  while (t < to) {
    if (periods.length >= MAX_PERIODS)
      throw new RangeError(`统计区间过长（超过 ${MAX_PERIODS} 个期间），请缩小区间或改用更粗的维度`);
    const p = periodAt(t, by);
    periods.push(p);
    t = p.end;
  }
  return periods;
}

// ---------------------------------------------------------------- preparing the records

function uniqueById<T extends { id: string }>(records: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const r of records) if (!seen.has(r.id)) seen.set(r.id, r);
  return [...seen.values()];
}

const STATUS_RANK: Record<Commitment['status'], number> = { open: 0, supplied: 1, breached: 1 };

/** One commitment per id: an ended state (supplied / breached) wins over open. */
function uniqueCommitments(commitments: readonly StatsCommitment[]): StatsCommitment[] {
  const byId = new Map<string, StatsCommitment>();
  for (const c of commitments) {
    const seen = byId.get(c.id);
    if (!seen || STATUS_RANK[c.status] > STATUS_RANK[seen.status]) byId.set(c.id, c);
  }
  return [...byId.values()];
}

/** When a commitment ended (supplied or breached), or null while open. */
export function commitmentEndedAt(c: StatsCommitment): number | null {
  if (c.status === 'supplied') return c.suppliedAt ?? c.createdAt;
  if (c.status === 'breached') return c.breachedAt ?? c.createdAt;
  return null;
}

export function normalizeReason(reason: string | undefined): string {
  const r = (reason ?? '').replace(/\s+/gu, ' ').trim();
  return r.length > 0 ? r : NO_REASON;
}

const within = (t: number, from: number, to: number): boolean => t >= from && t < to;

interface Prepared {
  checks: StatsCheck[];
  feedback: StatsFeedback[];
  commitments: StatsCommitment[];
  /** checkId → department, over every check given (not only those in the range). */
  departmentOfCheck: Map<string, string>;
}

function prepare(input: StatsInput): Prepared {
  const checks = uniqueById(input.checks);
  return {
    checks,
    feedback: uniqueById(input.feedback),
    commitments: uniqueCommitments(input.commitments),
    departmentOfCheck: new Map(checks.map((c) => [c.id, c.department])),
  };
}

// ---------------------------------------------------------------- totals

function totals(p: Prepared, from: number, to: number, asOf?: number): StatsTotals {
  const checks = p.checks.filter((c) => within(c.createdAt, from, to));
  const hitsByHeadline = { black: 0, watch: 0, red: 0 };
  let fastTrack = 0;
  let greenChannel = 0;
  for (const c of checks) {
    if (c.headline !== 'clear') hitsByHeadline[c.headline] += 1;
    if (c.fastTrack) fastTrack += 1;
    if (c.greenChannel) greenChannel += 1;
  }
  const hits = hitsByHeadline.black + hitsByHeadline.watch + hitsByHeadline.red;

  const measures: Record<FeedbackType, number> = { 已惩戒: 0, 已激励: 0, 不执行: 0 };
  const reasons = new Map<string, number>();
  for (const f of p.feedback) {
    if (!within(f.at, from, to)) continue;
    measures[f.type] += 1;
    if (f.type === '不执行') {
      const reason = normalizeReason(f.reason);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  const notAppliedReasons = [...reasons]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));

  // The snapshot instant: the end of the range, or the present if that comes first. "Today" is
  // that instant's date, as commitmentState sees it: a deadline before it has passed.
  // A period that begins after the present has no snapshot yet.
  const at = asOf === undefined ? to : Math.min(to, asOf);
  const snapshot = asOf === undefined || asOf >= from;
  const endDate = chinaDate(at);
  const commitments = { made: 0, supplied: 0, breached: 0, openAtEnd: 0, overdueAtEnd: 0 };
  for (const c of p.commitments) {
    if (within(c.createdAt, from, to)) commitments.made += 1;
    const ended = commitmentEndedAt(c);
    if (ended !== null && within(ended, from, to)) {
      if (c.status === 'supplied') commitments.supplied += 1;
      else commitments.breached += 1;
    }
    if (snapshot && c.createdAt < at && (ended === null || ended >= at)) {
      commitments.openAtEnd += 1;
      if (c.deadline < endDate) commitments.overdueAtEnd += 1;
    }
  }

  return {
    checks: checks.length,
    hits,
    hitsByHeadline,
    hitRate: checks.length > 0 ? hits / checks.length : null,
    measures,
    notAppliedReasons,
    fastTrack,
    greenChannel,
    commitments,
  };
}

function restrict(p: Prepared, keep: {
  check: (c: StatsCheck) => boolean;
  feedback: (f: StatsFeedback) => boolean;
  commitment: (c: StatsCommitment) => boolean;
}): Prepared {
  return {
    checks: p.checks.filter(keep.check),
    feedback: p.feedback.filter(keep.feedback),
    commitments: p.commitments.filter(keep.commitment),
    departmentOfCheck: p.departmentOfCheck,
  };
}

type AttributeDimension = Exclude<StatsDimension, PeriodDimension>;

function keyFns(p: Prepared, by: AttributeDimension) {
  switch (by) {
    case 'matter':
      return {
        check: (c: StatsCheck) => c.matterId,
        feedback: (f: StatsFeedback) => f.matterId,
        commitment: (c: StatsCommitment) => c.matterId,
      };
    case 'department':
      return {
        check: (c: StatsCheck) => c.department,
        feedback: (f: StatsFeedback) => f.department,
        commitment: (c: StatsCommitment) => p.departmentOfCheck.get(c.checkId) ?? UNKNOWN_DEPARTMENT,
      };
    case 'clerk':
      return {
        check: (c: StatsCheck) => c.clerk,
        feedback: (f: StatsFeedback) => f.clerk,
        commitment: (c: StatsCommitment) => c.clerk,
      };
  }
}

function isPeriod(by: StatsDimension): by is PeriodDimension {
  return by === 'day' || by === 'month' || by === 'quarter';
}

function hasActivity(t: StatsTotals): boolean {
  const c = t.commitments;
  return (
    t.checks + t.measures.已惩戒 + t.measures.已激励 + t.measures.不执行 +
      c.made + c.supplied + c.breached + c.openAtEnd >
    0
  );
}

function attributeGroups(p: Prepared, from: number, to: number, by: AttributeDimension, asOf?: number): StatsGroup[] {
  const key = keyFns(p, by);
  const keys = new Set<string>();
  for (const c of p.checks) if (within(c.createdAt, from, to)) keys.add(key.check(c));
  for (const f of p.feedback) if (within(f.at, from, to)) keys.add(key.feedback(f));
  for (const c of p.commitments) if (c.createdAt < to) keys.add(key.commitment(c));
  const groups: StatsGroup[] = [];
  for (const k of [...keys].sort()) {
    const t = totals(
      restrict(p, {
        check: (c) => key.check(c) === k,
        feedback: (f) => key.feedback(f) === k,
        commitment: (c) => key.commitment(c) === k,
      }),
      from,
      to,
      asOf,
    );
    // A commitment made before the range and ended before it leaves no trace in it.
    if (hasActivity(t)) groups.push({ key: k, label: k, from, to, ...t });
  }
  return groups;
}

/**
 * Totals over [from, to), and the same broken down by `by` if given. Period groups (day, month,
 * quarter in China time) cover every period overlapping the range, zeros included, each clipped
 * to the range; matter / department / clerk groups are those with any activity in the range,
 * in key order.
 */
export function summarize(input: StatsInput, by?: StatsDimension): StatsSummary {
  const { from, to } = input;
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to)
    throw new RangeError('统计区间无效：开始时间不得晚于结束时间');
  const p = prepare(input);
  let groups: StatsGroup[] = [];
  if (by && isPeriod(by)) {
    groups = periodsBetween(from, to, by).map((period) => {
      const gFrom = Math.max(from, period.start);
      const gTo = Math.min(to, period.end);
      return { key: period.key, label: period.label, from: gFrom, to: gTo, ...totals(p, gFrom, gTo, input.asOf) };
    });
  } else if (by) {
    groups = attributeGroups(p, from, to, by, input.asOf);
  }
  return {
    from,
    to,
    ...totals(p, from, to, input.asOf),
    pendingSync: Math.max(0, Math.trunc(input.pendingOutbox)),
    by: by ?? null,
    groups,
  };
}

// ---------------------------------------------------------------- 季度报送

/**
 * The quarterly report (季度报送) layout, one row per department plus a 合计 row, in this column
 * order (the xlsx sheet has these headers in row 1, data from row 2):
 *
 * | # | header              | key          | content                                           |
 * |---|---------------------|--------------|---------------------------------------------------|
 * | A | 统计期间            | period       | 2026年第1季度                                     |
 * | B | 部门                | department   | the department; 合计 in the last row              |
 * | C | 核查次数            | checks       | checks made (应查必查)                            |
 * | D | 命中黑名单次数      | blackHits    | checks whose headline was black                   |
 * | E | 命中重点关注名单次数 | watchHits   | checks whose headline was watch                   |
 * | F | 命中红名单次数      | redHits      | checks whose headline was red                     |
 * | G | 实施惩戒措施次数    | punished     | feedback 已惩戒                                    |
 * | H | 实施激励措施次数    | rewarded     | feedback 已激励                                    |
 * | I | 未执行次数          | notApplied   | feedback 不执行                                    |
 * | J | 容缺受理件数        | fastTrack    | checks accepted under 容缺受理                     |
 * | K | 绿色通道件数        | greenChannel | checks given the green channel                     |
 * | L | 违诺件数            | breached     | commitments breached in the quarter (by breachedAt) |
 *
 * Counting rules as in summarize (module comment). Numbers are plain integers. The workbook
 * and every column's definition are described in docs/quarterly-report.md; `definition` is the
 * same text as the workbook's 填报说明 sheet shows.
 */
export const QUARTERLY_COLUMNS = [
  { key: 'period', header: '统计期间', definition: '报送的季度（中国时间），如 2026年第1季度' },
  { key: 'department', header: '部门', definition: '实施核查的部门（审批事项的主管部门）；末行为合计' },
  { key: 'checks', header: '核查次数', definition: '本季度内保存的核查记录数（按核查时间）' },
  { key: 'blackHits', header: '命中黑名单次数', definition: '核查结论为命中失信黑名单的核查次数' },
  { key: 'watchHits', header: '命中重点关注名单次数', definition: '核查结论为命中重点关注名单的核查次数（未同时命中黑名单）' },
  { key: 'redHits', header: '命中红名单次数', definition: '核查结论为命中红名单的核查次数（未命中黑名单或重点关注名单）' },
  { key: 'punished', header: '实施惩戒措施次数', definition: '本季度内反馈为“已惩戒”的措施数（按反馈时间，每项措施计一次）' },
  { key: 'rewarded', header: '实施激励措施次数', definition: '本季度内反馈为“已激励”的措施数' },
  { key: 'notApplied', header: '未执行次数', definition: '本季度内反馈为“不执行”的措施数（理由见统计表“不执行理由”）' },
  { key: 'fastTrack', header: '容缺受理件数', definition: '本季度内按容缺受理办理的核查次数' },
  { key: 'greenChannel', header: '绿色通道件数', definition: '本季度内按绿色通道办理的核查次数' },
  { key: 'breached', header: '违诺件数', definition: '本季度内认定违背信用承诺的承诺数（按认定时间）' },
] as const;

export type QuarterlyColumnKey = (typeof QUARTERLY_COLUMNS)[number]['key'];
export type QuarterlyRow = { period: string; department: string } & Record<
  Exclude<QuarterlyColumnKey, 'period' | 'department'>,
  number
>;

export const TOTAL_ROW_LABEL = '合计';

const QUARTERLY_COUNT_KEYS = QUARTERLY_COLUMNS.map((c) => c.key).filter(
  (k): k is Exclude<QuarterlyColumnKey, 'period' | 'department'> => k !== 'period' && k !== 'department',
);

const EMPTY_TOTALS: StatsTotals = {
  checks: 0,
  hits: 0,
  hitsByHeadline: { black: 0, watch: 0, red: 0 },
  hitRate: null,
  measures: { 已惩戒: 0, 已激励: 0, 不执行: 0 },
  notAppliedReasons: [],
  fastTrack: 0,
  greenChannel: 0,
  commitments: { made: 0, supplied: 0, breached: 0, openAtEnd: 0, overdueAtEnd: 0 },
};

export interface QuarterlyInput {
  checks: readonly StatsCheck[];
  feedback: readonly StatsFeedback[];
  commitments: readonly StatsCommitment[];
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** Departments to list even with nothing to report (zero rows), e.g. the reporting unit's own. */
  departments?: readonly string[];
}

function quarterlyRow(period: string, department: string, t: StatsTotals): QuarterlyRow {
  return {
    period,
    department,
    checks: t.checks,
    blackHits: t.hitsByHeadline.black,
    watchHits: t.hitsByHeadline.watch,
    redHits: t.hitsByHeadline.red,
    punished: t.measures.已惩戒,
    rewarded: t.measures.已激励,
    notApplied: t.measures.不执行,
    fastTrack: t.fastTrack,
    greenChannel: t.greenChannel,
    breached: t.commitments.breached,
  };
}

/**
 * The 季度报送 rows for one quarter: one per department (those with activity in the quarter and
 * those named in `departments`), in department order, then the 合计 row.
 */
export function quarterlyReport(input: QuarterlyInput): QuarterlyRow[] {
  if (!Number.isInteger(input.year) || ![1, 2, 3, 4].includes(input.quarter))
    throw new RangeError(`季度无效：${input.year} 年第 ${input.quarter} 季度`);
  const { from, to } = quarterRange(input.year, input.quarter);
  const summary = summarize(
    { checks: input.checks, feedback: input.feedback, commitments: input.commitments, pendingOutbox: 0, from, to },
    'department',
  );
  const period = quarterLabel(input.year, input.quarter);
  const listed = new Set(input.departments ?? []);
  const byDept = new Map(summary.groups.map((g) => [g.key, quarterlyRow(period, g.key, g)]));
  const rows: QuarterlyRow[] = [];
  for (const d of [...new Set([...byDept.keys(), ...listed])].sort()) {
    const row = byDept.get(d) ?? quarterlyRow(period, d, EMPTY_TOTALS);
    // A department whose only activity is an open commitment has nothing for this table.
    if (listed.has(d) || QUARTERLY_COUNT_KEYS.some((k) => row[k] > 0)) rows.push(row);
  }
  rows.push(quarterlyRow(period, TOTAL_ROW_LABEL, summary));
  return rows;
}

/** The report as an array of arrays, header row first: ready for xlsx `aoa_to_sheet`. */
export function quarterlyTable(rows: readonly QuarterlyRow[]): (string | number)[][] {
  return [
    QUARTERLY_COLUMNS.map((c) => c.header),
    ...rows.map((r) => QUARTERLY_COLUMNS.map((c) => r[c.key])),
  ];
}
