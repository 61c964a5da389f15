/**
 * The compact form of a list record inside a mirror page: a JSON array of the fields in a fixed
 * order (no property names, `null` for an absent optional field), decoded one record at a time
 * so a look-up parses only what it returns. The long repeated texts (list type, department and
 * its code, legal basis, reason, district) are replaced by numbers into a per-generation
 * dictionary: a generated record shrinks from ~480 to ~130 characters, which keeps a page of
 * 128 records well under the 64 KB above which Chromium stores an IndexedDB value as a
 * separate blob file.
 *
 * The field order is part of the stored format: changing it means a new RECORD_CODEC number,
 * and a mirror written with a codec not in READABLE_CODECS is rebuilt (mirror-store checks the
 * number).
 */
import type { Identifier, IdentifierKind, ListColour, ListRecord, ObjectionState, Severity, SubjectType } from '../../shared/domain/schemas';

/**
 * The codec new generations are written with. 2 (2026-12-03): codec 1 with the closed sets
 * (colour, subject type, severity, objection) as their index in the schema's list and the dates
 * as days since 1970-01-01, ~50 of ~190 bytes a record less. A value outside a list, or a date
 * not of the form YYYY-MM-DD, stays as its text (never the case for a valid record).
 */
export const RECORD_CODEC = 2;
/** Codecs this build reads: a mirror written by the previous one stays usable until it is rebuilt. */
export const READABLE_CODECS: readonly number[] = [1, 2];

type Opt = string | null;
/** A dictionary reference or, once the dictionary is full, the text itself. */
type Ref = number | string;

/** Codec 2: codec 1's order; closed sets as indexes, dates as day numbers (either may be text, as in codec 1). */
type Day = number | string;
type TupleV2 = [
  id: string,
  version: number,
  listType: Ref,
  colour: number | ListColour,
  subjectName: string,
  subjectType: number | SubjectType,
  uscc: Opt,
  idNumber: Opt,
  otherIds: [IdentifierKind, string][] | 0,
  legalRepName: Opt,
  legalRepId: Opt,
  deptName: Ref,
  deptCode: Ref,
  basis: Ref,
  reason: Ref,
  designatedOn: Day,
  validFrom: Day,
  validTo: Day | null,
  removedOn: Day | null,
  repairedOn: Day | null,
  severity: number | Severity,
  objection: number | ObjectionState,
  district: Ref | null,
];

/** Texts shared by many records, numbered in order of first use. Capped: then inlined. */
export class Dictionary {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly cap = 65_536) {}
  ref(s: string): Ref {
    const n = this.index.get(s);
    if (n !== undefined) return n;
    if (this.list.length >= this.cap) return s;
    this.index.set(s, this.list.length);
    this.list.push(s);
    return this.list.length - 1;
  }
}

const text = (dict: readonly string[], v: Ref): string => (typeof v === 'number' ? (dict[v] as string) : v);

const COLOURS: readonly ListColour[] = ['red', 'black', 'watch'];
const SUBJECT_TYPES: readonly SubjectType[] = ['法人', '非法人组织', '个体工商户', '自然人'];
const SEVERITIES: readonly Severity[] = ['轻微', '一般', '严重'];
const OBJECTIONS: readonly ObjectionState[] = ['none', 'pending', 'rejected', 'upheld'];

/** A member of a closed set as its index, or as itself when not in the list. */
function code<T extends string>(list: readonly T[], v: T): number | T {
  const i = list.indexOf(v);
  return i < 0 ? v : i;
}
const member = <T extends string>(list: readonly T[], v: number | T): T => (typeof v === 'number' ? (list[v] as T) : v);

const DAY_MS = 86_400_000;
const DATE_FORM = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Dates seen, both ways: a mirror repeats a few thousand dates a million times. */
const dayOfDate = new Map<string, number | string>();
const dateOfDay = new Map<number, string>();

/** `2024-04-23` → 19836; anything that does not round-trip exactly stays as its text. */
function day(date: string): number | string {
  let d = dayOfDate.get(date);
  if (d !== undefined) return d;
  const m = DATE_FORM.exec(date);
  const n = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : Number.NaN;
  d = Number.isInteger(n) && dateText(n) === date ? n : date;
  if (dayOfDate.size < 200_000) dayOfDate.set(date, d);
  return d;
}
function dateText(n: number): string {
  let s = dateOfDay.get(n);
  if (s === undefined) {
    s = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (dateOfDay.size < 200_000) dateOfDay.set(n, s);
  }
  return s;
}
const date = (v: number | string): string => (typeof v === 'number' ? dateText(v) : v);
const optDay = (v: string | undefined): number | string | null => (v === undefined ? null : day(v));

/**
 * The tuple as JSON text. (A hand-written concatenation was tried: faster to build, but V8 keeps
 * such a string as a rope of dozens of pieces until it is flattened, and a run holds 131,072 of
 * them: the heap tripled and the page layout slowed down tenfold. JSON.stringify returns a flat
 * string.) JSON.stringify also escapes lone surrogates, which then survive a page's UTF-8.
 */
export function encodeRecord(r: ListRecord, dict: Dictionary): string {
  const t: TupleV2 = [
    r.id,
    r.version,
    dict.ref(r.listType),
    code(COLOURS, r.colour),
    r.subjectName,
    code(SUBJECT_TYPES, r.subjectType),
    r.uscc ?? null,
    r.idNumber ?? null,
    r.otherIds.length > 0 ? r.otherIds.map((o) => [o.kind, o.value]) : 0,
    r.legalRepName ?? null,
    r.legalRepId ?? null,
    dict.ref(r.deptName),
    dict.ref(r.deptCode),
    dict.ref(r.basis),
    dict.ref(r.reason),
    day(r.designatedOn),
    day(r.validFrom),
    optDay(r.validTo),
    optDay(r.removedOn),
    optDay(r.repairedOn),
    code(SEVERITIES, r.severity),
    code(OBJECTIONS, r.objection),
    r.district === undefined ? null : dict.ref(r.district),
  ];
  return JSON.stringify(t);
}

/**
 * Optional fields are set only when present, so a decoded record deep-equals the original.
 * Reads codec 1 too: its tuples are codec 2's with the closed sets and dates as texts, which
 * codec 2 accepts in those places.
 */
export function decodeRecord(s: string, dict: readonly string[]): ListRecord {
  const t = JSON.parse(s) as TupleV2;
  const otherIds: Identifier[] = t[8] === 0 ? [] : t[8].map(([kind, value]) => ({ kind, value }));
  const r: ListRecord = {
    id: t[0],
    version: t[1],
    listType: text(dict, t[2]),
    colour: member(COLOURS, t[3]),
    subjectName: t[4],
    subjectType: member(SUBJECT_TYPES, t[5]),
    otherIds,
    deptName: text(dict, t[11]),
    deptCode: text(dict, t[12]),
    basis: text(dict, t[13]),
    reason: text(dict, t[14]),
    designatedOn: date(t[15]),
    validFrom: date(t[16]),
    severity: member(SEVERITIES, t[20]),
    objection: member(OBJECTIONS, t[21]),
  };
  if (t[6] !== null) r.uscc = t[6];
  if (t[7] !== null) r.idNumber = t[7];
  if (t[9] !== null) r.legalRepName = t[9];
  if (t[10] !== null) r.legalRepId = t[10];
  if (t[17] !== null) r.validTo = date(t[17]);
  if (t[18] !== null) r.removedOn = date(t[18]);
  if (t[19] !== null) r.repairedOn = date(t[19]);
  if (t[22] !== null) r.district = text(dict, t[22]);
  return r;
}

/** Every identifier a record names as its subject (USCC, ID number, old codes), deduplicated. */
export function subjectIdentifiers(r: ListRecord): string[] {
  const ids: string[] = [];
  if (r.uscc) ids.push(r.uscc);
  if (r.idNumber && !ids.includes(r.idNumber)) ids.push(r.idNumber);
  for (const o of r.otherIds) if (o.value && !ids.includes(o.value)) ids.push(o.value);
  return ids;
}

/** The distinct 2-character substrings of a name: the keys of the name-search index. */
export function bigrams(name: string): string[] {
  if (name.length < 2) return [];
  const out = new Set<string>();
  for (let i = 0; i + 2 <= name.length; i++) out.add(name.slice(i, i + 2));
  return [...out];
}
