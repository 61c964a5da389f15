/**
 * The import pipeline on real files: every fixture of test/fixtures/import (made by
 * scripts/make-bad-import-files.ts) through the workbook reader and the validation, with the
 * exact place of each error; the shipped templates; the sample catalogue round trip; the worker
 * protocol.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import type { ImportKind } from '../../shared/import/columns';
import { HELP_SHEET_NAME, IMPORT_KINDS, IMPORT_KIND_LIST, headersOf, rowOf } from '../../shared/import/columns';
import { validateSheet, type ImportError, type ImportResult } from '../../shared/import/validate';
import { readWorkbook } from '../../renderer/import/xlsx-reader';
import { bookBytes, dataBook, templateBook } from '../../renderer/import/template-workbook';
import { parseImport } from '../../renderer/import/parse-import';
import { RESULT_CHUNK, collectImportEvents, importWorkerHandler, type ImportEvent } from '../../renderer/import/import-protocol';
import type { ListRecord } from '../../shared/domain/schemas';
import { generateRecords } from '../../shared/sample/generator';
import measuresJson from '../../resources/sample/measures.json';
import mattersJson from '../../resources/sample/matters.json';

const root = resolve(import.meta.dirname, '../..');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(root, 'test/fixtures/import', name)));
const TODAY = new Date(Date.UTC(2026, 10, 21));

/** Reader, then validation, as the worker runs them. */
async function importFile(bytes: Uint8Array, kind: ImportKind = 'list'): Promise<ImportResult> {
  const read = await readWorkbook(bytes, { sheetName: IMPORT_KINDS[kind].sheetName });
  if (!read.ok) return read;
  return validateSheet(kind, read.sheet, { today: TODAY });
}

type Where = Pick<ImportError, 'sheet' | 'row' | 'column' | 'field'> & { message: RegExp };

/** Each bad file and exactly the errors it must give. */
const FIXTURES: Record<string, Where[]> = {
  'wrong-headers.xlsx': [
    { sheet: '名单', row: 1, column: 'N', field: '认定时间', message: /未知表头“认定时间”.*是否应为“认定日期”/ },
    { sheet: '名单', row: 1, column: 'N', field: '认定日期', message: /缺少表头“认定日期”/ },
  ],
  'bad-identifier.xlsx': [{ sheet: '名单', row: 3, column: 'F', field: '统一社会信用代码', message: /校验码不符/ }],
  'impossible-date.xlsx': [{ sheet: '名单', row: 4, column: 'N', field: '认定日期', message: /^日期“2023-02-30”不存在$/ }],
  'duplicate-rows.xlsx': [{ sheet: '名单', row: 8, column: 'F', field: '统一社会信用代码', message: /^与第3行重复/ }],
  'merged-cells.xlsx': [{ sheet: '名单', row: 5, column: 'D', field: '主体名称', message: /合并单元格 D5:E5/ }],
  'formula.xlsx': [{ sheet: '名单', row: 2, column: 'M', field: '列入事由', message: /含公式.*选择性粘贴/ }],
  'empty.xlsx': [{ sheet: '名单', row: 1, column: 'A', field: '', message: /工作表为空/ }],
  'headers-only.xlsx': [{ sheet: '名单', row: 2, column: 'A', field: '', message: /没有数据行/ }],
  // Refused before parsing: the file as a whole (row 0, no sheet).
  'not-a-workbook.xlsx': [{ sheet: '', row: 0, column: '', field: '', message: /不是 Excel 工作簿/ }],
  'old-format.xlsx': [{ sheet: '', row: 0, column: '', field: '', message: /旧版 Excel 97-2003/ }],
  'zip-bomb.xlsx': [{ sheet: '', row: 0, column: '', field: '', message: /压缩比为 \d+:1.*超过上限 100:1.*压缩炸弹/ }],
  'zip-bomb-claims.xlsx': [{ sheet: '', row: 0, column: '', field: '', message: /解压后超过 500 MB.*压缩炸弹/ }],
  'zip-bomb-lying.xlsx': [{ sheet: '', row: 0, column: '', field: '', message: /大于其声明的大小.*压缩炸弹/ }],
};

describe('import fixtures', () => {
  it.each(Object.entries(FIXTURES))('%s is refused with exactly its errors', async (name, expected) => {
    const r = await importFile(fixture(name));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.moreErrors).toBe(0);
    expect(r.errors).toHaveLength(expected.length);
    r.errors.forEach((e, i) => {
      const { message, ...place } = expected[i] as Where;
      expect({ sheet: e.sheet, row: e.row, column: e.column, field: e.field }).toEqual(place);
      expect(e.message).toMatch(message);
    });
  });

  it('fixture files stay small (they are committed)', () => {
    for (const name of [...Object.keys(FIXTURES), 'good-list.xlsx']) expect(fixture(name).length).toBeLessThan(200 * 1024);
  });

  it('the good file gives its counts, one warning, and records read as meant', async () => {
    const r = await importFile(fixture('good-list.xlsx'));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.kind).toBe('list');
    expect(r.preview).toMatchObject({
      rows: 6,
      byColour: { black: 3, red: 2, watch: 1 },
      byListType: { 失信被执行人: 2, 重大税收违法失信主体: 1, 纳税信用A级纳税人: 1, 经营异常名录: 1, 守信激励对象: 1 },
      moreWarnings: 0,
    });
    // The 个体工商户 with an old-style code: imported, with a warning to verify it.
    expect(r.preview.warnings).toEqual([expect.objectContaining({ sheet: '名单', row: 6, column: 'F', field: '统一社会信用代码', message: expect.stringContaining('人工核实') })]);
    const rs = r.records as ListRecord[];
    expect(rs.map((x) => x.designatedOn)).toEqual(['2024-03-01', '2024-04-15', '2024-05-06', '2025-04-01', '2025-07-01', '2025-01-10']);
    expect(rs[0]?.id).toBe('FX-0001');
    expect(rs.slice(1).every((x) => /^imp-[0-9a-f]{28}$/.test(x.id))).toBe(true);
    expect(rs[2]).toMatchObject({ subjectType: '自然人', objection: 'pending', severity: '一般' });
    expect(rs[3]).toMatchObject({ colour: 'red', severity: '轻微', validFrom: '2025-04-01', validTo: '2026-03-31' });
    expect(rs[5]?.idNumber).toMatch(/X$/);
    expect(rs[5]?.validFrom).toBe('2025-01-15');
    // Reading the same file again gives the same ids: a re-import changes nothing.
    const again = await importFile(fixture('good-list.xlsx'));
    expect(again.ok && again.records.map((x) => x.id)).toEqual(rs.map((x) => x.id));
  });

  it('a date typed into an Excel date cell is read in UTC, whatever the machine time zone', async () => {
    const read = await readWorkbook(fixture('good-list.xlsx'));
    expect(read.ok && read.sheet.rows[2]?.[headersOf('list').indexOf('认定日期')]).toBe('2024-04-15');
  });

  it('too big a file is refused before anything is read', async () => {
    const r = await readWorkbook(fixture('good-list.xlsx'), { limits: { maxFileBytes: 1000 } });
    expect(!r.ok && r.errors[0]?.message).toMatch(/超过导入上限/);
    const empty = await readWorkbook(new Uint8Array(0));
    expect(!empty.ok && empty.errors[0]?.message).toMatch(/文件为空/);
  });
});

describe('templates in resources/templates', () => {
  it.each(IMPORT_KIND_LIST)('the %s template is what make-templates writes', (kind) => {
    // Compared by content, not bytes: SheetJS keeps number formats it has read in a global
    // table and writes them into later files, so bytes depend on what this process read before.
    const content = (book: XLSX.WorkBook) =>
      book.SheetNames.map((n) => {
        const ws = book.Sheets[n] as XLSX.WorkSheet;
        return { n, rows: XLSX.utils.sheet_to_json(ws, { header: 1, raw: true, defval: null }), cols: (ws['!cols'] ?? []).map((c) => Math.round(c.wch ?? c.width ?? 0)) };
      });
    const onDisk = XLSX.read(readFileSync(resolve(root, 'resources/templates', IMPORT_KINDS[kind].templateFile)), { cellStyles: true });
    const fresh = XLSX.read(bookBytes(templateBook(kind)), { cellStyles: true });
    // Stale templates (columns.ts changed, script not re-run) fail here: run `npx tsx scripts/make-templates.ts`.
    expect(content(onDisk)).toEqual(content(fresh));
  });

  it.each(IMPORT_KIND_LIST)('the %s template has the header, 填写说明, and its example row is refused', async (kind) => {
    const bytes = new Uint8Array(readFileSync(resolve(root, 'resources/templates', IMPORT_KINDS[kind].templateFile)));
    const read = await readWorkbook(bytes, { sheetName: IMPORT_KINDS[kind].sheetName });
    if (!read.ok) throw new Error(JSON.stringify(read.errors));
    expect(read.sheetNames).toEqual([IMPORT_KINDS[kind].sheetName, HELP_SHEET_NAME]);
    expect(read.sheet.rows[0]).toEqual(headersOf(kind));
    const r = validateSheet(kind, read.sheet, { today: TODAY });
    // Everything in the example is valid except that it is the example.
    expect(!r.ok && r.errors.map((e) => [e.row, e.column, e.message.includes('示例行')])).toEqual([[2, 'A', true]]);
  });
});

describe('catalogue round trip', () => {
  it.each([
    ['measure', measuresJson],
    ['matter', mattersJson],
  ] as const)('the sample %s catalogue written as a template file imports unchanged', async (kind, records) => {
    const bytes = bookBytes(dataBook(kind, (records as unknown[]).map((r) => rowOf(kind, r as never))));
    const r = await parseImport(bytes, kind, { now: TODAY.getTime() });
    if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
    expect(r.records).toEqual(records);
  });
});

describe('worker protocol', () => {
  it('posts progress, then one result', async () => {
    const events: ImportEvent[] = [];
    await importWorkerHandler((e) => events.push(e))({ bytes: fixture('good-list.xlsx'), kind: 'list', now: TODAY.getTime() });
    const last = events.at(-1);
    expect(last?.type).toBe('result');
    expect(last?.type === 'result' && last.result.ok && last.result.preview.rows).toBe(6);
    const progress = events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.progress.percent : -1));
    expect(progress.length).toBeGreaterThan(2);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(progress.at(-1)).toBe(100);
  });

  it('a big result comes as records messages, then the result; put together it equals the file', async () => {
    const records = [...generateRecords({ seed: 9, records: RESULT_CHUNK * 2 + 7, today: '2026-11-21' })];
    const bytes = bookBytes(dataBook('list', records.map((r) => rowOf('list', r))));
    const events: ImportEvent[] = [];
    await importWorkerHandler((e) => events.push(e))({ bytes, kind: 'list', now: TODAY.getTime() });
    const kinds = events.map((e) => e.type).filter((t) => t !== 'progress');
    expect(kinds).toEqual(['records', 'records', 'records', 'result']);
    const collect = collectImportEvents();
    let result: ImportResult | undefined;
    for (const e of events) result = collect(e) ?? result;
    // The same records as the file read in one piece (the template carries no otherIds).
    const whole = await parseImport(bytes, 'list', { now: TODAY.getTime() });
    expect(whole.ok && whole.records.length).toBe(records.length);
    expect(result?.ok && result.records).toEqual(whole.ok && whole.records);
  });

  it('a bad file is a result with errors, a bad request an error', async () => {
    const events: ImportEvent[] = [];
    const handle = importWorkerHandler((e) => events.push(e));
    await handle({ bytes: fixture('zip-bomb.xlsx'), kind: 'list' });
    await handle({ bytes: fixture('good-list.xlsx'), kind: 'nonsense' as ImportKind });
    expect(events.map((e) => e.type).filter((t) => t !== 'progress')).toEqual(['result', 'error']);
  });
});
