import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { workbookBytes } from './xlsx';

describe('xlsx export', () => {
  it('writes a real workbook whose first row is the header and whose cells keep their types', () => {
    const bytes = workbookBytes('核查记录', ['代码', '命中记录数', '容缺受理'], [
      ['91371302MD0B1A0190', 2, '是'],
      ['110101********1233', 0, '否'],
    ]);
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip container, as xlsx is
    const book = XLSX.read(bytes, { type: 'array' });
    expect(book.SheetNames).toEqual(['核查记录']);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['核查记录']!, { header: 1 });
    expect(rows).toEqual([
      ['代码', '命中记录数', '容缺受理'],
      ['91371302MD0B1A0190', 2, '是'],
      ['110101********1233', 0, '否'],
    ]);
  });
});
