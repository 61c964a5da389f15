/**
 * 分类监管 (001 §十二, 004 §8): fewer inspections for trusted subjects, key supervision
 * (重点监管对象) for serious dishonesty (000 §七).
 */
import type { ListRecord, SupervisionClass } from './schemas';
import { recordState } from './verdict';

export type InspectionConfig = Readonly<Record<SupervisionClass, number>>;

/** Suggested inspections per year by class; configuration, not law. */
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
