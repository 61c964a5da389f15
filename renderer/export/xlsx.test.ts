import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { workbookBytes, type Cell } from './xlsx';

function readBack(bytes: Uint8Array): { names: string[]; rows: unknown[][] } {
  const book = XLSX.read(bytes, { type: 'array' });
  const sheet = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
  return { names: book.SheetNames, rows: XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, defval: null }) };
}

describe('xlsx export', () => {
  it('writes a real workbook whose first row is the header and whose cells keep their types', async () => {
    const bytes = await workbookBytes('核查记录', ['代码', '命中记录数', '容缺受理'], [
      ['91371302MD0B1A0190', 2, '是'],
      ['110101********1233', 0, '否'],
    ]);
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip container, as xlsx is
    const { names, rows } = readBack(bytes);
    expect(names).toEqual(['核查记录']);
    expect(rows).toEqual([
      ['代码', '命中记录数', '容缺受理'],
      ['91371302MD0B1A0190', 2, '是'],
      ['110101********1233', 0, '否'],
    ]);
  });

  it('keeps any text as text: markup, formulas, control characters, spaces, surrogates, escapes', async () => {
    const odd = ['<b>&"\'', '=1+2', '@SUM(A1)', 'a\u0001b\u001fc', '  两端空格  ', '行一\n行二', '𠀀字', 'x\ud800y', '_x0041_', true, false, null, 3.25, -0, ''];
    const { rows } = readBack(await workbookBytes('a/b:c*[d]', ['值'], odd.map((v) => [v as Cell])));
    const got = rows.slice(1).map((r) => r[0]);
    expect(got).toEqual(['<b>&"\'', '=1+2', '@SUM(A1)', 'a\u0001b\u001fc', '  两端空格  ', '行一\n行二', '𠀀字', 'x\uFFFDy', '_x0041_', true, false, null, 3.25, 0, null]);
  });

  it('many rows and columns beyond Z round-trip exactly', async () => {
    const header = Array.from({ length: 30 }, (_, i) => `列${i + 1}`);
    const data: Cell[][] = Array.from({ length: 5_000 }, (_, r) => header.map((_, c) => (c % 3 === 0 ? r * 30 + c : `值${(r * 7 + c) % 97}`)));
    const { names, rows } = readBack(await workbookBytes('名单名单名单名单名单名单名单名单名单名单名单名单名单名单', header, data));
    expect(names[0]).toHaveLength(28);
    expect(rows).toEqual([header, ...data]);
  });
});
