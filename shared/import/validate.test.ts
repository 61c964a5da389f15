import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Matter, Measure } from '../domain/schemas';
import { generateRecords, makeIdNumber, makeUscc } from '../sample/generator';
import { columnLetter, excelSerialToIso, headersOf, isoToExcelSerial, parseDateText, rowOf, type CellProblem, type ImportKind } from './columns';
import { formatIssue, importedRecordId, validateSheet, type ImportFailure, type ImportOk, type SheetData } from './validate';

const TODAY = new Date(Date.UTC(2026, 10, 21));
const USCC = makeUscc('9', '1', '371302', 'TEMP0001');
const USCC2 = makeUscc('9', '1', '371302', 'TEMP0002');
const ID = makeIdNumber('371302', '1980-01-02', 5);

function sheet(kind: ImportKind, rows: unknown[][], extra: Partial<SheetData> = {}): SheetData {
  return { name: '名单', rows: [headersOf(kind), ...rows], merges: [], formulas: [], ...extra };
}

/** A list row from named cells (every other cell empty). */
function listRow(cells: Record<string, unknown>): unknown[] {
  return headersOf('list').map((h) => cells[h] ?? null);
}

const ORG: Record<string, unknown> = {
  名单类型: '失信被执行人',
  名单类别: '黑名单',
  主体名称: '测试甲有限公司',
  主体类型: '法人',
  统一社会信用代码: USCC,
  认定部门: '某法院',
  认定依据: '某规定第一条',
  列入事由: '拒不履行',
  认定日期: '2024-03-01',
  严重程度: '严重',
};
const PERSON: Record<string, unknown> = { ...ORG, 主体名称: '张三', 主体类型: '自然人', 统一社会信用代码: null, 公民身份号码: ID };

function ok<K extends ImportKind>(kind: K, rows: unknown[][], extra?: Partial<SheetData>): Extract<ImportOk, { kind: K }> {
  const r = validateSheet(kind, sheet(kind, rows, extra), { today: TODAY });
  if (!r.ok) throw new Error(r.errors.map(formatIssue).join('\n'));
  return r as Extract<ImportOk, { kind: K }>;
}
function fails(kind: ImportKind, rows: unknown[][], extra?: Partial<SheetData>): ImportFailure {
  const r = validateSheet(kind, sheet(kind, rows, extra), { today: TODAY });
  if (r.ok) throw new Error('expected a failure');
  return r;
}
const where = (f: ImportFailure) => f.errors.map((e) => [e.row, e.column, e.field]);

describe('cells', () => {
  it('column letters as Excel shows them', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('Excel serial dates in UTC, with the phantom 1900-02-29', () => {
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(59)).toBe('1900-02-28');
    expect(excelSerialToIso(60)).toBeNull();
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(excelSerialToIso(45352)).toBe('2024-03-01');
    expect(excelSerialToIso(45352.99)).toBe('2024-03-01');
    expect(excelSerialToIso(0)).toBeNull();
    expect(excelSerialToIso(-5)).toBeNull();
    expect(isoToExcelSerial('2024-03-01')).toBe(45352);
  });

  it('serials and ISO dates round-trip for every day 1900-03-01 … 2099-12-31', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 73050 }), (serial) => {
        const iso = excelSerialToIso(serial);
        expect(iso).not.toBeNull();
        expect(isoToExcelSerial(iso as string)).toBe(serial);
      }),
    );
  });

  it('text dates: YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD, with a time part', () => {
    for (const s of ['2024-03-01', '2024/3/1', '2024.3.1', '2024年3月1日', '20240301', '2024-03-01 00:00:00', ' 2024-3-1 ']) {
      expect(parseDateText(s)).toBe('2024-03-01');
    }
  });

  it('impossible and unreadable text dates are problems, with a reason', () => {
    expect((parseDateText('2023-02-30') as CellProblem).message).toContain('不存在');
    expect((parseDateText('2023-13-01') as CellProblem).message).toContain('不存在');
    expect((parseDateText('2024-02-29') as string)).toBe('2024-02-29');
    expect((parseDateText('2100-02-29') as CellProblem).message).toContain('年份');
    expect((parseDateText('0203-01-01') as CellProblem).message).toContain('年份');
    expect((parseDateText('三月一日') as CellProblem).message).toContain('YYYY-MM-DD');
  });
});

describe('headers', () => {
  it('an empty sheet is refused', () => {
    const r = validateSheet('list', { name: '名单', rows: [], merges: [], formulas: [] });
    expect(r.ok).toBe(false);
    expect((r as ImportFailure).errors[0]).toMatchObject({ row: 1, column: 'A', message: expect.stringContaining('工作表为空') });
  });

  it('headers without data rows are refused', () => {
    expect(where(fails('list', []))).toEqual([[2, 'A', '']]);
    expect(fails('list', [[], [null, '  ']]).errors[0]?.message).toContain('没有数据行');
  });

  it('a missing, an unknown and a repeated header are each named, and nothing else is checked', () => {
    const h = headersOf('list');
    const header = h.map((x) => (x === '列入事由' ? '列入原因' : x === '所属区县' ? '主体名称' : x));
    const r = validateSheet('list', { name: '名单', rows: [header, listRow({})], merges: [], formulas: [] });
    expect(r.ok).toBe(false);
    const errors = (r as ImportFailure).errors;
    expect(errors.map((e) => [e.row, e.column, e.field])).toEqual([
      [1, 'M', '列入原因'],
      [1, 'M', '列入事由'],
      [1, 'U', '主体名称'],
      [1, 'U', '所属区县'],
    ]);
    expect(errors[0]?.message).toContain('是否应为“列入事由”');
    expect(errors[1]?.message).toContain('缺少表头');
    expect(errors[2]?.message).toContain('重复（另见 D 列）');
  });

  it('columns may come in any order, and surrounding spaces in headers are forgiven', () => {
    const h = headersOf('list');
    const order = h.map((_, i) => i).reverse();
    const row = listRow(ORG);
    const r = ok('list', [order.map((i) => row[i])], {
      rows: [order.map((i) => ` ${h[i] as string} `), order.map((i) => row[i])],
    });
    expect(r.records[0]?.uscc).toBe(USCC);
  });

  it('data in a column without a header is refused once per column', () => {
    const f = fails('list', [[...listRow(ORG), null, 'x'], [...listRow({ ...ORG, 认定日期: '2024-03-02' }), null, 'y']]);
    expect(where(f)).toEqual([[2, 'X', '']]);
  });
});

describe('list rows', () => {
  it('a good organisation and a good person, with defaults', () => {
    const r = ok('list', [listRow(ORG), listRow({ ...PERSON, 公民身份号码: ID.toLowerCase() })]);
    expect(r.kind).toBe('list');
    const [org, person] = r.records;
    expect(org).toMatchObject({ uscc: USCC, validFrom: '2024-03-01', version: 1, objection: 'none', otherIds: [], deptCode: '', colour: 'black' });
    expect(org?.id).toBe(importedRecordId('失信被执行人', USCC, '2024-03-01'));
    expect(person?.idNumber).toBe(ID.toUpperCase());
    expect(r.preview).toMatchObject({ rows: 2, byColour: { black: 2 }, byListType: { 失信被执行人: 2 }, warnings: [] });
  });

  it('record ids are deterministic: the same content gives the same id, a 记录编号 wins', () => {
    const a = ok('list', [listRow(ORG)]).records[0]?.id;
    const b = ok('list', [listRow(ORG)]).records[0]?.id;
    expect(a).toBe(b);
    expect(a).toMatch(/^imp-[0-9a-f]{28}$/);
    expect(ok('list', [listRow({ ...ORG, 认定日期: '2024-03-02' })]).records[0]?.id).not.toBe(a);
    expect(ok('list', [listRow({ ...ORG, 记录编号: 'R-1' })]).records[0]?.id).toBe('R-1');
  });

  it('required cells', () => {
    const f = fails('list', [listRow({ ...ORG, 主体名称: null, 认定部门: '  ' })]);
    expect(where(f)).toEqual([[2, 'D', '主体名称'], [2, 'J', '认定部门']]);
    expect(f.errors[0]?.message).toBe('必填项未填写');
  });

  it('labels: wrong ones name the allowed values', () => {
    const f = fails('list', [listRow({ ...ORG, 名单类别: '灰名单' })]);
    expect(where(f)).toEqual([[2, 'C', '名单类别']]);
    expect(f.errors[0]?.message).toContain('黑名单、红名单、重点关注名单');
    expect(ok('list', [listRow({ ...ORG, 名单类别: '失信黑名单' })]).records[0]?.colour).toBe('black');
  });

  it('a bad USCC is an error, a legacy one a warning', () => {
    const bad = USCC.slice(0, 17) + (USCC.endsWith('1') ? '2' : '1');
    const f = fails('list', [listRow(ORG), listRow({ ...ORG, 统一社会信用代码: 'ABC' })]);
    expect(where(f)).toEqual([[3, 'F', '统一社会信用代码']]);
    expect(f.errors[0]?.message).toContain('18位');
    // Changing only the 18th char keeps the embedded org code right: 'legacy'.
    const r = ok('list', [listRow({ ...ORG, 统一社会信用代码: bad })]);
    expect(r.preview.warnings).toEqual([expect.objectContaining({ row: 2, column: 'F', field: '统一社会信用代码', message: expect.stringContaining('人工核实') })]);
  });

  it('identifiers follow the subject type', () => {
    expect(where(fails('list', [listRow({ ...ORG, 统一社会信用代码: null })]))).toEqual([[2, 'F', '统一社会信用代码']]);
    expect(where(fails('list', [listRow({ ...PERSON, 公民身份号码: null })]))).toEqual([[2, 'G', '公民身份号码']]);
    expect(where(fails('list', [listRow({ ...PERSON, 统一社会信用代码: USCC })]))).toEqual([[2, 'F', '统一社会信用代码']]);
    expect(where(fails('list', [listRow({ ...ORG, 公民身份号码: ID })]))).toEqual([[2, 'G', '公民身份号码']]);
    const born = makeIdNumber('371302', '2027-01-01', 5);
    expect(fails('list', [listRow({ ...PERSON, 公民身份号码: born })]).errors[0]?.message).toContain('晚于今天');
    expect(where(fails('list', [listRow({ ...ORG, 法定代表人身份证号: '123' })]))).toEqual([[2, 'I', '法定代表人身份证号']]);
  });

  it('an 18-digit number Excel stored as a number has lost digits: refused with the fix', () => {
    const f = fails('list', [listRow({ ...PERSON, 公民身份号码: 371302198001020000 })]);
    expect(where(f)).toEqual([[2, 'G', '公民身份号码']]);
    expect(f.errors[0]?.message).toContain('文本');
  });

  it('dates: serial numbers, text forms, impossible days, order', () => {
    const r = ok('list', [listRow({ ...ORG, 认定日期: 45352, 有效期止: '2027/2/28' })]);
    expect(r.records[0]).toMatchObject({ designatedOn: '2024-03-01', validFrom: '2024-03-01', validTo: '2027-02-28' });
    const f = fails('list', [listRow({ ...ORG, 认定日期: '2023-02-30' }), listRow({ ...ORG, 有效期起: '2024-05-01', 有效期止: '2024-04-30' }), listRow({ ...ORG, 移出日期: 60 })]);
    expect(where(f)).toEqual([[2, 'N', '认定日期'], [3, 'P', '有效期止'], [4, 'S', '移出日期']]);
    expect(f.errors[0]?.message).toBe('日期“2023-02-30”不存在');
    expect(f.errors[1]?.message).toBe('有效期止（2024-04-30）早于有效期起（2024-05-01）');
  });

  it('severity: required for black and watch lists, 轻微 by default for red', () => {
    expect(where(fails('list', [listRow({ ...ORG, 严重程度: null })]))).toEqual([[2, 'Q', '严重程度']]);
    expect(ok('list', [listRow({ ...ORG, 名单类别: '红名单', 严重程度: null })]).records[0]?.severity).toBe('轻微');
  });

  it('the schema has the last word (length limits), in Chinese', () => {
    const f = fails('list', [listRow({ ...ORG, 主体名称: '名'.repeat(201) })]);
    expect(where(f)).toEqual([[2, 'D', '主体名称']]);
    expect(f.errors[0]?.message).toBe('不能超过 200 个字符');
  });

  it('error cells are named', () => {
    expect(fails('list', [listRow({ ...ORG, 主体名称: { error: '#N/A' } })]).errors[0]?.message).toContain('#N/A');
  });

  it('duplicates: same content, same 记录编号 — both rows named', () => {
    const f = fails('list', [listRow(ORG), listRow({ ...ORG, 统一社会信用代码: USCC2 }), listRow(ORG)]);
    expect(f.errors).toEqual([expect.objectContaining({ row: 4, column: 'F', field: '统一社会信用代码', message: expect.stringContaining('与第2行重复') })]);
    const g = fails('list', [listRow({ ...ORG, 记录编号: 'R1' }), listRow({ ...ORG, 记录编号: 'R1', 认定日期: '2024-05-05' })]);
    expect(g.errors).toEqual([expect.objectContaining({ row: 3, column: 'A', field: '记录编号', message: '与第2行重复：记录编号“R1”相同' })]);
  });

  it('two records with distinct 记录编号 may share list type, identifier and date: a warning', () => {
    const r = ok('list', [listRow({ ...ORG, 记录编号: 'R1' }), listRow({ ...ORG, 记录编号: 'R2' })]);
    expect(r.records).toHaveLength(2);
    expect(r.preview.warnings[0]).toMatchObject({ row: 3, column: 'F', message: expect.stringContaining('第2行') });
  });

  it('merged cells and formulas are refused where they are', () => {
    const rows = [listRow(ORG), listRow({ ...ORG, 统一社会信用代码: USCC2, 主体类型: null })];
    const f = fails('list', rows, { merges: [{ s: { r: 2, c: 3 }, e: { r: 2, c: 4 } }], formulas: [{ r: 1, c: 12 }] });
    expect(where(f)).toEqual([[2, 'M', '列入事由'], [3, 'D', '主体名称']]);
    expect(f.errors[0]?.message).toContain('公式');
    expect(f.errors[1]?.message).toContain('D3:E3');
  });

  it('the template example row is refused', () => {
    const f = fails('list', [listRow({ ...ORG, 记录编号: 'LY-2024-000001' })]);
    expect(f.errors[0]).toMatchObject({ row: 2, column: 'A', field: '记录编号', message: expect.stringContaining('示例行') });
  });

  it('lists at most maxErrors errors and counts the rest', () => {
    const rows = Array.from({ length: 300 }, () => listRow({ ...ORG, 主体名称: null }));
    const r = validateSheet('list', sheet('list', rows), { today: TODAY, maxErrors: 200 });
    expect(r.ok).toBe(false);
    expect((r as ImportFailure).errors).toHaveLength(200);
    expect((r as ImportFailure).moreErrors).toBe(100);
  });

  it('formatIssue says where, then what', () => {
    expect(formatIssue({ sheet: '名单', row: 5, column: 'F', field: '统一社会信用代码', message: '校验码不符' })).toBe('工作表“名单”第5行 F列（统一社会信用代码）：校验码不符');
    expect(formatIssue({ sheet: '', row: 0, column: '', field: '', message: '文件为空' })).toBe('文件为空');
  });

  it('any generated record survives template row → validation unchanged (except otherIds, not in the template)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (seed) => {
        const records = [...generateRecords({ seed, records: 20, today: '2026-11-21' })];
        const seen = new Set<string>();
        const unique = records.filter((r) => {
          const k = `${r.listType}|${r.uscc ?? r.idNumber}|${r.designatedOn}`;
          return !seen.has(k) && seen.add(k);
        });
        const r = ok('list', unique.map((x) => rowOf('list', x)));
        expect(r.records).toEqual(unique.map((x) => ({ ...x, otherIds: [] })));
      }),
      { numRuns: 25 },
    );
  });
});

describe('measures and matters', () => {
  const measure: Measure = {
    id: 'M-1',
    edition: '2024版',
    level: '市级',
    category: '行政性',
    kind: 'punishment',
    title: '从严审核',
    content: '从严审核行政许可',
    basis: '某文件',
    initiatingDept: '发改委',
    implementingDepts: ['市场监督管理局', '住房和城乡建设局'],
    mandatory: false,
    matters: ['SCJG-01'],
    listTypes: ['*'],
    colours: ['black', 'watch'],
    minSeverity: '一般',
    target: 'person',
  };
  const matter: Matter = { id: 'SX-1', name: '食品经营许可', department: '市场监督管理局', statutoryDays: 20, secondaryMaterials: ['自查、管理制度文本', '布局图'], subjectTypes: ['法人', '个体工商户'] };

  it('a measure round-trips through its template row', () => {
    const r = ok('measure', [rowOf('measure', measure)]);
    expect(r.records).toEqual([measure]);
    expect(r.preview).toMatchObject({ rows: 1, byCategory: { 行政性: 1 }, byKind: { punishment: 1 } });
  });

  it('lists: separators 、 ；, “全部” for any, labels checked', () => {
    const row = rowOf('measure', measure);
    const h = headersOf('measure');
    row[h.indexOf('实施部门')] = '市场监督管理局；住房和城乡建设局';
    row[h.indexOf('适用名单类型')] = '全部';
    row[h.indexOf('是否强制')] = '推荐性';
    expect(ok('measure', [row]).records[0]).toEqual(measure);
    row[h.indexOf('适用名单类型')] = '全部、失信被执行人';
    row[h.indexOf('适用名单类别')] = '黑名单、紫名单';
    const f = fails('measure', [row]);
    expect(where(f)).toEqual([[2, 'M', '适用名单类型'], [2, 'N', '适用名单类别']]);
    expect(f.errors[1]?.message).toContain('“紫名单”不是可选值');
  });

  it('rewards only for red lists, punishments never for red', () => {
    const f = fails('measure', [rowOf('measure', { ...measure, kind: 'reward' }), rowOf('measure', { ...measure, id: 'M-2', colours: ['red'] })]);
    expect(where(f)).toEqual([[2, 'N', '适用名单类别'], [3, 'N', '适用名单类别']]);
  });

  it('unknown matter ids are a warning when the catalogue is known', () => {
    const r = validateSheet('measure', sheet('measure', [rowOf('measure', measure)]), { matterIds: new Set(['ZJ-01']) });
    expect(r.ok && r.preview.warnings[0]).toMatchObject({ column: 'L', field: '适用事项', message: expect.stringContaining('SCJG-01') });
  });

  it('a matter: materials split on ； only (names contain 、), an empty list allowed, days bounded', () => {
    const r = ok('matter', [rowOf('matter', matter), rowOf('matter', { ...matter, id: 'SX-2', name: '另一事项', secondaryMaterials: [] })]);
    expect(r.records).toEqual([matter, { ...matter, id: 'SX-2', name: '另一事项', secondaryMaterials: [] }]);
    expect(r.preview.byDepartment).toEqual({ 市场监督管理局: 2 });
    const f = fails('matter', [rowOf('matter', { ...matter, statutoryDays: 400 })]);
    expect(where(f)).toEqual([[2, 'D', '法定办结时限（工作日）']]);
  });

  it('duplicate codes and duplicate name + department are refused', () => {
    const f = fails('matter', [rowOf('matter', matter), rowOf('matter', { ...matter, name: '别的' }), rowOf('matter', { ...matter, id: 'SX-3' })]);
    expect(where(f)).toEqual([[3, 'A', '事项编码'], [4, 'B', '事项名称']]);
  });
});
