/**
 * Validation of an import sheet, all or nothing: either every data row becomes a record that
 * passes its zod schema and the rules below, or the result lists what is wrong — sheet, row and
 * column as Excel shows them, the template header, and a Chinese message — and nothing may be
 * imported. Pure: the sheet comes as plain arrays (renderer/import/xlsx-reader.ts makes them).
 *
 * Checks, in order:
 * 1. the sheet has a header row and data rows;
 * 2. headers exactly the template's (any order): a missing, unknown or repeated header is named,
 *    and nothing else is checked (every other message would be noise);
 * 3. merged cells and formulas anywhere (values only: a formula's cached value may be stale,
 *    and a merged area leaves all but its first cell empty);
 * 4. each cell read as its column says (columns.ts), required cells present;
 * 5. rules across cells: identifiers (USCC for organisations, where a 'legacy' code is a warning;
 *    ID number for persons), validTo ≥ validFrom, reward measures for red lists only, …;
 * 6. the record through its zod schema (length limits and whatever else the schema says);
 * 7. duplicates — same record id, or for lists the same list type + identifier + designation
 *    date — naming both rows.
 */
import type { z } from 'zod';
import { ListRecord, Matter, Measure } from '../domain/schemas';
import type { ListColour, MeasureCategory } from '../domain/schemas';
import { validateIdNumber, validateUscc } from '../domain/identifiers';
import {
  CellProblem,
  IMPORT_KINDS,
  columnLetter,
  columnsOf,
  exampleRecords,
  isEmptyCell,
  readCell,
  type Column,
  type ImportKind,
} from './columns';

export interface CellAddress {
  /** 0-based row. */
  r: number;
  /** 0-based column. */
  c: number;
}
export interface CellRange {
  s: CellAddress;
  e: CellAddress;
}

/** One sheet as plain data: rows[0] is the header row; rows[i] is Excel row i + 1. */
export interface SheetData {
  name: string;
  rows: unknown[][];
  merges: CellRange[];
  formulas: CellAddress[];
}

/**
 * A problem with a place. `row` is 1-based as Excel shows it (0 = the file as a whole),
 * `column` a letter ('' when none applies), `field` the template header ('' when none applies).
 */
export interface ImportIssue {
  sheet: string;
  row: number;
  column: string;
  field: string;
  message: string;
}
export type ImportError = ImportIssue;
export type ImportWarning = ImportIssue;

export interface ImportPreview {
  /** Data rows = records. */
  rows: number;
  /** Lists: records by colour and by list type. */
  byColour?: Partial<Record<ListColour, number>>;
  byListType?: Record<string, number>;
  /** Measures: by category, and how many are rewards / punishments. */
  byCategory?: Partial<Record<MeasureCategory, number>>;
  byKind?: Partial<Record<Measure['kind'], number>>;
  /** Matters: by department. */
  byDepartment?: Record<string, number>;
  warnings: ImportWarning[];
  /** Warnings not listed (beyond the limit). */
  moreWarnings: number;
}

export type ImportOk =
  | { ok: true; kind: 'list'; sheet: string; records: ListRecord[]; preview: ImportPreview }
  | { ok: true; kind: 'measure'; sheet: string; records: Measure[]; preview: ImportPreview }
  | { ok: true; kind: 'matter'; sheet: string; records: Matter[]; preview: ImportPreview };

export interface ImportFailure {
  ok: false;
  errors: ImportError[];
  /** Errors not listed (beyond the limit). */
  moreErrors: number;
}

export type ImportResult = ImportOk | ImportFailure;

export interface ValidateOptions {
  /** Birth dates in ID numbers may not be after this day (default: now). */
  today?: Date;
  /** Errors listed at most (default 200); the rest are counted. */
  maxErrors?: number;
  maxWarnings?: number;
  /** Known matter ids: measures naming others get a warning (the catalogue may come later). */
  matterIds?: ReadonlySet<string>;
  /** Called every few thousand rows while checking. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_MAX_ERRORS = 200;

/** "工作表“名单”第5行 F列（统一社会信用代码）：校验码不符……" — one line for logs and copies. */
export function formatIssue(e: ImportIssue): string {
  const where = [
    e.sheet ? `工作表“${e.sheet}”` : '',
    e.row > 0 ? `第${e.row}行` : '',
    e.column ? ` ${e.column}列` : '',
    e.field ? `（${e.field}）` : '',
  ].join('');
  return where ? `${where.trim()}：${e.message}` : e.message;
}

// ---------------------------------------------------------------- collecting issues

class Issues {
  readonly list: ImportIssue[] = [];
  more = 0;
  constructor(private readonly max: number) {}
  add(issue: ImportIssue): void {
    if (this.list.length < this.max) this.list.push(issue);
    else this.more++;
  }
  get count(): number {
    return this.list.length + this.more;
  }
}

// ---------------------------------------------------------------- zod messages in Chinese

/** Short Chinese messages for the schema's generic issues (its own refinements are Chinese already). */
function zhIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${String(issue.minimum)} 个字符`;
      if (issue.origin === 'array') return '至少填写一项';
      return `不能小于 ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `不能超过 ${String(issue.maximum)} 个字符`;
      if (issue.origin === 'array') return `最多 ${String(issue.maximum)} 项`;
      return `不能大于 ${String(issue.maximum)}`;
    case 'invalid_value':
      return '不是可选值';
    case 'invalid_type':
      return '类型不符';
    default:
      return undefined;
  }
}

const SCHEMAS = { list: ListRecord, measure: Measure, matter: Matter } as const;

// ---------------------------------------------------------------- deterministic record ids

/** cyrb53 (a fast, well-mixed 53-bit string hash), used twice with different seeds. */
function cyrb53(s: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The id of an imported list record without 记录编号: a hash of what makes it the same record
 * (list type, identifier, designation date), so importing the same file again finds the same
 * records instead of adding copies. ~106 bits: no collision in any realistic list.
 */
export function importedRecordId(listType: string, identifier: string, designatedOn: string): string {
  const key = `${listType}\u0000${identifier}\u0000${designatedOn}`;
  return `imp-${cyrb53(key, 1).toString(16).padStart(14, '0')}${cyrb53(key, 2).toString(16).padStart(14, '0')}`;
}

/** Row, then column ('B' < 'AA': shorter letters first). */
function bySheetOrder(a: ImportIssue, b: ImportIssue): number {
  return a.row - b.row || a.column.length - b.column.length || (a.column < b.column ? -1 : a.column > b.column ? 1 : 0);
}

// ---------------------------------------------------------------- the sheet

interface Layout {
  /** Column index in the sheet of each template column (same order as columnsOf(kind)). */
  at: number[];
  /** Sheet columns that have a header. */
  headed: Set<number>;
}

function headerText(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** Shared characters of two headers, for "did you mean". */
function overlap(a: string, b: string): number {
  let n = 0;
  for (const ch of new Set(a)) if (b.includes(ch)) n++;
  return n;
}

function checkHeaders(kind: ImportKind, sheet: SheetData, issues: Issues): Layout | null {
  const columns = columnsOf(kind);
  const header = sheet.rows[0] ?? [];
  const byName = new Map<string, number>();
  const unknown: { c: number; name: string }[] = [];
  const headed = new Set<number>();
  const known = new Set(columns.map((c) => c.header));
  const at = (c: number, field: string, message: string): void =>
    issues.add({ sheet: sheet.name, row: 1, column: columnLetter(c), field, message });

  header.forEach((v, c) => {
    const name = headerText(v);
    if (!name) return;
    headed.add(c);
    const first = byName.get(name);
    if (first !== undefined) at(c, name, `表头“${name}”重复（另见 ${columnLetter(first)} 列）`);
    else if (known.has(name)) byName.set(name, c);
    else unknown.push({ c, name });
  });
  if (headed.size === 0) {
    issues.add({ sheet: sheet.name, row: 1, column: 'A', field: '', message: `第1行应为表头：请使用“${IMPORT_KINDS[kind].templateFile}”，从第2行起每行填写一条` });
    return null;
  }
  const missing = columns.map((col, i) => ({ col, i })).filter(({ col }) => !byName.has(col.header));
  for (const u of unknown) {
    const guess = missing.map((m) => m.col.header).sort((a, b) => overlap(u.name, b) - overlap(u.name, a))[0];
    const hint = guess && overlap(u.name, guess) * 2 >= Math.min(u.name.length, guess.length) ? `，是否应为“${guess}”？` : '';
    at(u.c, u.name, `未知表头“${u.name}”：模板中没有此列${hint}`);
  }
  for (const { col, i } of missing) {
    at(i, col.header, `缺少表头“${col.header}”（模板第 ${i + 1} 列，${columnLetter(i)} 列）`);
  }
  if (unknown.length > 0 || missing.length > 0 || issues.count > 0) return null;
  return { at: columns.map((col) => byName.get(col.header) as number), headed };
}

/** Cells covered by a merge other than its top-left one, as r·2^20 + c (Excel's limits fit). */
function coveredCells(merges: readonly CellRange[]): Set<number> {
  const out = new Set<number>();
  for (const m of merges) {
    // A huge merge (whole columns) would make this set enormous: its anchor error says enough.
    if ((m.e.r - m.s.r + 1) * (m.e.c - m.s.c + 1) > 100_000) continue;
    for (let r = m.s.r; r <= m.e.r; r++) for (let c = m.s.c; c <= m.e.c; c++) if (r !== m.s.r || c !== m.s.c) out.add(r * 1_048_576 + c);
  }
  return out;
}

const rangeText = (m: CellRange): string => `${columnLetter(m.s.c)}${m.s.r + 1}:${columnLetter(m.e.c)}${m.e.r + 1}`;

function fieldAt(kind: ImportKind, layout: Layout | null, sheet: SheetData, c: number): string {
  if (layout) {
    const i = layout.at.indexOf(c);
    if (i >= 0) return columnsOf(kind)[i]?.header ?? '';
  }
  return headerText(sheet.rows[0]?.[c]);
}

function isEmptyRow(row: readonly unknown[] | undefined): boolean {
  if (!row) return true;
  for (let c = 0; c < row.length; c++) if (!isEmptyCell(row[c])) return false;
  return true;
}

// ---------------------------------------------------------------- per kind

/** One row being turned into a record. */
interface RowCtx {
  kind: ImportKind;
  sheet: string;
  /** Excel row number. */
  row: number;
  layout: Layout;
  columns: readonly Column<Record<string, unknown>>[];
  errors: Issues;
  warnings: Issues;
  /** Fields whose cell already failed (no follow-up errors on them). */
  failed: Set<string>;
  today: Date;
}

function issueAt(ctx: RowCtx, field: string, message: string): ImportIssue {
  const i = ctx.columns.findIndex((c) => c.field === field);
  const col = ctx.columns[i];
  return {
    sheet: ctx.sheet,
    row: ctx.row,
    column: i >= 0 ? columnLetter(ctx.layout.at[i] as number) : '',
    field: col?.header ?? '',
    message,
  };
}
function fail(ctx: RowCtx, field: string, message: string): void {
  ctx.failed.add(field);
  ctx.errors.add(issueAt(ctx, field, message));
}
const warn = (ctx: RowCtx, field: string, message: string): void => ctx.warnings.add(issueAt(ctx, field, message));

const ORG_TYPES = new Set(['法人', '非法人组织', '个体工商户']);

/** Lists: identifiers by subject type, defaults, date order, the record id. */
function finishList(o: Record<string, unknown>, ctx: RowCtx): void {
  const type = o.subjectType as string | undefined;
  if (type !== undefined && ORG_TYPES.has(type)) {
    if (o.idNumber !== undefined) fail(ctx, 'idNumber', `主体类型为${type}时不填公民身份号码（法定代表人或经营者的身份证号请填在“法定代表人身份证号”）`);
    if (o.uscc === undefined) {
      if (!ctx.failed.has('uscc')) fail(ctx, 'uscc', `主体类型为${type}时必须填写统一社会信用代码`);
    } else {
      const r = validateUscc(o.uscc as string);
      if (r.status === 'invalid') fail(ctx, 'uscc', r.reason ?? '统一社会信用代码无效');
      else {
        if (r.status === 'legacy') warn(ctx, 'uscc', r.reason ?? '统一社会信用代码校验码不符，请人工核实');
        o.uscc = r.normalized;
      }
    }
  } else if (type === '自然人') {
    if (o.uscc !== undefined) fail(ctx, 'uscc', '主体类型为自然人时不填统一社会信用代码');
    if (o.idNumber === undefined) {
      if (!ctx.failed.has('idNumber')) fail(ctx, 'idNumber', '主体类型为自然人时必须填写公民身份号码');
    } else {
      const r = validateIdNumber(o.idNumber as string, { today: ctx.today });
      if (r.status !== 'valid') fail(ctx, 'idNumber', r.reason ?? '公民身份号码无效');
      else o.idNumber = r.normalized;
    }
  }
  if (o.legalRepId !== undefined) {
    const r = validateIdNumber(o.legalRepId as string, { today: ctx.today });
    if (r.status !== 'valid') fail(ctx, 'legalRepId', r.reason ?? '法定代表人身份证号无效');
    else o.legalRepId = r.normalized;
  }

  if (o.validFrom === undefined && o.designatedOn !== undefined && !ctx.failed.has('validFrom')) o.validFrom = o.designatedOn;
  if (typeof o.validTo === 'string' && typeof o.validFrom === 'string' && o.validTo < o.validFrom) {
    fail(ctx, 'validTo', `有效期止（${o.validTo}）早于有效期起（${o.validFrom}）`);
  }
  if (o.severity === undefined && !ctx.failed.has('severity') && o.colour !== undefined) {
    if (o.colour === 'red') o.severity = '轻微';
    else fail(ctx, 'severity', '黑名单和重点关注名单须填写严重程度（轻微、一般或严重）');
  }
  o.version ??= 1;
  if (o.id === undefined && !ctx.failed.has('id')) {
    const identifier = (o.uscc ?? o.idNumber) as string | undefined;
    if (typeof o.listType === 'string' && identifier !== undefined && typeof o.designatedOn === 'string') {
      o.id = importedRecordId(o.listType, identifier, o.designatedOn);
    }
  }
}

function finishMeasure(o: Record<string, unknown>, ctx: RowCtx, opts: ValidateOptions): void {
  const colours = o.colours as string[] | undefined;
  if (o.kind !== undefined && colours !== undefined) {
    if (o.kind === 'reward' && colours.some((c) => c !== 'red')) fail(ctx, 'colours', '激励措施只适用于红名单');
    if (o.kind === 'punishment' && colours.includes('red')) fail(ctx, 'colours', '惩戒措施只适用于黑名单和重点关注名单');
  }
  const matters = o.matters as string[] | undefined;
  if (opts.matterIds && matters && !(matters.length === 1 && matters[0] === '*')) {
    const unknown = matters.filter((m) => !opts.matterIds?.has(m));
    if (unknown.length > 0) warn(ctx, 'matters', `审批事项目录中没有事项编码 ${unknown.join('、')}：请核对，或先导入审批事项目录`);
  }
}

let examples: { ids: Set<string>; identifiers: Set<string> } | undefined;
/** A row holding the template's example record (same id, or for lists the example's identifier). */
function isExampleRow(kind: ImportKind, o: Record<string, unknown>): boolean {
  if (!examples) {
    const ex = exampleRecords();
    examples = {
      ids: new Set([...ex.list, ...ex.measure, ...ex.matter].map((r) => r.id)),
      identifiers: new Set(ex.list.map((r) => r.uscc ?? r.idNumber ?? '')),
    };
  }
  if (typeof o.id === 'string' && examples.ids.has(o.id)) return true;
  return kind === 'list' && typeof o.uscc === 'string' && examples.identifiers.has(o.uscc);
}

// ---------------------------------------------------------------- validate

/** Validates one sheet of the given kind; see the module comment for what is checked. */
export function validateSheet(kind: ImportKind, sheet: SheetData, opts: ValidateOptions = {}): ImportResult {
  const errors = new Issues(opts.maxErrors ?? DEFAULT_MAX_ERRORS);
  const warnings = new Issues(opts.maxWarnings ?? DEFAULT_MAX_ERRORS);
  // Listed in sheet order (row, then column), however they were found.
  const failure = (): ImportFailure => ({ ok: false, errors: [...errors.list].sort(bySheetOrder), moreErrors: errors.more });
  const name = sheet.name;

  if (sheet.rows.every((row) => isEmptyRow(row))) {
    errors.add({ sheet: name, row: 1, column: 'A', field: '', message: `工作表为空：请在“${IMPORT_KINDS[kind].templateFile}”第1行保留表头，从第2行起填写数据` });
    return failure();
  }
  const layout = checkHeaders(kind, sheet, errors);
  if (!layout) return failure();

  // Values only: merged areas and formulas are refused wherever they are.
  for (const m of sheet.merges) {
    errors.add({
      sheet: name,
      row: m.s.r + 1,
      column: columnLetter(m.s.c),
      field: fieldAt(kind, layout, sheet, m.s.c),
      message: `合并单元格 ${rangeText(m)}：导入文件不能有合并单元格，请取消合并，并在每个单元格中填写各自的值`,
    });
  }
  for (const f of sheet.formulas) {
    errors.add({
      sheet: name,
      row: f.r + 1,
      column: columnLetter(f.c),
      field: fieldAt(kind, layout, sheet, f.c),
      message: '单元格含公式：导入文件只能含数值，请复制后“选择性粘贴 → 数值”',
    });
  }
  const covered = coveredCells(sheet.merges);

  const columns = columnsOf(kind);
  const schema = SCHEMAS[kind] as z.ZodType<Record<string, unknown>>;
  const today = opts.today ?? new Date();
  const records: Record<string, unknown>[] = [];
  const byId = new Map<string, number>();
  const byKey = new Map<string, { row: number; explicitId: string | undefined }>();
  // The 记录编号 typed in the row (not a derived one).
  const idAt = kind === 'list' ? layout.at[columns.findIndex((c) => c.field === 'id')] : undefined;
  const explicitId = (cells: readonly unknown[]): string | undefined => {
    const v = idAt === undefined ? undefined : cells[idAt];
    return isEmptyCell(v) ? undefined : String(v).trim();
  };
  const byNameDept = new Map<string, number>();
  const unheaded = new Set<number>();
  const total = sheet.rows.length - 1;
  const ctx: RowCtx = { kind, sheet: name, row: 0, layout, columns, errors, warnings, failed: new Set(), today };

  for (let r = 1; r < sheet.rows.length; r++) {
    if (opts.onProgress && r % 5_000 === 0) opts.onProgress(r, total);
    const row = sheet.rows[r];
    if (isEmptyRow(row)) continue;
    const cells = row as unknown[];
    // One context for all rows: 100,000 rows should not mean 100,000 throw-away objects.
    ctx.row = r + 1;
    ctx.failed.clear();
    const before = errors.count;

    // Data in a column without a header would be silently dropped: say so (once per column).
    for (let c = 0; c < cells.length; c++) {
      if (!layout.headed.has(c) && !unheaded.has(c) && !isEmptyCell(cells[c])) {
        unheaded.add(c);
        errors.add({ sheet: name, row: r + 1, column: columnLetter(c), field: '', message: '此列没有表头，但有数据：请删除这些数据，或使用模板中的列' });
      }
    }

    const o: Record<string, unknown> = {};
    let merged = false;
    for (let i = 0; i < columns.length; i++) {
      const col = columns[i] as Column<Record<string, unknown>>;
      const c = layout.at[i] as number;
      const v = cells[c];
      if (isEmptyCell(v)) {
        // A merged area's other cells are empty: the merge error already says why.
        if (covered.size > 0 && covered.has(r * 1_048_576 + c)) merged = true;
        else if (col.required) fail(ctx, col.field, '必填项未填写');
        // An optional list left blank is an empty list (e.g. no 容缺 materials).
        else if (col.type.t === 'list') o[col.field] = [];
        continue;
      }
      const value = readCell(v, col.type);
      if (value instanceof CellProblem) fail(ctx, col.field, value.message);
      else o[col.field] = value;
    }

    if (kind === 'list') finishList(o, ctx);
    else if (kind === 'measure') finishMeasure(o, ctx, opts);
    // The template's fictional example row must never end up among real records.
    if (isExampleRow(kind, o)) fail(ctx, 'id', '这是模板中的示例行（虚构数据）：请删除或替换为实际数据后再导入');

    // The schema is the truth; it only speaks when our own reading found nothing (no echoes).
    if (errors.count === before && !merged) {
      const parsed = schema.safeParse(o, { error: zhIssue });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '');
          if (!ctx.failed.has(field)) fail(ctx, field, issue.message);
        }
      } else {
        const rec = parsed.data;
        const id = rec.id as string;
        const dupOf = byId.get(id);
        let dup = false;
        if (kind === 'list') {
          const identifier = (rec.uscc ?? rec.idNumber) as string;
          const key = `${rec.listType as string}\u0000${identifier}\u0000${rec.designatedOn as string}`;
          const first = byKey.get(key);
          const idField = rec.uscc ? 'uscc' : 'idNumber';
          if (first === undefined) byKey.set(key, { row: r + 1, explicitId: explicitId(cells) });
          else if (first.explicitId && explicitId(cells) && first.explicitId !== explicitId(cells)) {
            // Two records with their own distinct 记录编号 may share these (a company listed as
            // 失信被执行人 for two court cases on one day): worth a look, not a refusal.
            warn(ctx, idField, `与第${first.row}行的名单类型、证件号码和认定日期都相同（记录编号不同）：请确认不是重复填写`);
          } else {
            fail(ctx, idField, `与第${first.row}行重复：名单类型、证件号码和认定日期都相同`);
            dup = true;
          }
        }
        if (kind === 'matter') {
          const key = `${rec.name as string}\u0000${rec.department as string}`;
          const first = byNameDept.get(key);
          if (first !== undefined) {
            fail(ctx, 'name', `与第${first}行重复：事项名称和实施部门都相同`);
            dup = true;
          } else byNameDept.set(key, r + 1);
        }
        if (!dup && dupOf !== undefined) {
          const what = columns.find((c) => c.field === 'id')?.header ?? '编号';
          fail(ctx, 'id', `与第${dupOf}行重复：${what}“${id}”相同`);
          dup = true;
        }
        if (!dup) {
          byId.set(id, r + 1);
          records.push(rec);
        }
      }
    }
  }
  opts.onProgress?.(total, total);

  if (errors.count > 0) return failure();
  if (records.length === 0) {
    errors.add({ sheet: name, row: 2, column: 'A', field: '', message: '没有数据行：表头下方没有任何记录' });
    return failure();
  }
  return finish(kind, name, records, { rows: records.length, warnings: warnings.list, moreWarnings: warnings.more });
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) {
    const k = key(t);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function finish(kind: ImportKind, sheet: string, records: Record<string, unknown>[], preview: ImportPreview): ImportOk {
  if (kind === 'list') {
    const rs = records as ListRecord[];
    return { ok: true, kind, sheet, records: rs, preview: { ...preview, byColour: countBy(rs, (r) => r.colour), byListType: countBy(rs, (r) => r.listType) } };
  }
  if (kind === 'measure') {
    const rs = records as Measure[];
    return { ok: true, kind, sheet, records: rs, preview: { ...preview, byCategory: countBy(rs, (r) => r.category), byKind: countBy(rs, (r) => r.kind) } };
  }
  const rs = records as Matter[];
  return { ok: true, kind, sheet, records: rs, preview: { ...preview, byDepartment: countBy(rs, (r) => r.department) } };
}
