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
 * and a mirror written with another codec is rebuilt (mirror-store checks the number).
 */
import type { Identifier, IdentifierKind, ListColour, ListRecord, ObjectionState, Severity, SubjectType } from '../../shared/domain/schemas';

export const RECORD_CODEC = 1;

type Opt = string | null;
/** A dictionary reference or, once the dictionary is full, the text itself. */
type Ref = number | string;
type Tuple = [
  id: string,
  version: number,
  listType: Ref,
  colour: ListColour,
  subjectName: string,
  subjectType: SubjectType,
  uscc: Opt,
  idNumber: Opt,
  otherIds: [IdentifierKind, string][] | 0,
  legalRepName: Opt,
  legalRepId: Opt,
  deptName: Ref,
  deptCode: Ref,
  basis: Ref,
  reason: Ref,
  designatedOn: string,
  validFrom: string,
  validTo: Opt,
  removedOn: Opt,
  repairedOn: Opt,
  severity: Severity,
  objection: ObjectionState,
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

/**
 * The tuple as JSON text. (A hand-written concatenation was tried: faster to build, but V8 keeps
 * such a string as a rope of dozens of pieces until it is flattened, and a run holds 131,072 of
 * them: the heap tripled and the page layout slowed down tenfold. JSON.stringify returns a flat
 * string.) JSON.stringify also escapes lone surrogates, which then survive a page's UTF-8.
 */
export function encodeRecord(r: ListRecord, dict: Dictionary): string {
  const t: Tuple = [
    r.id,
    r.version,
    dict.ref(r.listType),
    r.colour,
    r.subjectName,
    r.subjectType,
    r.uscc ?? null,
    r.idNumber ?? null,
    r.otherIds.length > 0 ? r.otherIds.map((o) => [o.kind, o.value]) : 0,
    r.legalRepName ?? null,
    r.legalRepId ?? null,
    dict.ref(r.deptName),
    dict.ref(r.deptCode),
    dict.ref(r.basis),
    dict.ref(r.reason),
    r.designatedOn,
    r.validFrom,
    r.validTo ?? null,
    r.removedOn ?? null,
    r.repairedOn ?? null,
    r.severity,
    r.objection,
    r.district === undefined ? null : dict.ref(r.district),
  ];
  return JSON.stringify(t);
}

/** Optional fields are set only when present, so a decoded record deep-equals the original. */
export function decodeRecord(s: string, dict: readonly string[]): ListRecord {
  const t = JSON.parse(s) as Tuple;
  const otherIds: Identifier[] = t[8] === 0 ? [] : t[8].map(([kind, value]) => ({ kind, value }));
  const r: ListRecord = {
    id: t[0],
    version: t[1],
    listType: text(dict, t[2]),
    colour: t[3],
    subjectName: t[4],
    subjectType: t[5],
    otherIds,
    deptName: text(dict, t[11]),
    deptCode: text(dict, t[12]),
    basis: text(dict, t[13]),
    reason: text(dict, t[14]),
    designatedOn: t[15],
    validFrom: t[16],
    severity: t[20],
    objection: t[21],
  };
  if (t[6] !== null) r.uscc = t[6];
  if (t[7] !== null) r.idNumber = t[7];
  if (t[9] !== null) r.legalRepName = t[9];
  if (t[10] !== null) r.legalRepId = t[10];
  if (t[17] !== null) r.validTo = t[17];
  if (t[18] !== null) r.removedOn = t[18];
  if (t[19] !== null) r.repairedOn = t[19];
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
