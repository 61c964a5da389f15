/**
 * Bytes of an .xlsx → the plain sheet structure of shared/import/validate.ts, with SheetJS
 * (the patched 0.20.3). Everything that can be refused without SheetJS is refused first:
 *   1. size (default 50 MB);
 *   2. the container: ZIP magic PK\x03\x04 (an old .xls or a password-protected workbook starts
 *      with D0 CF 11 E0; a text or CSV file with anything — SheetJS would happily turn either
 *      into a one-cell sheet of garbage, so we never let it try);
 *   3. the ZIP central directory and an actual bounded inflation (zip-guard.ts: compression
 *      bombs, encryption, odd compression methods);
 *   4. the parts of an Excel workbook ([Content_Types].xml, xl/workbook.xml).
 * Then SheetJS parses with `cellDates: false` (it would build dates at local midnight: on a
 * UTC+8 desktop a naive toISOString() lands on the day before) and `cellNF: true`, and numbers
 * with a date format become 'YYYY-MM-DD' here, computed in UTC (1904 date system honoured);
 * `cellFormula: true` so formulas can be refused. Runs in the import worker, never in main.
 *
 * No DOM types here: the unit tests run it in Node.
 */
import * as XLSX from 'xlsx';
import { HELP_SHEET_NAME, excelSerialToIso } from '../../shared/import/columns';
import type { CellAddress, CellRange, ImportFailure, SheetData } from '../../shared/import/validate';
import { DEFAULT_ZIP_LIMITS, ZipGuardError, checkZipEntries, isCompoundFile, isZip, readZipDirectory, verifyInflation, type ZipLimits } from './zip-guard';

export interface ReaderLimits extends ZipLimits {
  /** The file itself. */
  maxFileBytes: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = { ...DEFAULT_ZIP_LIMITS, maxFileBytes: 50 * 1024 * 1024 };

export type ReadPhase = 'check' | 'parse' | 'rows';

export interface ReadOptions {
  /** The data sheet's name in the template; else the first sheet that is not 填写说明. */
  sheetName?: string;
  limits?: Partial<ReaderLimits>;
  /** Told when each phase starts (SheetJS's parse is one synchronous call: no finer progress). */
  onPhase?: (phase: ReadPhase) => void;
}

export interface ReadTimings {
  checkMs: number;
  parseMs: number;
  rowsMs: number;
}

export type ReadOutcome = { ok: true; sheet: SheetData; sheetNames: string[]; ms: ReadTimings } | ImportFailure;

/** A failure of the file as a whole (no sheet, row or column to name). */
export function fileFailure(message: string): ImportFailure {
  return { ok: false, errors: [{ sheet: '', row: 0, column: '', field: '', message }], moreErrors: 0 };
}

const MB = 1024 * 1024;
const NOT_XLSX = '请在 Excel 或 WPS 中“另存为 → Excel 工作簿（*.xlsx）”后再导入';

/** Refusals that need no parsing. Returns null when the bytes may go to SheetJS. */
export async function checkContainer(bytes: Uint8Array, limits: ReaderLimits = DEFAULT_READER_LIMITS): Promise<ImportFailure | null> {
  if (bytes.length === 0) return fileFailure('文件为空（0 字节）');
  if (bytes.length > limits.maxFileBytes) {
    return fileFailure(`文件大小 ${(bytes.length / MB).toFixed(1)} MB，超过导入上限 ${Math.round(limits.maxFileBytes / MB)} MB：请拆分为多个文件`);
  }
  if (isCompoundFile(bytes)) {
    return fileFailure(`这是旧版 Excel 97-2003 工作簿（.xls）或设有打开密码的工作簿，本程序只接受不加密的 .xlsx：${NOT_XLSX}`);
  }
  if (!isZip(bytes)) return fileFailure(`文件不是 Excel 工作簿（.xlsx）：文件开头不是 xlsx 的 ZIP 容器标志。如为 CSV、文本或旧版 .xls 文件，${NOT_XLSX}`);
  try {
    const entries = readZipDirectory(bytes, limits.maxEntries);
    checkZipEntries(entries, bytes.length, limits);
    const names = new Set(entries.map((e) => e.name));
    if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
      const hint = names.has('xl/workbook.bin') ? '这是二进制工作簿（.xlsb），' : names.has('word/document.xml') ? '这是 Word 文档，' : '';
      return fileFailure(`文件不是 Excel 工作簿（.xlsx）：${hint}${NOT_XLSX}`);
    }
    await verifyInflation(bytes, entries);
  } catch (e) {
    if (e instanceof ZipGuardError) return fileFailure(e.message);
    throw e;
  }
  return null;
}

/** Number format → is it a date format? (Cached: a sheet has few formats and many cells.) */
function dateFormatTest(): (z: unknown) => boolean {
  const cache = new Map<string, boolean>();
  const ssf = XLSX.SSF as { is_date: (fmt: string) => boolean };
  return (z) => {
    if (typeof z !== 'string' || z === 'General') return false;
    let v = cache.get(z);
    if (v === undefined) cache.set(z, (v = ssf.is_date(z)));
    return v;
  };
}

/** One SheetJS cell → the plain value validate.ts reads. */
function cellValue(cell: XLSX.CellObject, isDate: (z: unknown) => boolean, date1904: boolean): unknown {
  switch (cell.t) {
    case 's':
      return cell.v;
    case 'n': {
      const v = cell.v as number;
      if (!isDate(cell.z)) return v;
      // Left as the number when it is no real date: validate.ts then says so with the column.
      return excelSerialToIso(date1904 ? v + 1462 : v) ?? v;
    }
    case 'b':
      return cell.v;
    case 'd': {
      // Not produced with cellDates: false; handled anyway, in UTC.
      const d = cell.v as Date;
      return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
    }
    case 'e':
      return { error: cell.w ?? XLSX.utils.format_cell(cell) };
    default:
      return null;
  }
}

function pickSheet(book: XLSX.WorkBook, preferred?: string): string | undefined {
  if (preferred && book.SheetNames.includes(preferred)) return preferred;
  return book.SheetNames.find((n) => n !== HELP_SHEET_NAME) ?? book.SheetNames[0];
}

/** The sheet as plain rows (absolute: rows[i] is Excel row i + 1), with merges and formula cells. */
export function sheetData(book: XLSX.WorkBook, name: string): SheetData {
  const ws = book.Sheets[name];
  const out: SheetData = { name, rows: [], merges: [], formulas: [] };
  if (!ws) return out;
  const isDate = dateFormatTest();
  const date1904 = Boolean(book.Workbook?.WBProps?.date1904);
  const dense = (ws as { '!data'?: (XLSX.CellObject[] | undefined)[] })['!data'] ?? [];
  const formulas: CellAddress[] = [];
  const rows: unknown[][] = new Array<unknown[]>(dense.length);
  for (let r = 0; r < dense.length; r++) {
    const cells = dense[r];
    if (!cells) {
      rows[r] = [];
      continue;
    }
    const row = new Array<unknown>(cells.length);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (!cell) {
        row[c] = null;
        continue;
      }
      if (cell.f !== undefined || cell.F !== undefined) formulas.push({ r, c });
      row[c] = cellValue(cell, isDate, date1904);
    }
    rows[r] = row;
  }
  out.rows = rows;
  out.formulas = formulas;
  out.merges = ((ws['!merges'] ?? []) as CellRange[]).map((m) => ({ s: { r: m.s.r, c: m.s.c }, e: { r: m.e.r, c: m.e.c } }));
  return out;
}

/**
 * Checks and parses an .xlsx, returning the data sheet (the one named `sheetName`, else the
 * first that is not 填写说明), or a failure naming what is wrong with the file.
 */
export async function readWorkbook(bytes: Uint8Array, opts: ReadOptions = {}): Promise<ReadOutcome> {
  const limits = { ...DEFAULT_READER_LIMITS, ...opts.limits };
  const t0 = performance.now();
  opts.onPhase?.('check');
  const refused = await checkContainer(bytes, limits);
  if (refused) return refused;
  const t1 = performance.now();
  opts.onPhase?.('parse');
  let book: XLSX.WorkBook;
  try {
    book = XLSX.read(bytes, {
      type: 'array',
      dense: true,
      cellDates: false,
      cellFormula: true,
      cellNF: true,
      cellText: false,
      cellHTML: false,
      cellStyles: false,
      bookVBA: false,
    });
  } catch (e) {
    return fileFailure(`无法读取工作簿：${e instanceof Error ? e.message : String(e)}。${NOT_XLSX}`);
  }
  const t2 = performance.now();
  opts.onPhase?.('rows');
  const name = pickSheet(book, opts.sheetName);
  if (name === undefined) return fileFailure('工作簿中没有工作表');
  const sheet = sheetData(book, name);
  const t3 = performance.now();
  return { ok: true, sheet, sheetNames: book.SheetNames, ms: { checkMs: t1 - t0, parseMs: t2 - t1, rowsMs: t3 - t2 } };
}
