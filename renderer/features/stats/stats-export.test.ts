import 'fake-indexeddb/auto';
import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { idNumberCheckChar } from '../../../shared/domain/identifiers';
import type { CheckRecord, FeedbackRecord } from '../../../shared/domain/schemas';
import { QUARTERLY_COLUMNS, quarterRange, summarize } from '../../../shared/domain/stats';
import { openDatabase } from '../../db/database';
import { listAudit } from '../../db/audit-log';
import { NotSignedIn, endSession, issueSession } from '../../db/session';
import { readStatsSource } from '../../db/stats-source';
import { exportQuarterly, exportStatsTable } from './stats-export';
import { STATS_COLUMNS } from './stats-table';

const clerk = issueSession({ accountId: 'a1', login: 'zhang', name: '张三', role: '窗口人员', department: '市发展改革委', district: '', issuedAt: 0 });
const admin = issueSession({ accountId: 'a0', login: 'admin', name: '王管理', role: '管理员', department: '市发展改革委', district: '', issuedAt: 0 });
const Q1 = quarterRange(2026, 1);
const body = '37130219580315017';
const PERSON = body + idNumberCheckChar(body);
const COMPANY = '91371302MD0B1A0190';

function check(id: string, at: number, department: string, headline: CheckRecord['headline'], extra: Partial<CheckRecord> = {}): CheckRecord {
  return {
    id, createdAt: at, clerk: '张三', department, district: '', matterId: 'm1', subjectType: '自然人', identifier: PERSON,
    headline, hits: [], decisions: [], mirrorAsOf: at, stale: false, online: true, fastTrack: false, greenChannel: false, ...extra,
  };
}

function feedback(id: string, c: CheckRecord, type: FeedbackRecord['type'], reason?: string): FeedbackRecord {
  return {
    id, checkId: c.id, subjectName: '钱德昌', identifier: c.identifier, matterId: c.matterId, measureId: id, type,
    ...(reason === undefined ? {} : { reason }), result: '', basis: '', department: c.department, district: '', at: c.createdAt, clerk: c.clerk,
  };
}

const db = openDatabase('stats-export');
afterAll(async () => {
  db.close();
  await db.delete();
});

const a = check('a', Q1.from + 86_400_000, '市场监督管理局', 'black');
const b = check('b', Q1.from + 2 * 86_400_000, '市场监督管理局', 'red', { identifier: COMPANY, subjectType: '法人', fastTrack: true, greenChannel: true });
const c = check('c', Q1.from + 3 * 86_400_000, '税务局', 'clear');
const outside = check('d', Q1.to + 1, '税务局', 'black');

async function seed(): Promise<void> {
  if ((await db.checks.count()) > 0) return;
  await db.checks.bulkAdd([a, b, c, outside]);
  await db.feedback.bulkAdd([
    feedback('f1', a, '已惩戒'),
    feedback('f2', a, '不执行', `当事人${PERSON}已履行完毕`),
    feedback('f3', b, '已激励'),
  ]);
}

function sheetRows(bytes: Uint8Array, name: string): unknown[][] {
  const book = XLSX.read(bytes, { type: 'array' });
  const sheet = book.Sheets[name];
  if (!sheet) throw new Error(`no sheet ${name} in ${book.SheetNames.join(',')}`);
  return XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1 });
}

function allText(bytes: Uint8Array): string {
  const book = XLSX.read(bytes, { type: 'array' });
  return book.SheetNames.map((n) => XLSX.utils.sheet_to_csv(book.Sheets[n]!)).join('\n');
}

describe('stats exports', () => {
  it('the 季度报送 has the documented columns, a row per department and 合计, and its 填报说明', async () => {
    await seed();
    const file = await exportQuarterly(db, clerk, 2026, 1, Q1.to + 5 * 86_400_000);
    expect(file.fileName).toBe('季度报送-2026年第1季度.xlsx');
    expect(XLSX.read(file.bytes, { type: 'array' }).SheetNames).toEqual(['季度报送', '填报说明']);
    const rows = sheetRows(file.bytes, '季度报送');
    expect(rows[0]).toEqual(QUARTERLY_COLUMNS.map((col) => col.header));
    expect(rows.slice(1)).toEqual([
      ['2026年第1季度', '市场监督管理局', 2, 1, 0, 1, 1, 1, 1, 1, 1, 0],
      ['2026年第1季度', '税务局', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ['2026年第1季度', '合计', 3, 1, 0, 1, 1, 1, 1, 1, 1, 0],
    ]);
    const notes = sheetRows(file.bytes, '填报说明');
    expect(notes[0]).toEqual(['列', '表头', '定义']);
    expect(notes.slice(1, 1 + QUARTERLY_COLUMNS.length).map((r) => [r[0], r[1]])).toEqual(
      QUARTERLY_COLUMNS.map((col, i) => ['ABCDEFGHIJKL'[i], col.header]),
    );
    expect(notes.find((r) => r[0] === '统计期间')?.[2]).toBe('2026-01-01 00:00 至 2026-03-31 24:00（北京时间）');
    expect(allText(file.bytes)).not.toContain(PERSON);
  });

  it('the 统计表 has the screen’s columns, shares as percentages, the reasons masked and no identifier', async () => {
    await seed();
    const source = await readStatsSource(db, clerk, Q1);
    const summary = summarize(source.input, 'department');
    const file = await exportStatsTable(db, clerk, summary, (g) => g.label, Q1.to);
    expect(file.fileName).toBe('统计表-2026-01-01至2026-03-31.xlsx');
    const rows = sheetRows(file.bytes, '统计表');
    expect(rows[0]).toEqual(['部门', ...STATS_COLUMNS.map((col) => col.header)]);
    expect(rows.map((r) => r[0])).toEqual(['部门', '市场监督管理局', '税务局', '合计']);
    const rate = STATS_COLUMNS.findIndex((col) => col.key === 'hitRate') + 1;
    expect(rows[3]?.[rate]).toBeCloseTo(2 / 3);
    expect(rows[2]?.[rate]).toBe(0);
    const book = XLSX.read(file.bytes, { type: 'array', cellNF: true });
    expect(book.Sheets['统计表']![XLSX.utils.encode_cell({ r: 3, c: rate })]?.z).toBe('0.0%');
    const reasons = sheetRows(file.bytes, '不执行理由');
    expect(reasons).toHaveLength(2);
    expect(String(reasons[1]?.[0])).toMatch(/^当事人371302\*{8}\d{3}[\dX]已履行完毕$/u);
    expect(allText(file.bytes)).not.toContain(PERSON);
    expect(allText(file.bytes)).not.toContain(COMPANY);
  });

  it('leaves out the empty days when asked, keeping 合计', async () => {
    await seed();
    const summary = summarize((await readStatsSource(db, clerk, Q1)).input, 'day');
    expect(summary.groups).toHaveLength(90);
    const all = sheetRows((await exportStatsTable(db, clerk, summary, (g) => g.label, Q1.to)).bytes, '统计表');
    expect(all).toHaveLength(1 + 90 + 1);
    const active = sheetRows((await exportStatsTable(db, clerk, summary, (g) => g.label, Q1.to, { onlyActive: true })).bytes, '统计表');
    expect(active.map((r) => r[0])).toEqual(['日期', '2026-01-02', '2026-01-03', '2026-01-04', '合计']);
  });

  it('writes an export entry in the audit trail for each file', async () => {
    await seed();
    const before = (await listAudit(db, admin)).entries.filter((e) => e.action === 'export').length;
    await exportQuarterly(db, clerk, 2026, 1, Q1.to);
    const entries = (await listAudit(db, admin)).entries.filter((e) => e.action === 'export');
    expect(entries).toHaveLength(before + 1);
    expect(entries.find((e) => e.detail['what'] === '季度报送')).toMatchObject({
      actor: 'zhang',
      role: '窗口人员',
      detail: { what: '季度报送', rows: 3, unmasked: false, period: '2026年第1季度' },
    });
  });

  it('refuses a hand-made or ended session even when called directly', async () => {
    await seed();
    const forged = { ...clerk };
    await expect(exportQuarterly(db, forged, 2026, 1, 0)).rejects.toBeInstanceOf(NotSignedIn);
    const summary = summarize({ checks: [], feedback: [], commitments: [], pendingOutbox: 0, from: Q1.from, to: Q1.to });
    await expect(exportStatsTable(db, forged, summary, (g) => g.label, 0)).rejects.toBeInstanceOf(NotSignedIn);
    const ended = issueSession({ ...clerk, accountId: 'a2', login: 'li' });
    endSession(ended);
    await expect(exportStatsTable(db, ended, summary, (g) => g.label, 0)).rejects.toBeInstanceOf(NotSignedIn);
  });
});
