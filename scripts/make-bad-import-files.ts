/**
 * `npx tsx scripts/make-bad-import-files.ts`: writes the import test fixtures to
 * test/fixtures/import/ — one good 名单 file and one file per way an import must fail. The
 * generated files are committed (all small; the bombs are ~50 KB that claim or inflate to
 * 50 MB – 1 GB). test/unit/import.test.ts asserts the exact error of each; see FIXTURES there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as XLSX from 'xlsx';
import { validateUscc } from '../shared/domain/identifiers';
import { headersOf, isoToExcelSerial } from '../shared/import/columns';
import { makeIdNumber, makeUscc } from '../shared/sample/generator';
import { bookBytes, dataBook, type SheetCell } from '../renderer/import/template-workbook';
import { minimalXlsxParts, repetitiveXml, zipBytes } from '../test/support/zip-writer';

const dir = resolve(import.meta.dirname, '../test/fixtures/import');
mkdirSync(dir, { recursive: true });

// ---------------------------------------------------------------- identifiers (fictional, valid)

const usccA = makeUscc('9', '1', '371302', 'LYFX0001');
const usccB = makeUscc('9', '1', '371311', 'LYFX0002');
const usccC = makeUscc('9', '1', '371312', 'LYFX0003');
/** A 个体工商户 code whose 18th char is wrong while its embedded org code is right: 'legacy'. */
const usccLegacy = (() => {
  const good = makeUscc('9', '2', '371321', 'LYFX0004');
  const last = good.endsWith('0') ? '1' : '0';
  const code = good.slice(0, 17) + last;
  if (validateUscc(code).status !== 'legacy') throw new Error('fixture: legacy code is not legacy');
  return code;
})();
const personA = makeIdNumber('371302', '1975-08-09', 31);
/** A person whose ID number ends in X, written lower-case in the file. */
const personX = (() => {
  for (let seq = 1; seq < 1000; seq++) {
    const id = makeIdNumber('371311', '1988-02-29', seq);
    if (id.endsWith('X')) return id.slice(0, 17) + 'x';
  }
  throw new Error('fixture: no X check char');
})();
const repId = makeIdNumber('371302', '1969-11-30', 7);

// ---------------------------------------------------------------- the good file (columns A–V, see columns.ts)

const COURT = '临沂市中级人民法院';
const TAX = '国家税务总局临沂市税务局';
const COURT_BASIS = '《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）第一条';

/** A date cell with a date number format: the reader must turn it into 2024-04-15 in UTC. */
const dateCell = (iso: string): XLSX.CellObject => ({ t: 'n', v: isoToExcelSerial(iso), z: 'yyyy-mm-dd' });

type Row = SheetCell[];
function row(cells: Partial<Record<string, SheetCell>>): Row {
  return headersOf('list').map((h) => cells[h] ?? null);
}

const GOOD: Row[] = [
  row({ 记录编号: 'FX-0001', 名单类型: '失信被执行人', 名单类别: '黑名单', 主体名称: '临沂甲乙建材有限公司', 主体类型: '法人', 统一社会信用代码: usccA, 法定代表人: '王某某', 法定代表人身份证号: repId, 认定部门: COURT, 认定依据: COURT_BASIS, 列入事由: '有履行能力而拒不履行生效法律文书确定的义务', 认定日期: '2024-03-01', 有效期止: '2027-02-28', 严重程度: '严重', 所属区县: '兰山区' }),
  row({ 名单类型: '重大税收违法失信主体', 名单类别: '黑名单', 主体名称: '临沂丙丁商贸有限公司', 主体类型: '法人', 统一社会信用代码: usccB, 认定部门: TAX, 认定依据: '《重大税收违法失信主体信息公布管理办法》第六条', 列入事由: '虚开增值税专用发票', 认定日期: dateCell('2024-04-15'), 严重程度: '一般', 所属区县: '罗庄区' }),
  row({ 名单类型: '失信被执行人', 名单类别: '黑名单', 主体名称: '李某某', 主体类型: '自然人', 公民身份号码: personA, 认定部门: COURT, 认定依据: COURT_BASIS, 列入事由: '违反财产报告制度', 认定日期: '2024/5/6', 严重程度: '一般', 异议状态: '处理中' }),
  // A plain number in a date column (no date format): read as an Excel serial date.
  row({ 名单类型: '纳税信用A级纳税人', 名单类别: '红名单', 主体名称: '临沂戊己科技有限公司', 主体类型: '法人', 统一社会信用代码: usccC, 认定部门: TAX, 认定依据: '《纳税信用管理办法（试行）》第二十九条', 列入事由: '纳税信用评价为A级', 认定日期: isoToExcelSerial('2025-04-01'), 有效期止: '2026-03-31' }),
  row({ 名单类型: '经营异常名录', 名单类别: '重点关注名单', 主体名称: '河东区庚辛便利店', 主体类型: '个体工商户', 统一社会信用代码: usccLegacy, 认定部门: '临沂市市场监督管理局', 认定依据: '《企业经营异常名录管理暂行办法》第四条', 列入事由: '未按规定报送年度报告', 认定日期: '2025-07-01', 严重程度: '轻微' }),
  row({ 名单类型: '守信激励对象', 名单类别: '红名单', 主体名称: '赵某某', 主体类型: '自然人', 公民身份号码: personX, 认定部门: '临沂市社会信用体系建设领导小组办公室', 认定依据: '《临沂市守信联合激励实施办法》第五条', 列入事由: '诚信典型', 认定日期: '2025-01-10', 有效期起: '2025-01-15', 有效期止: '2026-01-14' }),
];

const col = (header: string): number => headersOf('list').indexOf(header);
const withCell = (rows: Row[], r: number, header: string, v: SheetCell): Row[] =>
  rows.map((cells, i) => (i === r ? cells.map((c, j) => (j === col(header) ? v : c)) : cells));

const listBook = (rows: Row[], header?: string[]): Uint8Array => bookBytes(dataBook('list', rows, header));

// ---------------------------------------------------------------- one file per failure

const files: Record<string, Uint8Array> = {};

files['good-list.xlsx'] = listBook(GOOD);

// Header 认定日期 (N) renamed 认定时间.
files['wrong-headers.xlsx'] = listBook(GOOD, headersOf('list').map((h) => (h === '认定日期' ? '认定时间' : h)));

// Row 3: the USCC's 10th char changed so that neither its own nor the embedded org check holds
// (some substitutions keep the org check: those would be 'legacy', a warning).
const broken = ['1', '2', '3', '4', '5']
  .map((ch) => usccB.slice(0, 9) + ch + usccB.slice(10))
  .find((code) => validateUscc(code).status === 'invalid');
if (!broken) throw new Error('fixture: no invalid variant');
files['bad-identifier.xlsx'] = listBook(withCell(GOOD, 1, '统一社会信用代码', broken));

// Row 4: 2023-02-30.
files['impossible-date.xlsx'] = listBook(withCell(GOOD, 2, '认定日期', '2023-02-30'));

// Row 8 repeats row 3 (same list type, USCC and designation date).
files['duplicate-rows.xlsx'] = listBook([...GOOD, GOOD[1] as Row]);

// D5:E5 merged (主体名称 and 主体类型 of row 5); Excel keeps only the first cell's value.
{
  const book = dataBook('list', withCell(GOOD, 3, '主体类型', null));
  const ws = book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet;
  ws['!merges'] = [{ s: { r: 4, c: 3 }, e: { r: 4, c: 4 } }];
  files['merged-cells.xlsx'] = bookBytes(book);
}

// M2 (列入事由) is a formula with its cached text.
files['formula.xlsx'] = listBook(withCell(GOOD, 0, '列入事由', { t: 's', v: '有履行能力而拒不履行义务', f: '"有履行能力而拒不履行"&"义务"' }));

// A text file (a CSV, say) renamed .xlsx: SheetJS would read it as a one-cell sheet.
files['not-a-workbook.xlsx'] = new TextEncoder().encode('记录编号,名单类型,主体名称\nFX-0001,失信被执行人,临沂甲乙建材有限公司\n');

// The old binary format (Excel 97-2003) renamed .xlsx.
{
  const out: unknown = XLSX.write(dataBook('list', GOOD), { type: 'array', bookType: 'xls' });
  files['old-format.xlsx'] = new Uint8Array(out as ArrayBuffer);
}

// No cells at all, and a header row without data.
files['empty.xlsx'] = bookBytes((() => {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([]), '名单');
  return book;
})());
files['headers-only.xlsx'] = listBook([]);

// Bombs: 50 MB of XML deflates to ~50 KB (ratio ~1000:1).
const bomb = repetitiveXml(50 * 1024 * 1024);
files['zip-bomb.xlsx'] = zipBytes([...minimalXlsxParts(), { name: 'xl/worksheets/sheet1.xml', data: bomb }]);
// The same data, but the headers claim 1 GB: refused on the declared total alone.
files['zip-bomb-claims.xlsx'] = zipBytes([...minimalXlsxParts(), { name: 'xl/worksheets/sheet1.xml', data: bomb, uncompressedSize: 1024 * 1024 * 1024 }]);
// The same data, but the headers claim 2,000 bytes: only inflating it shows the lie.
files['zip-bomb-lying.xlsx'] = zipBytes([...minimalXlsxParts(), { name: 'xl/worksheets/sheet1.xml', data: bomb, uncompressedSize: 2_000 }]);

for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(resolve(dir, name), bytes);
  console.log(`${name.padEnd(24)} ${String(bytes.length).padStart(7)} bytes`);
}
