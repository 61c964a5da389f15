/**
 * The import templates (resources/templates/*导入模板.xlsx): for each kind of import its columns
 * — Chinese header, record field, required or not, how a cell is read — and the reverse
 * (record → template row), so the templates, the test fixtures and the benchmark are written
 * by the same table the importer reads with. Pure: no SheetJS, DOM or Node here.
 *
 * A cell arrives as what the workbook reader gives: a string, a number (an Excel serial date
 * when the cell had no date format), a boolean, null, or `{ error: '#N/A' }` for an error cell.
 * Date cells with a date format arrive already as 'YYYY-MM-DD' (the reader converts them in UTC).
 */
import type { ListRecord, Matter, Measure } from '../domain/schemas';
import { MeasureCategory, MeasureLevel, Severity, SubjectType } from '../domain/schemas';
import { makeUscc, makeIdNumber } from '../sample/generator';

export type ImportKind = 'list' | 'measure' | 'matter';
export const IMPORT_KIND_LIST: readonly ImportKind[] = ['list', 'measure', 'matter'];

export interface KindInfo {
  /** What the clerk calls it. */
  label: string;
  /** Name of the data sheet in the template (the first sheet). */
  sheetName: string;
  /** File name under resources/templates. */
  templateFile: string;
}

export const IMPORT_KINDS: Readonly<Record<ImportKind, KindInfo>> = {
  list: { label: '名单', sheetName: '名单', templateFile: '名单导入模板.xlsx' },
  measure: { label: '措施清单', sheetName: '措施清单', templateFile: '措施清单导入模板.xlsx' },
  matter: { label: '审批事项目录', sheetName: '审批事项', templateFile: '审批事项导入模板.xlsx' },
};

/** The second sheet of every template, ignored when importing. */
export const HELP_SHEET_NAME = '填写说明';

// ---------------------------------------------------------------- cell types

/** Chinese label → stored value. The first label of a value is the one templates write. */
export type Labels<V> = readonly (readonly [label: string, value: V])[];

export type CellType =
  | { t: 'text' }
  /** Codes and identifiers: a number that lost digits in Excel is refused, not guessed. */
  | { t: 'code' }
  | { t: 'int'; min: number; max: number }
  /** 'YYYY-MM-DD', 'YYYY/M/D', 'YYYY年M月D日', 'YYYYMMDD' or an Excel serial number. */
  | { t: 'date' }
  | { t: 'enum'; labels: Labels<string> }
  | { t: 'bool'; labels: Labels<boolean> }
  /**
   * Several items in one cell. `split` separates them; `labels` maps each item (else free
   * text); with `any`, '*' or '全部' alone means every one (stored as ['*']).
   */
  | { t: 'list'; split: RegExp; splitLabel: string; labels?: Labels<string>; any?: boolean };

export interface Column<R> {
  header: string;
  field: keyof R & string;
  required: boolean;
  /** Required only in some rows (e.g. the USCC for organisations): the help says when. */
  conditional?: true;
  type: CellType;
  /** For the 填写说明 sheet. */
  help: string;
  /** Column width in the template, in characters. */
  width: number;
}

// ---------------------------------------------------------------- labels

const identity = <V extends string>(values: readonly V[]): Labels<V> => values.map((v) => [v, v] as const);

export const COLOUR_LABELS: Labels<string> = [
  ['黑名单', 'black'],
  ['红名单', 'red'],
  ['重点关注名单', 'watch'],
  // Longer names people write out of habit.
  ['失信黑名单', 'black'],
  ['守信红名单', 'red'],
];
export const OBJECTION_LABELS: Labels<string> = [
  ['无', 'none'],
  ['处理中', 'pending'],
  ['已驳回', 'rejected'],
  ['已采纳', 'upheld'],
  ['异议处理中', 'pending'],
];
export const MEASURE_KIND_LABELS: Labels<string> = [
  ['惩戒', 'punishment'],
  ['激励', 'reward'],
];
export const TARGET_LABELS: Labels<string> = [
  ['主体', 'subject'],
  ['相关责任人', 'person'],
  ['主体及相关责任人', 'both'],
];
export const YES_NO: Labels<boolean> = [
  ['是', true],
  ['否', false],
  ['强制性', true],
  ['推荐性', false],
];

/** 、 ； ; ， , or a line break. */
const LIST_SPLIT = /[、；;，,\n]+/;
const LIST_SPLIT_LABEL = '“、”或“；”';
/** Material names themselves contain 、 (“食品安全自查、从业人员健康管理等…”): only ； and line breaks. */
const MATERIAL_SPLIT = /[；;\n]+/;
const MATERIAL_SPLIT_LABEL = '“；”或换行';

const text: CellType = { t: 'text' };
const code: CellType = { t: 'code' };
const date: CellType = { t: 'date' };
const enumOf = (labels: Labels<string>): CellType => ({ t: 'enum', labels });

/** The labels of distinct values, canonical first: for messages and the 填写说明 sheet. */
export function canonicalLabels<V>(labels: Labels<V>): string[] {
  const seen = new Set<V>();
  const out: string[] = [];
  for (const [label, value] of labels) {
    if (!seen.has(value)) {
      seen.add(value);
      out.push(label);
    }
  }
  return out;
}

// ---------------------------------------------------------------- the three templates

export const LIST_COLUMNS: readonly Column<ListRecord>[] = [
  { header: '记录编号', field: 'id', required: false, type: code, width: 16, help: '平台或本地的记录编号。不填时按“名单类型 + 证件号码 + 认定日期”自动生成，同一文件重复导入不会产生重复记录' },
  { header: '名单类型', field: 'listType', required: true, type: text, width: 22, help: '名单的名称，如“失信被执行人”“纳税信用A级纳税人”，须与措施清单中的“适用名单类型”一致' },
  { header: '名单类别', field: 'colour', required: true, type: enumOf(COLOUR_LABELS), width: 14, help: '黑名单、红名单或重点关注名单' },
  { header: '主体名称', field: 'subjectName', required: true, type: text, width: 30, help: '组织的全称或自然人姓名' },
  { header: '主体类型', field: 'subjectType', required: true, type: enumOf(identity(SubjectType.options)), width: 12, help: '法人、非法人组织、个体工商户或自然人' },
  { header: '统一社会信用代码', field: 'uscc', required: false, conditional: true, type: code, width: 22, help: '主体为组织（法人、非法人组织、个体工商户）时必填，18位，按国家标准校验；自然人不填。请将该列设为“文本”格式' },
  { header: '公民身份号码', field: 'idNumber', required: false, conditional: true, type: code, width: 22, help: '主体为自然人时必填，18位，按国家标准校验；组织不填。请将该列设为“文本”格式，否则 Excel 会丢失后几位' },
  { header: '法定代表人', field: 'legalRepName', required: false, type: text, width: 12, help: '组织的法定代表人、负责人或经营者姓名' },
  { header: '法定代表人身份证号', field: 'legalRepId', required: false, type: code, width: 22, help: '法定代表人的公民身份号码（18位），用于“落实到人”的关联核查' },
  { header: '认定部门', field: 'deptName', required: true, type: text, width: 22, help: '作出认定的部门全称' },
  { header: '认定部门代码', field: 'deptCode', required: false, type: code, width: 22, help: '认定部门的统一社会信用代码或部门编码' },
  { header: '认定依据', field: 'basis', required: true, type: text, width: 40, help: '认定所依据的法律、法规、规章或文件及条款' },
  { header: '列入事由', field: 'reason', required: true, type: text, width: 40, help: '列入名单的具体事由' },
  { header: '认定日期', field: 'designatedOn', required: true, type: date, width: 12, help: '格式 YYYY-MM-DD，如 2024-03-01；也可使用 Excel 日期格式' },
  { header: '有效期起', field: 'validFrom', required: false, type: date, width: 12, help: '不填则与认定日期相同' },
  { header: '有效期止', field: 'validTo', required: false, type: date, width: 12, help: '不填表示长期有效；不得早于有效期起' },
  { header: '严重程度', field: 'severity', required: false, conditional: true, type: enumOf(identity(Severity.options)), width: 10, help: '轻微、一般或严重。黑名单和重点关注名单必填；红名单可不填' },
  { header: '异议状态', field: 'objection', required: false, type: enumOf(OBJECTION_LABELS), width: 10, help: '无、处理中、已驳回或已采纳；不填为“无”。处理中的记录暂停实施惩戒' },
  { header: '移出日期', field: 'removedOn', required: false, type: date, width: 12, help: '已移出名单的填写移出日期，移出后不再实施奖惩' },
  { header: '信用修复日期', field: 'repairedOn', required: false, type: date, width: 12, help: '完成信用修复的填写修复日期，修复后不再作为惩戒对象' },
  { header: '所属区县', field: 'district', required: false, type: text, width: 12, help: '主体所在区县' },
  { header: '版本号', field: 'version', required: false, type: { t: 'int', min: 1, max: 2_147_483_647 }, width: 8, help: '正整数，不填为 1。修改已导入的记录后再次导入时，须填写比原来更大的版本号，否则保留原记录' },
];

export const MEASURE_COLUMNS: readonly Column<Measure>[] = [
  { header: '措施编号', field: 'id', required: true, type: code, width: 14, help: '清单内唯一的编号，如 CF-2024-001；再次导入同一编号即更新该措施' },
  { header: '清单版本', field: 'edition', required: true, type: text, width: 10, help: '措施清单的版本，如“2024版”' },
  { header: '层级', field: 'level', required: true, type: enumOf(identity(MeasureLevel.options)), width: 8, help: '国家、省级或市级' },
  { header: '措施类别', field: 'category', required: true, type: enumOf(identity(MeasureCategory.options)), width: 10, help: '行政性、市场性、行业性或社会性' },
  { header: '奖惩类型', field: 'kind', required: true, type: enumOf(MEASURE_KIND_LABELS), width: 10, help: '惩戒（适用于黑名单、重点关注名单）或激励（适用于红名单）' },
  { header: '措施名称', field: 'title', required: true, type: text, width: 30, help: '措施的简短名称' },
  { header: '措施内容', field: 'content', required: true, type: text, width: 50, help: '措施的具体内容' },
  { header: '依据', field: 'basis', required: true, type: text, width: 50, help: '设定该措施的法律、法规、规章或文件及条款' },
  { header: '发起部门', field: 'initiatingDept', required: true, type: text, width: 20, help: '发起奖惩的部门' },
  { header: '实施部门', field: 'implementingDepts', required: true, type: { t: 'list', split: LIST_SPLIT, splitLabel: LIST_SPLIT_LABEL, any: true }, width: 24, help: `实施措施的部门，多个用${LIST_SPLIT_LABEL}分隔；填“*”或“全部”表示所有部门` },
  { header: '是否强制', field: 'mandatory', required: true, type: { t: 'bool', labels: YES_NO }, width: 10, help: '是（强制性，必须实施）或否（推荐性，可参照实施）' },
  { header: '适用事项', field: 'matters', required: true, type: { t: 'list', split: LIST_SPLIT, splitLabel: LIST_SPLIT_LABEL, any: true }, width: 24, help: `适用的审批事项编码，多个用${LIST_SPLIT_LABEL}分隔；填“*”或“全部”表示所有事项` },
  { header: '适用名单类型', field: 'listTypes', required: true, type: { t: 'list', split: LIST_SPLIT, splitLabel: LIST_SPLIT_LABEL, any: true }, width: 24, help: `触发措施的名单类型，多个用${LIST_SPLIT_LABEL}分隔；填“*”或“全部”表示该类别的所有名单` },
  { header: '适用名单类别', field: 'colours', required: true, type: { t: 'list', split: LIST_SPLIT, splitLabel: LIST_SPLIT_LABEL, labels: COLOUR_LABELS }, width: 20, help: `黑名单、红名单、重点关注名单，多个用${LIST_SPLIT_LABEL}分隔` },
  { header: '最低严重程度', field: 'minSeverity', required: false, type: enumOf(identity(Severity.options)), width: 12, help: '轻微、一般或严重：达到此程度的记录才触发；不填为“轻微”' },
  { header: '适用对象', field: 'target', required: false, type: enumOf(TARGET_LABELS), width: 16, help: '主体、相关责任人或主体及相关责任人（落实到人）；不填为“主体”' },
];

export const MATTER_COLUMNS: readonly Column<Matter>[] = [
  { header: '事项编码', field: 'id', required: true, type: code, width: 14, help: '审批事项的编码，如 SCJG-01；再次导入同一编码即更新该事项' },
  { header: '事项名称', field: 'name', required: true, type: text, width: 30, help: '审批事项的名称' },
  { header: '实施部门', field: 'department', required: true, type: text, width: 22, help: '办理该事项的部门' },
  { header: '法定办结时限（工作日）', field: 'statutoryDays', required: true, type: { t: 'int', min: 1, max: 365 }, width: 14, help: '1–365 的整数，单位为工作日；容缺受理的补正期限不得超过此时限' },
  { header: '容缺次要材料', field: 'secondaryMaterials', required: false, type: { t: 'list', split: MATERIAL_SPLIT, splitLabel: MATERIAL_SPLIT_LABEL }, width: 50, help: `可容缺受理的次要材料，多个用${MATERIAL_SPLIT_LABEL}分隔（材料名称中可以有顿号）；不填表示该事项不适用容缺受理` },
  { header: '适用主体类型', field: 'subjectTypes', required: true, type: { t: 'list', split: LIST_SPLIT, splitLabel: LIST_SPLIT_LABEL, labels: identity(SubjectType.options) }, width: 30, help: `法人、非法人组织、个体工商户、自然人，多个用${LIST_SPLIT_LABEL}分隔` },
];

export interface KindRecords {
  list: ListRecord;
  measure: Measure;
  matter: Matter;
}

/** The columns of a kind (typed loosely for code that handles all three). */
export function columnsOf(kind: ImportKind): readonly Column<Record<string, unknown>>[] {
  const cols = kind === 'list' ? LIST_COLUMNS : kind === 'measure' ? MEASURE_COLUMNS : MATTER_COLUMNS;
  return cols as readonly Column<Record<string, unknown>>[];
}

// ---------------------------------------------------------------- reading a cell

/** A cell that could not be read; the message is Chinese and names no position (the caller adds it). */
export class CellProblem {
  constructor(readonly message: string) {}
}

/** True for a cell with nothing in it (whitespace only counts as nothing). */
export function isEmptyCell(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** An error cell from the reader, e.g. { error: '#N/A' }. */
const isErrorCell = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v;

const describe = (v: unknown): string => (typeof v === 'string' ? `“${v.length > 30 ? `${v.slice(0, 30)}…` : v}”` : `“${String(v)}”`);

function cellText(v: unknown): string | CellProblem {
  if (typeof v === 'string') return (v.includes('\r') ? v.replace(/\r\n?/g, '\n') : v).trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : new CellProblem('数值无效');
  return new CellProblem(`应为文本，实际为${describe(v)}`);
}

function cellCode(v: unknown): string | CellProblem {
  if (typeof v === 'number') {
    // Excel keeps 15 significant digits: an 18-digit number typed into a General cell comes back
    // with its tail zeroed (or in 1.1E+17 notation). Refuse rather than store a wrong number.
    if (!Number.isSafeInteger(v) || Math.abs(v) >= 1e15) {
      return new CellProblem('号码以数值形式保存，Excel 已丢失其末几位：请将该列设为“文本”格式后重新填写号码');
    }
    return String(v);
  }
  return cellText(v);
}

function cellInt(v: unknown, min: number, max: number): number | CellProblem {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) return new CellProblem(`应为 ${min}–${max} 的整数，实际为${describe(v)}`);
  return n;
}

// -------------------------------------------------- dates

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Real calendar date between 1900 and 2099 (a year outside is a typo in this domain). */
function isoIfReal(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

const MS_PER_DAY = 86_400_000;
/** Serial 0 of Excel's 1900 date system, for serials from 61 (1900-03-01) on. */
const EXCEL_EPOCH_1900 = Date.UTC(1899, 11, 30);

/**
 * An Excel serial date (1900 date system) → 'YYYY-MM-DD', in UTC so no time zone can move it.
 * The time of day (fraction) is dropped. Serial 60 is Excel's phantom 1900-02-29 (a Lotus bug
 * Excel keeps); serials 1–59 are one day off from the usual epoch. Returns null when out of range.
 * Workbooks in the 1904 date system: add 1462 first.
 */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return null;
  const day = Math.floor(serial);
  if (day === 60) return null;
  const t = new Date(EXCEL_EPOCH_1900 + (day < 60 ? day + 1 : day) * MS_PER_DAY);
  return isoIfReal(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The inverse of excelSerialToIso for 'YYYY-MM-DD' from 1900-03-01 on. */
export function isoToExcelSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - EXCEL_EPOCH_1900) / MS_PER_DAY);
}

// YYYY-M-D, YYYY/M/D, YYYY.M.D, YYYY年M月D日, optionally followed by a time (database exports).
const DATE_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/** Text date → 'YYYY-MM-DD', or a problem saying what is wrong (format, or a day that does not exist). */
export function parseDateText(s: string): string | CellProblem {
  const t = s.trim();
  const m = DATE_TEXT.exec(t) ?? DATE_COMPACT.exec(t);
  if (!m) return new CellProblem(`无法识别的日期${describe(t)}：请填写 YYYY-MM-DD，如 2024-03-01`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const iso = isoIfReal(y, mo, d);
  if (iso) return iso;
  if (y < 1900 || y > 2099) return new CellProblem(`日期${describe(t)}的年份不在 1900–2099 之间`);
  return new CellProblem(`日期${describe(t)}不存在`);
}

function cellDate(v: unknown): string | CellProblem {
  if (typeof v === 'number') {
    return excelSerialToIso(v) ?? new CellProblem(`数值${describe(v)}不是有效的 Excel 日期`);
  }
  if (typeof v === 'string') return parseDateText(v);
  return new CellProblem(`应为日期，实际为${describe(v)}`);
}

// -------------------------------------------------- labels and lists

function labelMap<V>(labels: Labels<V>): Map<string, V> {
  return new Map(labels.map(([l, v]) => [l, v]));
}
const labelMaps = new WeakMap<object, Map<string, unknown>>();
function lookup<V>(labels: Labels<V>, label: string): V | undefined {
  let map = labelMaps.get(labels);
  if (!map) labelMaps.set(labels, (map = labelMap(labels)));
  return map.get(label) as V | undefined;
}

const allowed = (labels: Labels<unknown>): string => canonicalLabels(labels).join('、');

function cellList(v: unknown, type: Extract<CellType, { t: 'list' }>): string[] | CellProblem {
  const s = cellText(v);
  if (s instanceof CellProblem) return s;
  const items = [...new Set(s.split(type.split).map((x) => x.trim()).filter((x) => x.length > 0))];
  if (type.any && items.some((x) => x === '*' || x === '全部')) {
    return items.length === 1 ? ['*'] : new CellProblem('“*”（全部）不能与其他项同时填写');
  }
  if (!type.labels) return items;
  const out: string[] = [];
  for (const item of items) {
    const value = lookup(type.labels, item);
    if (value === undefined) return new CellProblem(`“${item}”不是可选值，应为${allowed(type.labels)}，多项用${type.splitLabel}分隔`);
    if (!out.includes(value)) out.push(value);
  }
  return out;
}

/**
 * Reads a non-empty cell as its column says: the stored value, or a CellProblem. (Empty cells
 * are the caller's business: required or default.)
 */
export function readCell(v: unknown, type: CellType): unknown {
  if (isErrorCell(v)) return new CellProblem(`单元格为错误值 ${v.error}`);
  switch (type.t) {
    case 'text':
      return cellText(v);
    case 'code':
      return cellCode(v);
    case 'int':
      return cellInt(v, type.min, type.max);
    case 'date':
      return cellDate(v);
    case 'enum': {
      const s = cellText(v);
      if (s instanceof CellProblem) return s;
      const value = lookup(type.labels, s);
      return value ?? new CellProblem(`${describe(s)}不是可选值，应为${allowed(type.labels)}`);
    }
    case 'bool': {
      if (typeof v === 'boolean') return v;
      const s = cellText(v);
      if (s instanceof CellProblem) return s;
      const value = lookup(type.labels, s);
      return value ?? new CellProblem(`${describe(s)}不是可选值，应为${allowed(type.labels)}`);
    }
    case 'list':
      return cellList(v, type);
  }
}

// ---------------------------------------------------------------- writing a row (templates, fixtures, benchmark)

export type TemplateCell = string | number | boolean | null;

function labelOf<V>(labels: Labels<V>, value: V): string {
  return labels.find(([, v]) => v === value)?.[0] ?? String(value);
}

/** A stored value as the template cell a clerk would type (dates as 'YYYY-MM-DD' text). */
export function writeCell(value: unknown, type: CellType): TemplateCell {
  if (value === undefined || value === null) return null;
  switch (type.t) {
    case 'enum':
      return labelOf(type.labels, value as string);
    case 'bool':
      return labelOf(type.labels, value as boolean);
    case 'list': {
      const items = value as readonly string[];
      if (type.any && items.length === 1 && items[0] === '*') return '*';
      const sep = type.split === MATERIAL_SPLIT ? '；' : '、';
      return items.map((x) => (type.labels ? labelOf(type.labels, x) : x)).join(sep);
    }
    case 'int':
      return value as number;
    default:
      return String(value);
  }
}

/** The template row of a record: one cell per column, in template order. */
export function rowOf<K extends ImportKind>(kind: K, record: KindRecords[K]): TemplateCell[] {
  const r = record as unknown as Record<string, unknown>;
  return columnsOf(kind).map((c) => {
    // Defaults are left blank, as a clerk would leave them.
    if (kind === 'list' && c.field === 'version' && r.version === 1) return null;
    if (kind === 'list' && c.field === 'objection' && r.objection === 'none') return null;
    if (kind === 'list' && c.field === 'deptCode' && r.deptCode === '') return null;
    return writeCell(r[c.field], c.type);
  });
}

export function headersOf(kind: ImportKind): string[] {
  return columnsOf(kind).map((c) => c.header);
}

/** 0 → 'A', 25 → 'Z', 26 → 'AA' (as Excel labels columns). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

// ---------------------------------------------------------------- example rows of the templates

/** Fictional example records, valid under every rule (the templates import as they are). */
export function exampleRecords(): { list: ListRecord[]; measure: Measure[]; matter: Matter[] } {
  const uscc = makeUscc('9', '1', '371302', 'MA3C7Q2K');
  const repId = makeIdNumber('371302', '1980-05-12', 17);
  return {
    list: [
      {
        id: 'LY-2024-000001',
        version: 1,
        listType: '失信被执行人',
        colour: 'black',
        subjectName: '临沂示例商贸有限公司',
        subjectType: '法人',
        uscc,
        otherIds: [],
        legalRepName: '张示例',
        legalRepId: repId,
        deptName: '临沂市中级人民法院',
        deptCode: '',
        basis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）第一条',
        reason: '有履行能力而拒不履行生效法律文书确定的义务',
        designatedOn: '2024-03-01',
        validFrom: '2024-03-01',
        validTo: '2027-02-28',
        severity: '严重',
        objection: 'none',
        district: '兰山区',
      },
    ],
    measure: [
      {
        id: 'CF-2024-901',
        edition: '2024版',
        level: '市级',
        category: '行政性',
        kind: 'punishment',
        title: '从严审核行政许可',
        content: '对其申请的行政许可事项从严审核，逐项核查申请材料真实性，不适用告知承诺制。',
        basis: '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）第（八）条',
        initiatingDept: '发展和改革委员会',
        implementingDepts: ['*'],
        mandatory: true,
        matters: ['*'],
        listTypes: ['失信被执行人', '重大税收违法失信主体'],
        colours: ['black'],
        minSeverity: '严重',
        target: 'both',
      },
    ],
    matter: [
      {
        id: 'SCJG-901',
        name: '食品经营许可',
        department: '市场监督管理局',
        statutoryDays: 20,
        secondaryMaterials: ['食品安全自查、从业人员健康管理等食品安全管理制度文本', '主要设备设施布局、操作流程等文件'],
        subjectTypes: ['法人', '非法人组织', '个体工商户'],
      },
    ],
  };
}
