/**
 * Spreadsheets out: one sheet from a header row and rows, saved through the bridge. Parsing
 * and writing happen in the renderer (never in main); xlsx is the patched SheetJS 0.20.3.
 */
import * as XLSX from 'xlsx';
import { getClientApi } from '../bridge';

export type Cell = string | number | boolean | null;

export function workbookBytes(sheetName: string, header: readonly string[], rows: readonly Cell[][]): Uint8Array<ArrayBuffer> {
  const sheet = XLSX.utils.aoa_to_sheet([header as string[], ...(rows as Cell[][])]);
  sheet['!cols'] = header.map((h) => ({ wch: Math.max(10, h.length * 2 + 2) }));
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, sheetName);
  const out: unknown = XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true });
  if (!(out instanceof ArrayBuffer)) throw new Error('生成表格失败');
  return new Uint8Array(out);
}

export async function saveWorkbook(fileName: string, bytes: Uint8Array<ArrayBuffer>) {
  return getClientApi().saveFile({
    suggestedName: fileName,
    bytes,
    filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
  });
}
