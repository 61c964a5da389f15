/**
 * The 统计 screen's spreadsheets: the 统计表 as shown, and the 季度报送 in the layout of
 * docs/quarterly-report.md. Both are aggregates: they hold counts, department, matter and clerk
 * names, never a subject's identifier; the 不执行 reasons come from stats-source.ts with any
 * 公民身份号码 masked. Building either needs 'export.masked' (a live session whose role has it,
 * renderer/db/session.ts), checked here whatever the UI shows, and writes an 'export' entry in
 * the audit trail.
 */
import * as XLSX from 'xlsx';
import { chinaDate } from '../../../shared/domain/rules-config';
import {
  QUARTERLY_COLUMNS,
  quarterLabel,
  quarterRange,
  quarterlyTable,
  type QuarterlyRow,
  type StatsGroup,
  type StatsSummary,
} from '../../../shared/domain/stats';
import type { HechataiDb } from '../../db/database';
import { recordAudit } from '../../db/audit-log';
import { requirePermission, type Session } from '../../db/session';
import { readQuarterlyReport, type StatsReadOptions } from '../../db/stats-source';
import { formatMoment } from '../../app/format';
import { DIMENSION_LABELS, rangeLabel } from './periods';
import { STATS_COLUMNS, TOTAL_KEY, groupHeader, rowHasData, statsRows } from './stats-table';

type Cell = string | number | null;

interface SheetSpec {
  name: string;
  rows: Cell[][];
  /** Column indexes whose numbers are shares, shown as 12.3%. */
  percentColumns?: readonly number[];
  widths?: readonly number[];
}

function workbook(sheets: readonly SheetSpec[]): Uint8Array<ArrayBuffer> {
  const book = XLSX.utils.book_new();
  for (const spec of sheets) {
    const sheet = XLSX.utils.aoa_to_sheet(spec.rows);
    for (const col of spec.percentColumns ?? []) {
      for (let r = 1; r < spec.rows.length; r += 1) {
        const cell = sheet[XLSX.utils.encode_cell({ r, c: col })] as XLSX.CellObject | undefined;
        if (cell && cell.t === 'n') cell.z = '0.0%';
      }
    }
    const header = spec.rows[0] ?? [];
    sheet['!cols'] = (spec.widths ?? header.map((h) => Math.max(10, String(h ?? '').length * 2 + 2))).map((wch) => ({ wch }));
    XLSX.utils.book_append_sheet(book, sheet, spec.name);
  }
  const out: unknown = XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true });
  if (!(out instanceof ArrayBuffer)) throw new Error('生成表格失败');
  return new Uint8Array(out);
}

export interface ExportFile {
  fileName: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * The 统计表 workbook: sheet 统计表 (a row per group and 合计, STATS_COLUMNS), sheet 不执行理由
 * (each reason and how often it was given), sheet 说明 (range, grouping, who made it, when).
 */
export async function exportStatsTable(
  db: HechataiDb,
  session: Session,
  summary: StatsSummary,
  labelOf: (g: StatsGroup) => string,
  now: number,
  /** Leave out group rows whose counts are all zero (as the screen does when asked). */
  options: { onlyActive?: boolean } = {},
): Promise<ExportFile> {
  requirePermission(session, 'export.masked');
  const rows = statsRows(summary, labelOf).filter((r) => !options.onlyActive || r.key === TOTAL_KEY || rowHasData(r));
  const table: Cell[][] = [
    [groupHeader(summary.by), ...STATS_COLUMNS.map((c) => c.header)],
    ...rows.map((r) => [r.label, ...STATS_COLUMNS.map((c) => c.value(r.totals))]),
  ];
  const percent = STATS_COLUMNS.flatMap((c, i) => (c.percent ? [i + 1] : []));
  const reasons: Cell[][] = [['不执行理由', '次数'], ...summary.notAppliedReasons.map((r) => [r.reason, r.count])];
  const range = { from: summary.from, to: summary.to };
  const about: Cell[][] = [
    ['项目', '内容'],
    ['统计区间', rangeLabel(range)],
    ['分组', `${summary.by ? DIMENSION_LABELS[summary.by] : '不分组'}${options.onlyActive ? '（只列有数据的行）' : ''}`],
    ['待同步记录（导出时）', summary.pendingSync],
    ['导出时间', formatMoment(now)],
    ['导出人', session.name],
    ['口径', '核查按核查时间、执行反馈按反馈时间计入期间；命中按核查结论计一次；承诺按新增、补齐、违诺的时间计入期间，期末未结为期末时点数（区间尚未结束的为读取数据时）'],
  ];
  const file = {
    fileName: `统计表-${chinaDate(summary.from)}至${chinaDate(Math.max(summary.from, summary.to - 1))}.xlsx`,
    bytes: workbook([
      { name: '统计表', rows: table, percentColumns: percent },
      { name: '不执行理由', rows: reasons, widths: [60, 10] },
      { name: '说明', rows: about, widths: [22, 80] },
    ]),
  };
  await audit(db, session, now, '统计表', rows.length, rangeLabel(range));
  return file;
}

async function audit(db: HechataiDb, session: Session, now: number, what: string, rows: number, period: string): Promise<void> {
  await recordAudit(db, {
    at: now,
    actor: session.login,
    role: session.role,
    action: 'export',
    detail: { what, rows, unmasked: false, period },
  });
}

/**
 * The 季度报送 workbook (docs/quarterly-report.md): sheet 季度报送 with QUARTERLY_COLUMNS as row 1
 * and one row per department then 合计; sheet 填报说明 with each column's definition.
 */
export function quarterlyWorkbook(
  session: Session,
  rows: readonly QuarterlyRow[],
  year: number,
  quarter: 1 | 2 | 3 | 4,
  now: number,
): ExportFile {
  requirePermission(session, 'export.masked');
  const { from, to } = quarterRange(year, quarter);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const notes: Cell[][] = [
    ['列', '表头', '定义'],
    ...QUARTERLY_COLUMNS.map((c, i) => [letters[i] ?? String(i + 1), c.header, c.definition]),
    [],
    ['统计期间', quarterLabel(year, quarter), `${chinaDate(from)} 00:00 至 ${chinaDate(to - 1)} 24:00（北京时间）`],
    ['制表时间', formatMoment(now), ''],
    ['制表人', session.name, ''],
  ];
  return {
    fileName: `季度报送-${quarterLabel(year, quarter)}.xlsx`,
    bytes: workbook([
      { name: '季度报送', rows: quarterlyTable(rows) },
      { name: '填报说明', rows: notes, widths: [10, 22, 80] },
    ]),
  };
}

/** Reads the quarter from the database and builds its 季度报送 workbook (audited). */
export async function exportQuarterly(
  db: HechataiDb,
  session: Session,
  year: number,
  quarter: 1 | 2 | 3 | 4,
  now: number,
  options: StatsReadOptions & { departments?: readonly string[] } = {},
): Promise<ExportFile> {
  // Refuse before reading a quarter's records for nothing.
  requirePermission(session, 'export.masked');
  const rows = await readQuarterlyReport(db, session, year, quarter, options);
  const file = quarterlyWorkbook(session, rows, year, quarter, now);
  await audit(db, session, now, '季度报送', rows.length, quarterLabel(year, quarter));
  return file;
}
