/**
 * The hot path of parsePage: a list-record change (upsert or tombstone) checked by hand, without
 * zod. A first load validates 1,000,000 of them; zod took ~9 µs each (half of it the IsoDate
 * refinement building a Date per date field), this ~1 µs.
 *
 * It is a strict SUBSET of the schema: it answers only when it is sure, with exactly what zod
 * would give (unknown keys dropped, defaults filled in, fields in the schema's order), and
 * `undefined` otherwise, after which parsePage asks zod, which decides and names the error. So a
 * change is never accepted here that zod would refuse; fast-change.test.ts checks that on
 * generated records and thousands of mutations of them, and that the schema still has exactly
 * the fields known here (a new field in ListRecord fails that test until it is added below).
 *
 * Pure code: imports only shared/.
 */
import type { IdentifierKind, ListColour, ListRecord, ObjectionState, Severity, SubjectType } from '../domain/schemas';
import { daysInMonth } from '../domain/schemas';
import type { Change } from './protocol';

/** The fields of ListRecord, in the schema's order (checked against ListRecord.shape by the test). */
export const FAST_RECORD_FIELDS = [
  'id',
  'version',
  'listType',
  'colour',
  'subjectName',
  'subjectType',
  'uscc',
  'idNumber',
  'otherIds',
  'legalRepName',
  'legalRepId',
  'deptName',
  'deptCode',
  'basis',
  'reason',
  'designatedOn',
  'validFrom',
  'validTo',
  'removedOn',
  'repairedOn',
  'severity',
  'objection',
  'district',
] as const;

const COLOURS: ReadonlySet<string> = new Set<ListColour>(['red', 'black', 'watch']);
const SUBJECT_TYPES: ReadonlySet<string> = new Set<SubjectType>(['法人', '非法人组织', '个体工商户', '自然人']);
const ID_KINDS: ReadonlySet<string> = new Set<IdentifierKind>(['uscc', 'orgCode', 'regNo', 'taxNo', 'idNumber']);
const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['轻微', '一般', '严重']);
const OBJECTIONS: ReadonlySet<string> = new Set<ObjectionState>(['none', 'pending', 'rejected', 'upheld']);

const isStr = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max;
/** Absent, or a string within bounds (an explicit undefined or null is left to zod). */
const optStr = (o: Record<string, unknown>, k: string, max: number): boolean => !(k in o) || isStr(o[k], 0, max);

/** The number written by the ASCII digits v[from, to), or −1 if one of them is not a digit. */
function digits(v: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** A calendar date `YYYY-MM-DD` (years from 0100; earlier ones are left to zod), read in place. */
function isDate(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return false;
  const y = digits(v, 0, 4);
  const m = digits(v, 5, 7);
  const d = digits(v, 8, 10);
  return y >= 100 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}
const optDate = (o: Record<string, unknown>, k: string): boolean => !(k in o) || isDate(o[k]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Every field of a list record in the wire form (absent = not a key) is good; otherIds apart. */
function fieldsOk(o: Record<string, unknown>): boolean {
  return !(
    !isStr(o.id, 1, 128) ||
    !isPositiveInt(o.version) ||
    !isStr(o.listType, 1, 100) ||
    !(typeof o.colour === 'string' && COLOURS.has(o.colour)) ||
    !isStr(o.subjectName, 1, 200) ||
    !(typeof o.subjectType === 'string' && SUBJECT_TYPES.has(o.subjectType)) ||
    !optStr(o, 'uscc', 18) ||
    !optStr(o, 'idNumber', 18) ||
    !optStr(o, 'legalRepName', 100) ||
    !optStr(o, 'legalRepId', 18) ||
    !isStr(o.deptName, 1, 100) ||
    !optStr(o, 'deptCode', 40) ||
    !isStr(o.basis, 0, 4000) ||
    !isStr(o.reason, 0, 4000) ||
    !isDate(o.designatedOn) ||
    !isDate(o.validFrom) ||
    !optDate(o, 'validTo') ||
    !optDate(o, 'removedOn') ||
    !optDate(o, 'repairedOn') ||
    !(typeof o.severity === 'string' && SEVERITIES.has(o.severity)) ||
    !(!('objection' in o) || (typeof o.objection === 'string' && OBJECTIONS.has(o.objection))) ||
    !optStr(o, 'district', 100)
  );
}

/** A list of identifiers as they travel ({kind, value}), all good. */
function otherIdsOk(list: unknown): list is { kind: IdentifierKind; value: string }[] {
  if (!Array.isArray(list)) return false;
  for (const x of list as unknown[]) {
    if (!isObject(x) || !(typeof x.kind === 'string' && ID_KINDS.has(x.kind)) || !isStr(x.value, 1, 40)) return false;
  }
  return true;
}

/** A list record exactly as ListRecord.parse would return it, or undefined when not sure. */
export function fastListRecord(v: unknown): ListRecord | undefined {
  if (!isObject(v)) return undefined;
  const o = v;
  if (!fieldsOk(o)) return undefined;
  let otherIds: { kind: IdentifierKind; value: string }[] = [];
  if ('otherIds' in o) {
    if (!otherIdsOk(o.otherIds)) return undefined;
    // Fresh objects: keys zod would drop are dropped.
    otherIds = o.otherIds.map((x) => ({ kind: x.kind, value: x.value }));
  }
  // Named stores in the schema's order (not a loop of keyed stores): the records of a load share
  // a few hidden classes instead of each becoming a dictionary.
  const r: Record<string, unknown> = {
    id: o.id,
    version: o.version,
    listType: o.listType,
    colour: o.colour,
    subjectName: o.subjectName,
    subjectType: o.subjectType,
  };
  if (o.uscc !== undefined) r.uscc = o.uscc;
  if (o.idNumber !== undefined) r.idNumber = o.idNumber;
  r.otherIds = otherIds;
  if (o.legalRepName !== undefined) r.legalRepName = o.legalRepName;
  if (o.legalRepId !== undefined) r.legalRepId = o.legalRepId;
  r.deptName = o.deptName;
  r.deptCode = o.deptCode ?? '';
  r.basis = o.basis;
  r.reason = o.reason;
  r.designatedOn = o.designatedOn;
  r.validFrom = o.validFrom;
  if (o.validTo !== undefined) r.validTo = o.validTo;
  if (o.removedOn !== undefined) r.removedOn = o.removedOn;
  if (o.repairedOn !== undefined) r.repairedOn = o.repairedOn;
  r.severity = o.severity;
  r.objection = o.objection ?? 'none';
  if (o.district !== undefined) r.district = o.district;
  return r as ListRecord;
}

const isSeq = (v: unknown): v is number => isPositiveInt(v);

/** A list-record change as Change.parse would return it; undefined for anything else (measures, matters, doubt). */
export function fastChange(v: unknown): Change | undefined {
  if (!isObject(v) || v.kind !== 'record' || !isSeq(v.seq)) return undefined;
  if (v.op === 'delete') return isStr(v.id, 1, 128) ? { seq: v.seq, op: 'delete', kind: 'record', id: v.id } : undefined;
  if (v.op !== 'upsert') return undefined;
  const data = fastListRecord(v.data);
  return data ? { seq: v.seq, op: 'upsert', kind: 'record', data } : undefined;
}

// ---------------------------------------------------------------- compact pages (PROTOCOL.md)

/**
 * The fields of a list record whose value a compact change may give as a number: the key of a
 * text in the page's `texts` (the texts that repeat across a list: list type, department and
 * its code, basis, reason, district). Any of them may also be given as the text itself.
 */
export const COMPACT_TEXT_FIELDS: ReadonlySet<string> = new Set(['listType', 'deptName', 'deptCode', 'basis', 'reason', 'district']);

/** Elements of a compact change: the seq, then the record's fields in FAST_RECORD_FIELDS order. */
export const COMPACT_LENGTH = 1 + FAST_RECORD_FIELDS.length;

const TEXT_AT: readonly boolean[] = FAST_RECORD_FIELDS.map((f) => COMPACT_TEXT_FIELDS.has(f));
const OTHER_IDS_AT = FAST_RECORD_FIELDS.indexOf('otherIds');

const MISSING: unique symbol = Symbol('missing text');

/** A text field's element: a key of `texts` resolved, anything else as it is. */
function textOf(v: unknown, texts: Readonly<Record<string, string>> | undefined): unknown {
  if (typeof v !== 'number') return v;
  return texts !== undefined && Object.hasOwn(texts, v) ? texts[v] : MISSING;
}

/** Elements of the text fields (seq first), for messages. */
const TEXT_ELEMENTS: readonly (readonly [number, string])[] = FAST_RECORD_FIELDS.flatMap((f, i) => (COMPACT_TEXT_FIELDS.has(f) ? [[i + 1, f] as const] : []));

/**
 * A compact list-record upsert (an array: seq, then the record's fields, null for an absent
 * one, `otherIds` as [kind, value] pairs, text fields as a key of `texts` or as the text) in the
 * form the full protocol sends it: `{ seq, op: 'upsert', kind: 'record', data }`, with the
 * schema's defaults filled in. `checked`: the change exactly as Change.parse would return it,
 * when every field is good (the fast path); without it zod decides and names the error, as
 * `changes[i].data.<field>` like on a full page. A problem of the array itself (its length, a
 * missing text) comes back as the element's index and a message.
 */
export function expandCompactChange(
  a: readonly unknown[],
  texts: Readonly<Record<string, string>> | undefined,
): { change: unknown; checked?: Change } | { at: number; message: string } {
  if (a.length !== COMPACT_LENGTH) return { at: -1, message: `紧凑格式的变更应有 ${COMPACT_LENGTH} 项，实有 ${a.length} 项` };
  const listType = textOf(a[3], texts);
  const deptName = textOf(a[12], texts);
  const deptCode = textOf(a[13], texts);
  const basis = textOf(a[14], texts);
  const reason = textOf(a[15], texts);
  const district = textOf(a[23], texts);
  if (listType === MISSING || deptName === MISSING || deptCode === MISSING || basis === MISSING || reason === MISSING || district === MISSING) {
    const [at, field] = TEXT_ELEMENTS.find(([i]) => textOf(a[i], texts) === MISSING) ?? [-1, ''];
    return { at, message: `${field} 引用的文本编号 ${String(a[at])} 不在本页 texts 中` };
  }
  const ids = a[9];
  // Anything but [kind, value] pairs is left as it came, for zod to word (never checked by hand:
  // an object there may carry keys zod would drop).
  let pairs = true;
  const otherIds =
    ids === null
      ? []
      : Array.isArray(ids)
        ? (ids as unknown[]).map((p) => {
            if (Array.isArray(p) && p.length === 2) return { kind: p[0] as unknown, value: p[1] as unknown };
            pairs = false;
            return p;
          })
        : ids;
  // Named stores in the schema's order, as in fastListRecord.
  const data: Record<string, unknown> = {};
  if (a[1] !== null) data.id = a[1];
  if (a[2] !== null) data.version = a[2];
  if (listType !== null) data.listType = listType;
  if (a[4] !== null) data.colour = a[4];
  if (a[5] !== null) data.subjectName = a[5];
  if (a[6] !== null) data.subjectType = a[6];
  if (a[7] !== null) data.uscc = a[7];
  if (a[8] !== null) data.idNumber = a[8];
  data.otherIds = otherIds;
  if (a[10] !== null) data.legalRepName = a[10];
  if (a[11] !== null) data.legalRepId = a[11];
  if (deptName !== null) data.deptName = deptName;
  data.deptCode = deptCode ?? '';
  if (basis !== null) data.basis = basis;
  if (reason !== null) data.reason = reason;
  if (a[16] !== null) data.designatedOn = a[16];
  if (a[17] !== null) data.validFrom = a[17];
  if (a[18] !== null) data.validTo = a[18];
  if (a[19] !== null) data.removedOn = a[19];
  if (a[20] !== null) data.repairedOn = a[20];
  if (a[21] !== null) data.severity = a[21];
  data.objection = a[22] ?? 'none';
  if (district !== null) data.district = district;
  const change = { seq: a[0], op: 'upsert', kind: 'record', data };
  if (pairs && isSeq(a[0]) && fieldsOk(data) && otherIdsOk(otherIds)) return { change, checked: change as Change };
  return { change };
}

/** A list record as a compact change's elements after the seq (the platform's side; `text` gives a text's key, or the text to send it inline). */
export function compactRecordElements(r: ListRecord, text: (value: string) => number | string): unknown[] {
  const out: unknown[] = [];
  const rec = r as unknown as Record<string, unknown>;
  for (let i = 0; i < FAST_RECORD_FIELDS.length; i++) {
    const field = FAST_RECORD_FIELDS[i] as string;
    const v = rec[field];
    if (v === undefined) out.push(null);
    else if (TEXT_AT[i] === true && typeof v === 'string') out.push(text(v));
    else if (i === OTHER_IDS_AT) out.push(r.otherIds.map((o) => [o.kind, o.value]));
    else out.push(v);
  }
  return out;
}
