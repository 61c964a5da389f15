/**
 * Import workbooks written from the column table (shared/import/columns.ts): the templates the
 * app ships (scripts/make-templates.ts), the test fixtures (scripts/make-bad-import-files.ts) and
 * the benchmark's 100,000-row file. No DOM types: runs in Node scripts as well.
 *
 * Strings go to a shared-string table (bookSST), as Excel writes them; without it a sheet of
 * repeated texts is twice the size and slower to read.
 */
import * as XLSX from 'xlsx';
import { HELP_SHEET_NAME, IMPORT_KINDS, canonicalLabels, columnLetter, columnsOf, exampleRecords, headersOf, rowOf, type CellType, type ImportKind, type TemplateCell } from '../../shared/import/columns';

/** A cell for a data sheet: a plain value, or a SheetJS cell object (dates, formulas in fixtures). */
export type SheetCell = TemplateCell | XLSX.CellObject;

export function bookBytes(book: XLSX.WorkBook): Uint8Array<ArrayBuffer> {
  const out: unknown = XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true, bookSST: true });
  if (!(out instanceof ArrayBuffer)) throw new Error('生成表格失败');
  return new Uint8Array(out);
}

/** The data sheet of `kind`: header row, then `rows`, with the template's column widths. */
export function dataSheet(kind: ImportKind, rows: readonly (readonly SheetCell[])[], header: readonly string[] = headersOf(kind)): XLSX.WorkSheet {
  const ws = XLSX.utils.aoa_to_sheet([header as string[], ...(rows as SheetCell[][])]);
  const widths = new Map(columnsOf(kind).map((c) => [c.header, c.width]));
  ws['!cols'] = header.map((h) => ({ wch: widths.get(h) ?? Math.max(10, h.length * 2 + 2) }));
  return ws;
}

/** What the 填写说明 sheet says a cell of this type may hold. */
function allowedText(type: CellType): string {
  switch (type.t) {
    case 'enum':
    case 'bool':
      return canonicalLabels(type.labels as readonly (readonly [string, unknown])[]).join('、');
    case 'list':
      return type.labels ? `${canonicalLabels(type.labels).join('、')}（可多选）` : type.any ? '多项，或“*”表示全部' : '多项';
    case 'date':
      return 'YYYY-MM-DD';
    case 'int':
      return type.max > 1_000_000 ? '正整数' : `${type.min}–${type.max} 的整数`;
    default:
      return '文本';
  }
}

function helpSheet(kind: ImportKind, example: readonly TemplateCell[]): XLSX.WorkSheet {
  const info = IMPORT_KINDS[kind];
  const notes = [
    `请在“${info.sheetName}”工作表中填写：第1行为表头，不要修改表头文字（列的顺序可以调整）；从第2行起每行填写一条。`,
    '第2行是虚构的示例，导入前请删除或改为实际数据（留在文件中会被拒绝导入）。',
    '只填写数值：不要合并单元格，不要使用公式（可复制后“选择性粘贴 → 数值”）。',
    ...(kind === 'list'
      ? [
          '日期填写为 YYYY-MM-DD（如 2024-03-01），也可使用 Excel 的日期格式。',
          '证件号码列请先设为“文本”格式再填写，否则 Excel 会把 18 位号码变成科学计数法并丢失末几位。',
        ]
      : []),
    '整个文件全部校验通过才会导入；有任何错误时不导入任何数据，并列出出错的工作表、行、列和原因。',
    '文件大小不超过 50 MB；只有管理员可以导入。',
  ].map((n, i) => `${i + 1}. ${n}`);
  const need = (c: { required: boolean; conditional?: true }): string => (c.required ? '必填' : c.conditional ? '条件必填' : '选填');
  const table = columnsOf(kind).map((c, i) => [columnLetter(i), c.header, need(c), allowedText(c.type), c.help, example[i] ?? '']);
  const ws = XLSX.utils.aoa_to_sheet([[`${info.label}导入模板 填写说明`], ...notes.map((n) => [n]), [], ['列', '列名', '是否必填', '可填写的值', '填写要求', '示例'], ...table]);
  ws['!cols'] = [{ wch: 5 }, { wch: 22 }, { wch: 9 }, { wch: 28 }, { wch: 70 }, { wch: 40 }];
  return ws;
}

/** The template of `kind`: the data sheet with its header and one example row, and 填写说明. */
export function templateBook(kind: ImportKind): XLSX.WorkBook {
  const example = rowOf(kind, exampleRecords()[kind][0] as never);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, dataSheet(kind, [example]), IMPORT_KINDS[kind].sheetName);
  XLSX.utils.book_append_sheet(book, helpSheet(kind, example), HELP_SHEET_NAME);
  return book;
}

/** A workbook with only the data sheet of `kind`. */
export function dataBook(kind: ImportKind, rows: readonly (readonly SheetCell[])[], header?: readonly string[]): XLSX.WorkBook {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, dataSheet(kind, rows, header), IMPORT_KINDS[kind].sheetName);
  return book;
}
