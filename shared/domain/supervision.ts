/**
 * 分类监管 (001 §十二, 004 §8): fewer inspections for trusted subjects, key supervision
 * (重点监管对象) for serious dishonesty (000 §七).
 */
import { z } from 'zod';
import type { IsoDate, ListRecord, SupervisionClass } from './schemas';
import { addDays, daysBetween } from './rules-config';
import { recordState } from './verdict';

const PerYear = z
  .number()
  .positive('每年检查次数应大于 0')
  .max(52, '每年检查次数不能超过 52 次（每周一次）');

/**
 * Suggested inspections per year for each class: configuration, not law. Trusted subjects are
 * inspected no more often than ordinary ones, and these no more often than key subjects
 * (001 §十二: 对守信主体减少检查频次; 对失信主体列为重点监管对象).
 */
export const InspectionConfig = z
  .strictObject({ 重点监管: PerYear, 一般: PerYear, 信用良好: PerYear })
  .refine((c) => c.重点监管 >= c.一般, { message: '重点监管对象的检查频次不应低于一般对象', path: ['重点监管'] })
  .refine((c) => c.一般 >= c.信用良好, { message: '信用良好对象的检查频次不应高于一般对象', path: ['信用良好'] });
export type InspectionConfig = Readonly<z.infer<typeof InspectionConfig>>;

export const DEFAULT_INSPECTION_CONFIG: InspectionConfig = { 重点监管: 4, 一般: 1, 信用良好: 0.5 };

export function supervisionClass(records: ListRecord[], today: string): SupervisionClass {
  const active = records.filter((r) => recordState(r, today) === 'active');
  const seriousBlack = active.some((r) => r.colour === 'black' && r.severity === '严重');
  const watch = active.some((r) => r.colour === 'watch');
  if (seriousBlack || watch) return '重点监管';
  // Black beats red (001 §七): any active black record rules out 信用良好.
  const black = active.some((r) => r.colour === 'black');
  const red = active.some((r) => r.colour === 'red');
  return red && !black ? '信用良好' : '一般';
}

export function suggestedInspectionsPerYear(
  cls: SupervisionClass,
  config: InspectionConfig = DEFAULT_INSPECTION_CONFIG,
): number {
  return config[cls];
}

/** Days between two inspections at `perYear` inspections a year (a year counted as 365 days). */
export function inspectionIntervalDays(perYear: number): number {
  return Math.max(1, Math.round(365 / perYear));
}

/** The frequency as an inspector reads it: 每季度 1 次, 每年 3 次, 每 2 年 1 次 … */
export function frequencyText(perYear: number): string {
  const named: Record<number, string> = { 12: '每月 1 次', 4: '每季度 1 次', 2: '每半年 1 次', 1: '每年 1 次' };
  const name = named[perYear];
  if (name !== undefined) return name;
  if (perYear > 1) return `每年 ${Number(perYear.toFixed(2))} 次`;
  const years = 1 / perYear;
  return Number.isInteger(Number(years.toFixed(6)))
    ? `每 ${Math.round(years)} 年 1 次`
    : `约每 ${inspectionIntervalDays(perYear)} 天 1 次`;
}

export interface InspectionDue {
  /** The date the next inspection is suggested for. */
  due: IsoDate;
  /** Whole days past `due` (0 when not yet due). */
  overdueDays: number;
}

/**
 * When the next inspection is suggested: one interval after the last one, or today when the
 * subject has never been inspected here.
 */
export function nextInspection(lastInspected: IsoDate | undefined, perYear: number, today: IsoDate): InspectionDue {
  const due = lastInspected === undefined ? today : addDays(lastInspected, inspectionIntervalDays(perYear));
  return { due, overdueDays: Math.max(0, daysBetween(due, today)) };
}

/**
 * Whether a list record's district (登记地区, e.g. 兰山区) lies in an inspector's area. An area
 * may be written with its city (临沂市兰山区) or as the district alone; an empty area means
 * every district. A record without a district is in no one's area (it is still found by its
 * identifier).
 */
export function inInspectorArea(recordDistrict: string | undefined, area: string): boolean {
  const a = area.trim();
  if (a === '') return true;
  const d = recordDistrict?.trim() ?? '';
  return d !== '' && (a.includes(d) || d.includes(a));
}
