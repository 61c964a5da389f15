/**
 * The periods the 统计 screen offers (本月, 本季度, a custom range of dates), as half-open
 * ranges [from, to) in epoch ms, in China time whatever the machine's zone.
 */
import { addDays, chinaDate } from '../../../shared/domain/rules-config';
import type { IsoDate } from '../../../shared/domain/schemas';
import { chinaMidnight, quarterRange, type StatsDimension } from '../../../shared/domain/stats';

export type PeriodChoice = 'month' | 'quarter' | 'custom';

export interface Range {
  from: number;
  to: number;
}

export function monthOf(now: number): Range {
  const [y, m] = chinaDate(now).split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from: chinaMidnight(`${y}-${String(m).padStart(2, '0')}-01`), to: chinaMidnight(next) };
}

export function quarterOf(now: number): { year: number; quarter: 1 | 2 | 3 | 4 } {
  const date = chinaDate(now);
  return { year: Number(date.slice(0, 4)), quarter: (Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1) as 1 | 2 | 3 | 4 };
}

export function thisQuarter(now: number): Range {
  const q = quarterOf(now);
  return quarterRange(q.year, q.quarter);
}

/** From the first day's 00:00 to the end of the last day (both dates included), China time. */
export function daysRange(first: IsoDate, last: IsoDate): Range {
  if (last < first) throw new RangeError(`结束日期 ${last} 早于开始日期 ${first}`);
  return { from: chinaMidnight(first), to: chinaMidnight(addDays(last, 1)) };
}

/** 2026-01-01 至 2026-03-31: the dates a range covers, both included. */
export function rangeLabel(r: Range): string {
  if (r.to <= r.from) return chinaDate(r.from);
  return `${chinaDate(r.from)} 至 ${chinaDate(r.to - 1)}`;
}

/** The grouping that reads best for a period: days within a month, months within a quarter. */
export function defaultDimension(choice: PeriodChoice, r: Range): StatsDimension {
  if (choice === 'month') return 'day';
  if (choice === 'quarter') return 'month';
  const days = (r.to - r.from) / 86_400_000;
  return days <= 62 ? 'day' : days <= 730 ? 'month' : 'quarter';
}

export const DIMENSION_LABELS: Record<StatsDimension, string> = {
  day: '按日',
  month: '按月',
  quarter: '按季度',
  matter: '按事项',
  department: '按部门',
  clerk: '按经办人',
};

/** What a group column is called in the table. */
export const DIMENSION_HEADERS: Record<StatsDimension, string> = {
  day: '日期',
  month: '月份',
  quarter: '季度',
  matter: '审批事项',
  department: '部门',
  clerk: '经办人',
};
