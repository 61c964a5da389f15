/**
 * Deterministic synthetic subjects and list records, of any size, for tests, the demo mirror
 * and benchmarks. Same options → byte-identical output.
 *
 * Every item is a pure function of (seed, index): subject `i` and record `r` each get their own
 * PRNG stream (prngFor), so records can be streamed one at a time (1,000,000 records need no
 * more memory than one) and any slice can be produced on its own.
 *
 * Layout for `subjects: N` with person share p:
 *   S00000000 … organisations (法人 / 个体工商户 / 非法人组织), nOrgs = N − round(N·p)
 *   then natural persons (自然人), nPersons = round(N·p)
 * The legal representative of every organisation is a person of a representative pool that
 * overlaps the last 30 % of the person subjects: those representatives can be listed themselves
 * (落实到人, 000 §十一); the rest of the pool are persons who appear only as representatives.
 * A few serial entrepreneurs at the start of the pool represent many companies each.
 *
 * All names and numbers are fictional: names are composed from syllable tables, codes are built
 * from scrambled indices (unique per seed) with valid check characters.
 */
import type { Identifier, IsoDate, ListRecord, Person, Severity, Subject, SubjectType } from '../domain/schemas';
import { IsoDate as IsoDateSchema, daysInMonth } from '../domain/schemas';
import { USCC_ALPHABET, idNumberCheckChar, orgCodeCheckChar, usccCheckChar } from '../domain/identifiers';
import { DEFAULT_SEVERITY_PERIODS, type SeverityPeriod } from '../domain/rules-config';
import { prngFor, type Prng } from './prng';
import {
  CITY,
  CITY_CODE,
  DISTRICTS,
  GIVEN_CHARS,
  INDIVIDUAL_SUFFIXES,
  INDUSTRIES,
  LEGAL_PERSON_SUFFIXES,
  LIST_TYPES,
  PARTNERSHIP_SUFFIXES,
  STREETS,
  SURNAMES,
  TRADE_SYLLABLES,
  type District,
  type ListTypeSpec,
} from './vocabulary';

export { LIST_TYPES, LIST_TYPE_NAMES, listTypeSpec, type ListTypeSpec } from './vocabulary';

export interface SampleOptions {
  seed: number;
  /**
   * Number of subjects, organisations and natural persons together (≥ 1); default
   * max(10, ⌈records / 2⌉), about two records per subject.
   */
  subjects?: number;
  /** Number of list records (≥ 0). */
  records: number;
  /** Dates are spread backwards from here, so some records are active and some expired. */
  today: IsoDate;
  /** Restrict records to these list types (names from LIST_TYPES). */
  listTypes?: readonly string[];
  /** Share of subjects that are natural persons; default 0.25. */
  personShare?: number;
  /** Punishment periods by severity; default DEFAULT_SEVERITY_PERIODS (轻微 ≤ 3 months …). */
  severityPeriods?: Readonly<Record<Severity, SeverityPeriod>>;
  /** How far back designation dates reach, in years; default 4. */
  yearsBack?: number;
}

export interface Sample {
  subjects: Subject[];
  records: ListRecord[];
}

// Salts keep the per-kind PRNG streams of one seed independent of each other.
const SALT_ORG = 0x0de1;
const SALT_PERSON = 0x9e25;
const SALT_RECORD = 0x7ec0;
const SALT_LAYOUT = 0x1a70;

/** Zero-padded ids sort in generation order: S00000042, R00000042. */
const ID_WIDTH = 8;
export const subjectId = (index: number): string => `S${String(index).padStart(ID_WIDTH, '0')}`;
export const recordId = (index: number): string => `R${String(index).padStart(ID_WIDTH, '0')}`;

// ---------------------------------------------------------------- dates

// Integer day arithmetic (days since 1970-01-01, H. Hinnant's civil calendar algorithms):
// Date objects made generating a million records several times slower. Same results as
// addDays / addMonths in rules-config (see generator.test.ts).

function dayFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function civilOf(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const dayOf = (iso: IsoDate): number =>
  dayFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function isoOf(day: number): IsoDate {
  const [y, m, d] = civilOf(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Calendar months later, clamped to the end of the month (2024-01-31 + 1 → 2024-02-29). */
function addMonthsToDay(day: number, months: number): number {
  const [y, m, d] = civilOf(day);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12 + 1;
  return dayFromCivil(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

/** Exposed for the test that pins these helpers to rules-config's date arithmetic. */
export const _dates = { dayOf, isoOf, addMonthsToDay };

// ---------------------------------------------------------------- codes

/**
 * A USCC from its parts: registration authority (9 = 工商, 1 = 机构编制), type (1 = 企业,
 * 2 = 个体工商户), 6-digit division code and the 8-char org-code body; both check chars computed.
 */
export function makeUscc(authority: string, type: string, division: string, body8: string): string {
  const first17 = `${authority}${type}${division}${body8}${orgCodeCheckChar(body8)}`;
  return first17 + usccCheckChar(first17);
}

/** A 公民身份号码 from division code, birth date and 3-digit sequence; check char computed. */
export function makeIdNumber(division: string, birth: IsoDate, seq: number): string {
  const first17 = `${division}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * A bijection x → (a·x + b) mod m on [0, m) with seed-dependent a, b: consecutive indices get
 * scattered-looking but never colliding codes. m < 2^30, so a·x is split in 15-bit halves to
 * stay exact below 2^53 (BigInt would be simpler but slow for a million records).
 */
function affineScramble(seed: number, salt: number, m: number): (x: number) => number {
  const rng = prngFor(seed, SALT_LAYOUT, salt);
  let a = rng.int(m >>> 2, m - 1);
  while (gcd(a, m) !== 1) a += 1;
  const b = rng.int(0, m - 1);
  const aHi = Math.floor(a / 32768);
  const aLo = a % 32768;
  return (x) => (((aHi * x) % m) * 32768 + aLo * x + b) % m;
}

/** Org-code bodies 'MA' + 6 base-31 chars, as issued since 2015; 31^6 distinct values. */
const BODY_SPACE = 31 ** 6;
/** Generated persons are born 1960-01-01 … 1999-12-31: one birth day × 1000 sequence numbers each. */
const BIRTH_FIRST = dayOf('1960-01-01');
const BIRTH_DAYS = dayOf('2000-01-01') - BIRTH_FIRST;
const PERSON_SPACE = BIRTH_DAYS * 1000;

function base31(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = USCC_ALPHABET.charAt(n % 31) + s;
    n = Math.floor(n / 31);
  }
  return s;
}

// ---------------------------------------------------------------- layout

/** Everything derived once from the options; items are then pure functions of their index. */
interface Layout {
  seed: number;
  todayDay: number;
  nOrgs: number;
  nPersons: number;
  /** Legal representatives are persons repBase … repBase+repPool−1. */
  repBase: number;
  repPool: number;
  /** Persons repBase … repBase+serialReps−1 represent many companies each (and are subjects). */
  serialReps: number;
  /** Organisations 0 … hotOrgs−1 collect several records each (repeat offenders). */
  hotOrgs: number;
  /** The list types records are drawn from, with their weights. */
  specs: readonly (readonly [ListTypeSpec, number])[];
  periods: Readonly<Record<Severity, SeverityPeriod>>;
  daysBack: number;
  orgBody: (i: number) => number;
  personKey: (j: number) => number;
}

function checkInt(name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} 应为不小于 ${min} 的整数：${v}`);
}

function layoutOf(opts: SampleOptions): Layout {
  checkInt('seed', opts.seed, Number.MIN_SAFE_INTEGER);
  checkInt('records', opts.records, 0);
  const subjects = opts.subjects ?? Math.max(10, Math.ceil(opts.records / 2));
  checkInt('subjects', subjects, 1);
  if (!IsoDateSchema.safeParse(opts.today).success) throw new RangeError(`today 不是有效日期：${opts.today}`);
  const personShare = opts.personShare ?? 0.25;
  if (!(personShare >= 0 && personShare <= 1)) throw new RangeError(`personShare 应在 0–1 之间：${personShare}`);

  const nPersons = Math.round(subjects * personShare);
  const nOrgs = subjects - nPersons;
  // About 2.5 companies per representative on average, more for the serial entrepreneurs.
  const repPool = Math.max(1, Math.ceil(nOrgs / 2.5));
  const overlap = Math.ceil(nPersons * 0.3);
  const repBase = nPersons - overlap;
  // Codes are unique only within their index space (see affineScramble).
  if (nOrgs > BODY_SPACE || Math.max(nPersons, repBase + repPool) > PERSON_SPACE) {
    throw new RangeError(`subjects 过多：${subjects}`);
  }

  let specs: readonly ListTypeSpec[] = LIST_TYPES;
  if (opts.listTypes !== undefined) {
    const unknown = opts.listTypes.filter((t) => !LIST_TYPES.some((s) => s.name === t));
    if (unknown.length > 0) throw new RangeError(`未知名单类型：${unknown.join('、')}`);
    specs = LIST_TYPES.filter((s) => opts.listTypes?.includes(s.name));
  }
  // Only lists that can name someone in this population.
  specs = specs.filter(
    (s) => (s.listed !== 'person' && nOrgs > 0) || (s.listed !== 'organisation' && nPersons > 0),
  );
  if (specs.length === 0 && opts.records > 0) throw new RangeError('没有可用于这些主体的名单类型');

  return {
    seed: opts.seed,
    todayDay: dayOf(opts.today),
    nOrgs,
    nPersons,
    repBase,
    repPool,
    // Serial entrepreneurs stay within the overlap, so they can be listed themselves.
    serialReps: Math.max(1, Math.min(Math.ceil(repPool / 100), overlap)),
    hotOrgs: Math.max(1, Math.ceil(nOrgs / 50)),
    specs: specs.map((s) => [s, s.weight] as const),
    periods: opts.severityPeriods ?? DEFAULT_SEVERITY_PERIODS,
    daysBack: Math.round((opts.yearsBack ?? 4) * 365),
    orgBody: affineScramble(opts.seed, 1, BODY_SPACE),
    personKey: affineScramble(opts.seed, 2, PERSON_SPACE),
  };
}

// ---------------------------------------------------------------- subjects

interface PersonData {
  name: string;
  idNumber: string;
  district: District;
  address: string;
}

function address(rng: Prng, district: District): string {
  return `${CITY}${district.name}${rng.pick(STREETS)}${rng.int(1, 999)}号`;
}

function personName(rng: Prng): string {
  const given = rng.chance(0.3) ? rng.pick(GIVEN_CHARS) : rng.pick(GIVEN_CHARS) + rng.pick(GIVEN_CHARS);
  return rng.pick(SURNAMES) + given;
}

/** Person j of the population (also used for legal representatives who are not subjects). */
function personData(L: Layout, j: number): PersonData {
  const rng = prngFor(L.seed, SALT_PERSON, j);
  const district = rng.pick(DISTRICTS);
  // Unique per j: the scrambled key splits into birth day and sequence number.
  const key = L.personKey(j);
  const birth = isoOf(BIRTH_FIRST + Math.floor(key / 1000));
  return {
    name: personName(rng),
    idNumber: makeIdNumber(district.code, birth, key % 1000),
    district,
    address: address(rng, district),
  };
}

function twoSyllables(rng: Prng): string {
  const a = rng.pick(TRADE_SYLLABLES);
  let b = rng.pick(TRADE_SYLLABLES);
  if (b === a) b = TRADE_SYLLABLES[(TRADE_SYLLABLES.indexOf(a) + 1) % TRADE_SYLLABLES.length] ?? b;
  return a + b;
}

function orgName(rng: Prng, type: SubjectType, district: District): string {
  const trade = twoSyllables(rng);
  const industry = rng.pick(INDUSTRIES);
  const place = rng.pick(['临沂', '临沂', '临沂市', '山东']);
  switch (type) {
    case '个体工商户':
      return `${CITY}${district.name}${trade}${industry}${rng.pick(INDIVIDUAL_SUFFIXES)}`;
    case '非法人组织':
      return rng.chance(0.6)
        ? `${place}${trade}${industry}有限公司${district.name.slice(0, -1)}分公司`
        : `${place}${trade}${rng.pick(PARTNERSHIP_SUFFIXES)}`;
    default:
      return `${place}${trade}${industry}${rng.pick(LEGAL_PERSON_SUFFIXES)}`;
  }
}

/** The person index of an organisation's legal representative. */
function repOf(L: Layout, rng: Prng): number {
  return L.repBase + (rng.chance(0.1) ? rng.int(0, L.serialReps - 1) : rng.int(0, L.repPool - 1));
}

function orgSubject(L: Layout, i: number): Subject {
  const rng = prngFor(L.seed, SALT_ORG, i);
  const type = rng.weighted<SubjectType>([
    ['法人', 72],
    ['个体工商户', 20],
    ['非法人组织', 8],
  ]);
  const district = rng.pick(DISTRICTS);
  const body = `MA${base31(L.orgBody(i), 6)}`;
  const identifiers: Identifier[] = [
    { kind: 'uscc', value: makeUscc('9', type === '个体工商户' ? '2' : '1', district.code, body) },
  ];
  // Some organisations still carry their old 组织机构代码 (the body embedded in the USCC).
  if (type !== '个体工商户' && rng.chance(0.3)) {
    identifiers.push({ kind: 'orgCode', value: `${body}-${orgCodeCheckChar(body)}` });
  }
  const rep = personData(L, repOf(L, rng));
  const legalRepresentative: Person = { name: rep.name, idNumber: rep.idNumber };
  return {
    id: subjectId(i),
    name: orgName(rng, type, district),
    type,
    identifiers,
    legalRepresentative,
    district: district.name,
    address: address(rng, district),
  };
}

function personSubject(L: Layout, j: number): Subject {
  const p = personData(L, j);
  return {
    id: subjectId(L.nOrgs + j),
    name: p.name,
    type: '自然人',
    identifiers: [{ kind: 'idNumber', value: p.idNumber }],
    district: p.district.name,
    address: p.address,
  };
}

function subjectIn(L: Layout, index: number): Subject {
  if (!Number.isSafeInteger(index) || index < 0 || index >= L.nOrgs + L.nPersons) {
    throw new RangeError(`subject index out of range: ${index}`);
  }
  return index < L.nOrgs ? orgSubject(L, index) : personSubject(L, index - L.nOrgs);
}

/** Subject number `index` (0-based) of the sample these options describe. */
export function subjectAt(opts: SampleOptions, index: number): Subject {
  return subjectIn(layoutOf(opts), index);
}

/** All subjects, one at a time: organisations first, then natural persons. */
export function* generateSubjects(opts: SampleOptions): Generator<Subject, void, undefined> {
  const L = layoutOf(opts);
  for (let i = 0; i < L.nOrgs + L.nPersons; i++) yield subjectIn(L, i);
}

// ---------------------------------------------------------------- records

/** Picks the listed subject: repeat offenders and serial entrepreneurs are picked more often. */
function pickSubject(L: Layout, rng: Prng, spec: ListTypeSpec): Subject {
  const person =
    spec.listed === 'person' ||
    L.nOrgs === 0 ||
    (spec.listed === 'both' && L.nPersons > 0 && rng.chance(spec.personShare));
  if (person) {
    // Dishonest persons are often the ones behind dishonest companies (legal reps listed themselves).
    const j =
      spec.colour !== 'red' && rng.chance(0.3)
        ? L.repBase + rng.int(0, L.serialReps - 1)
        : rng.int(0, L.nPersons - 1);
    return personSubject(L, j);
  }
  const i = spec.colour !== 'red' && rng.chance(0.3) ? rng.int(0, L.hotOrgs - 1) : rng.int(0, L.nOrgs - 1);
  return orgSubject(L, i);
}

/** A day strictly after `from` and on or before `to`, or undefined if there is none. */
function dayAfter(rng: Prng, from: number, to: number): number | undefined {
  return to - from >= 1 ? from + rng.int(1, to - from) : undefined;
}

const DEPT_CODES = new Map<string, string>(
  [...new Set(LIST_TYPES.map((s) => s.deptName))].map((name, k) => [
    name,
    // 11 = 机构编制 / 机关; fictional bodies LY000001 …
    makeUscc('1', '1', CITY_CODE, `LY${String(k + 1).padStart(6, '0')}`),
  ]),
);

/** 认定部门 code of a designating department of LIST_TYPES ('' for an unknown name). */
export function deptCodeOf(deptName: string): string {
  return DEPT_CODES.get(deptName) ?? '';
}

function recordIn(L: Layout, r: number): ListRecord {
  const rng = prngFor(L.seed, SALT_RECORD, r);
  const spec = rng.weighted(L.specs);
  const subject = pickSubject(L, rng, spec);
  const isPerson = subject.type === '自然人';
  const severity = rng.weighted(spec.severities);

  // Day numbers while computing, ISO strings in the record.
  const from = L.todayDay - rng.int(0, L.daysBack);
  let to: number | undefined;
  if (!rng.chance(spec.openEndedShare)) {
    const [min, max] = spec.redMonths ?? [
      Math.max(1, L.periods[severity].minMonths),
      Math.max(1, L.periods[severity].maxMonths),
    ];
    // validTo is the last day of the period.
    to = addMonthsToDay(from, rng.int(min, max)) - 1;
  }

  // Early exits happen while the record is in force and not after today.
  const lastInForce = to !== undefined && to < L.todayDay ? to : L.todayDay;
  let removed: number | undefined;
  let repaired: number | undefined;
  const exit = rng.next();
  if (exit < 0.07) removed = dayAfter(rng, from, lastInForce);
  else if (exit < 0.15 && spec.colour !== 'red') repaired = dayAfter(rng, from, lastInForce);

  // Objections: pending ones only make sense on records still in force.
  const inForce = removed === undefined && repaired === undefined && (to === undefined || to >= L.todayDay);
  const o = rng.next();
  const objection: ListRecord['objection'] =
    spec.colour === 'red' ? 'none'
    : inForce && o < 0.03 ? 'pending'
    : o < 0.05 ? 'rejected'
    : o < 0.06 ? 'upheld'
    : 'none';

  const uscc = subject.identifiers.find((id) => id.kind === 'uscc')?.value;
  const idNumber = subject.identifiers.find((id) => id.kind === 'idNumber')?.value;
  const reasons = isPerson ? (spec.personReasons ?? spec.reasons) : spec.reasons;

  const record: ListRecord = {
    id: recordId(r),
    version: 1,
    listType: spec.name,
    colour: spec.colour,
    subjectName: subject.name,
    subjectType: subject.type,
    otherIds: subject.identifiers.filter((id) => id.kind !== 'uscc' && id.kind !== 'idNumber'),
    deptName: spec.deptName,
    deptCode: deptCodeOf(spec.deptName),
    basis: spec.basis,
    reason: rng.pick(reasons),
    designatedOn: isoOf(from),
    validFrom: isoOf(from),
    severity,
    objection,
  };
  // Optional fields only when present, so records compare equal after a JSON round trip.
  if (uscc !== undefined) record.uscc = uscc;
  if (idNumber !== undefined) record.idNumber = idNumber;
  if (subject.legalRepresentative !== undefined) {
    record.legalRepName = subject.legalRepresentative.name;
    if (subject.legalRepresentative.idNumber !== undefined) record.legalRepId = subject.legalRepresentative.idNumber;
  }
  if (to !== undefined) record.validTo = isoOf(to);
  if (removed !== undefined) record.removedOn = isoOf(removed);
  if (repaired !== undefined) record.repairedOn = isoOf(repaired);
  if (subject.district !== undefined) record.district = subject.district;
  return record;
}

/** Record number `index` (0-based) of the sample these options describe. */
export function recordAt(opts: SampleOptions, index: number): ListRecord {
  checkInt('index', index, 0);
  return recordIn(layoutOf(opts), index);
}

/**
 * The records one at a time, for large volumes: `for (const r of generateRecords({ …,
 * records: 1_000_000 }))` holds one record at a time. `from` / `to` select a slice [from, to).
 */
export function* generateRecords(
  opts: SampleOptions & { from?: number; to?: number },
): Generator<ListRecord, void, undefined> {
  const L = layoutOf(opts);
  const from = opts.from ?? 0;
  const to = Math.min(opts.to ?? opts.records, opts.records);
  for (let r = from; r < to; r++) yield recordIn(L, r);
}

/** Subjects and records in memory: fine for tests and the demo mirror (up to ~100k records). */
export function generateSample(opts: SampleOptions): Sample {
  return { subjects: [...generateSubjects(opts)], records: [...generateRecords(opts)] };
}
