/**
 * Rules that the source documents leave to local configuration (periods, freshness, the current
 * measure-list edition, the holiday calendar), and the date arithmetic they need.
 *
 * Every period is configuration with the national defaults (domain.md "Periods"), never a
 * constant buried in the verdict. The schema lets a settings file or IPC message be parsed into
 * a complete config: absent fields take their defaults.
 *
 * All dates are `YYYY-MM-DD` strings in China time (UTC+8, no DST); such strings order
 * correctly under plain string comparison, which the rules rely on.
 */
import { z } from 'zod';
import { IsoDate, type Severity } from './schemas';

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * MS_PER_HOUR;

const Period = z
  .object({ minMonths: z.number().int().nonnegative(), maxMonths: z.number().int().positive() })
  .refine((p) => p.minMonths <= p.maxMonths, '期限下限不得大于上限');
export type SeverityPeriod = z.infer<typeof Period>;

/** Publicity / punishment periods by severity (national credit-repair rules, domain.md "Periods"). */
export const DEFAULT_SEVERITY_PERIODS: Readonly<Record<Severity, SeverityPeriod>> = {
  轻微: { minMonths: 0, maxMonths: 3 },
  一般: { minMonths: 3, maxMonths: 12 },
  严重: { minMonths: 12, maxMonths: 36 },
};

export const RulesConfig = z.object({
  /** A mirror older than this is said plainly on the verdict ("数据截至 … 请联网复核"). */
  mirrorMaxAgeHours: z.number().positive().default(24),
  /** 连续三年无不良信用记录 (000 §三, 001 §十一, 004 §7). */
  cleanYears: z.number().int().positive().max(50).default(3),
  severityPeriods: z
    .object({ 轻微: Period, 一般: Period, 严重: Period })
    .default({ ...DEFAULT_SEVERITY_PERIODS }),
  /** When set, only measures of this 措施清单 edition are suggested (000 §十七, 002 目录动态管理). */
  currentEdition: z.string().min(1).max(40).optional(),
  /** Public holidays (法定节假日): not working days. */
  holidays: z.array(IsoDate).default([]),
  /** Weekend days worked in exchange for a holiday (调休补班): working days despite Sat/Sun. */
  workingWeekends: z.array(IsoDate).default([]),
});
export type RulesConfig = z.infer<typeof RulesConfig>;

export const DEFAULT_RULES: RulesConfig = RulesConfig.parse({});

// ---------------------------------------------------------------- dates

/** The calendar date in China of an instant. */
export function chinaDate(epochMs: number): IsoDate {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` in China time, for messages such as "数据截至 …". */
export function chinaDateTime(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

function toUtcMs(date: IsoDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Calendar-day arithmetic; `n` may be negative. */
export function addDays(date: IsoDate, n: number): IsoDate {
  return fromUtcMs(toUtcMs(date) + n * MS_PER_DAY);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / MS_PER_DAY);
}

/**
 * Calendar-month arithmetic, clamped to the end of the month: 2024-01-31 + 1 month = 2024-02-29,
 * 2024-02-29 − 36 months = 2021-02-28. `n` may be negative.
 */
export function addMonths(date: IsoDate, n: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const firstOfTarget = new Date(Date.UTC(y, m - 1 + n, 1));
  const lastDay = new Date(
    Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return fromUtcMs(
    Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth(), Math.min(d, lastDay)),
  );
}

export function addYears(date: IsoDate, n: number): IsoDate {
  return addMonths(date, 12 * n);
}

export function isWorkingDay(
  date: IsoDate,
  holidays: readonly IsoDate[] = [],
  workingWeekends: readonly IsoDate[] = [],
): boolean {
  if (workingWeekends.includes(date)) return true;
  if (holidays.includes(date)) return false;
  const weekday = new Date(toUtcMs(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The date `n` working days after `date` (before it when `n` is negative); `n = 0` returns
 * `date` itself. Working days are Monday–Friday except `holidays`, plus `workingWeekends`.
 * Statutory time limits (法定办结时限) are counted this way.
 */
export function addWorkingDays(
  date: IsoDate,
  n: number,
  holidays: readonly IsoDate[] = [],
  workingWeekends: readonly IsoDate[] = [],
): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`工作日数应为整数：${n}`);
  const step = n < 0 ? -1 : 1;
  const holidaySet = new Set(holidays);
  const workingSet = new Set(workingWeekends);
  const working = (d: IsoDate): boolean =>
    workingSet.has(d) || (!holidaySet.has(d) && isWorkingDay(d));
  let left = Math.abs(n);
  let current = date;
  while (left > 0) {
    current = addDays(current, step);
    if (working(current)) left -= 1;
  }
  return current;
}

/**
 * The latest valid-to date the configured period allows for a record of this severity listed
 * from `validFrom` (e.g. 严重: 36 months). Used to build test data and to flag records whose
 * period looks wrong; the verdict itself trusts the record's own validTo.
 */
export function maxValidTo(
  severity: Severity,
  validFrom: IsoDate,
  rules: RulesConfig = DEFAULT_RULES,
): IsoDate {
  return addDays(addMonths(validFrom, rules.severityPeriods[severity].maxMonths), -1);
}
