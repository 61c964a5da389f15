/**
 * The 统计表: one row per group (and a 合计 row), the same columns on screen and in the xlsx
 * export, so what a supervisor receives is what the clerk saw.
 */
import type { StatsDimension, StatsGroup, StatsSummary, StatsTotals } from '../../../shared/domain/stats';
import { DIMENSION_HEADERS } from './periods';

export interface StatsColumn {
  key: string;
  header: string;
  /** A count, or a share in [0, 1] (`percent`), or null when it cannot be computed. */
  value: (t: StatsTotals) => number | null;
  percent?: boolean;
}

export const STATS_COLUMNS: readonly StatsColumn[] = [
  { key: 'checks', header: '核查次数', value: (t) => t.checks },
  { key: 'hits', header: '命中次数', value: (t) => t.hits },
  { key: 'hitRate', header: '命中率', value: (t) => t.hitRate, percent: true },
  { key: 'black', header: '命中黑名单', value: (t) => t.hitsByHeadline.black },
  { key: 'watch', header: '命中重点关注', value: (t) => t.hitsByHeadline.watch },
  { key: 'red', header: '命中红名单', value: (t) => t.hitsByHeadline.red },
  { key: 'punished', header: '已惩戒', value: (t) => t.measures.已惩戒 },
  { key: 'rewarded', header: '已激励', value: (t) => t.measures.已激励 },
  { key: 'notApplied', header: '不执行', value: (t) => t.measures.不执行 },
  { key: 'fastTrack', header: '容缺受理', value: (t) => t.fastTrack },
  { key: 'greenChannel', header: '绿色通道', value: (t) => t.greenChannel },
  { key: 'made', header: '新增承诺', value: (t) => t.commitments.made },
  { key: 'supplied', header: '已补齐', value: (t) => t.commitments.supplied },
  { key: 'breached', header: '违诺', value: (t) => t.commitments.breached },
  { key: 'openAtEnd', header: '期末未结承诺', value: (t) => t.commitments.openAtEnd },
  { key: 'overdueAtEnd', header: '其中已逾期', value: (t) => t.commitments.overdueAtEnd },
];

export const TOTAL_LABEL = '合计';

export function formatPercent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

/** The key of the 合计 row. */
export const TOTAL_KEY = '__total__';

export interface StatsRow {
  key: string;
  label: string;
  totals: StatsTotals;
}

/** Group rows, then 合计. `labelOf` names a matter id (or any key) for display. */
export function statsRows(s: StatsSummary, labelOf: (g: StatsGroup) => string): StatsRow[] {
  return [
    ...s.groups.map((g) => ({ key: g.key, label: labelOf(g), totals: g as StatsTotals })),
    { key: TOTAL_KEY, label: TOTAL_LABEL, totals: s },
  ];
}

/** Whether any count in the row is not zero (a day with nothing done is not). */
export function rowHasData(r: StatsRow): boolean {
  return STATS_COLUMNS.some((c) => !c.percent && (c.value(r.totals) ?? 0) !== 0);
}

export function groupHeader(by: StatsDimension | null): string {
  return by ? DIMENSION_HEADERS[by] : '范围';
}
