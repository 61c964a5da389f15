import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ListRecord, Subject, type Severity } from '../domain/schemas';
import { validateIdNumber, validateOrgCode, validateUscc } from '../domain/identifiers';
import { DEFAULT_SEVERITY_PERIODS, addDays, addMonths } from '../domain/rules-config';
import {
  LIST_TYPES,
  LIST_TYPE_NAMES,
  _dates,
  generateRecords,
  generateSample,
  generateSubjects,
  recordAt,
  subjectAt,
  type SampleOptions,
} from './generator';
import { Prng, hash32, prngFor } from './prng';

const TODAY = '2025-06-15';
const OPTS: SampleOptions = { seed: 20250615, subjects: 3000, records: 8000, today: TODAY };
const sample = generateSample(OPTS);

function ids(s: Subject, kind: string): string[] {
  return s.identifiers.filter((i) => i.kind === kind).map((i) => i.value);
}

describe('prng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const c = new Prng(2);
    const xs = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(xs);
  });

  it('int stays within [min, max] and reaches both ends', () => {
    const r = new Prng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-2, 3);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(3);
      seen.add(v);
    }
    expect([...seen].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(() => r.int(3, 2)).toThrow(RangeError);
  });

  it('pick, chance and weighted behave at the edges', () => {
    const r = new Prng(3);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(r.pick(['only'])).toBe('only');
    expect(r.chance(0)).toBe(false);
    expect(r.chance(1)).toBe(true);
    for (let i = 0; i < 200; i++) expect(r.weighted([['a', 0], ['b', 1], ['c', 0]] as const)).toBe('b');
    expect(() => r.weighted([['a', 0]] as const)).toThrow(RangeError);
  });

  it('next() is uniform enough for sampling', () => {
    const r = new Prng(11);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const k = Math.floor(r.next() * 10);
      buckets[k] = (buckets[k] ?? 0) + 1;
    }
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  it('hash32 separates neighbouring inputs and large indices', () => {
    expect(hash32(1, 2)).not.toBe(hash32(2, 1));
    expect(hash32(1, 0)).not.toBe(hash32(1, 2 ** 32));
    expect(prngFor(5, 6).uint32()).toBe(prngFor(5, 6).uint32());
  });
});

describe('generator: validity', () => {
  it('every subject parses and every code validates', () => {
    for (const s of sample.subjects) {
      expect(Subject.parse(s)).toEqual(s);
      for (const v of ids(s, 'uscc')) expect(validateUscc(v)).toEqual({ status: 'valid', normalized: v });
      for (const v of ids(s, 'idNumber')) expect(validateIdNumber(v)).toEqual({ status: 'valid', normalized: v });
      for (const v of ids(s, 'orgCode')) expect(validateOrgCode(v).status).toBe('valid');
      const rep = s.legalRepresentative?.idNumber;
      if (rep !== undefined) expect(validateIdNumber(rep).status).toBe('valid');
      // Subject type and identifier kind agree (an 18-digit ID could pass the USCC check by chance).
      expect(ids(s, s.type === '自然人' ? 'idNumber' : 'uscc')).toHaveLength(1);
    }
  });

  it('every record parses unchanged and its codes validate', () => {
    for (const r of sample.records) {
      expect(ListRecord.parse(r)).toEqual(r);
      if (r.uscc !== undefined) expect(validateUscc(r.uscc).status).toBe('valid');
      if (r.idNumber !== undefined) expect(validateIdNumber(r.idNumber).status).toBe('valid');
      if (r.legalRepId !== undefined) expect(validateIdNumber(r.legalRepId).status).toBe('valid');
      expect(validateUscc(r.deptCode).status).toBe('valid');
      for (const o of r.otherIds) expect(validateOrgCode(o.value).status).toBe('valid');
      expect(r.version).toBe(1);
    }
  });

  it('USCC type char matches the subject type', () => {
    for (const s of sample.subjects) {
      const [uscc] = ids(s, 'uscc');
      if (uscc === undefined) continue;
      expect(uscc.slice(0, 2)).toBe(s.type === '个体工商户' ? '92' : '91');
    }
  });

  it('codes are unique across subjects, also in a large population', () => {
    const big = [...generateSubjects({ seed: 99, subjects: 60_000, records: 0, today: TODAY })];
    const codes = big.map((s) => s.identifiers[0]?.value);
    expect(new Set(codes).size).toBe(big.length);
    // Representatives are distinct people with distinct ID numbers too.
    const reps = new Map<string, string>();
    for (const s of big) {
      const p = s.legalRepresentative;
      if (p?.idNumber === undefined) continue;
      expect(reps.get(p.idNumber) ?? p.name).toBe(p.name);
      reps.set(p.idNumber, p.name);
    }
  });

  it('record ids are R + zero-padded index and unique', () => {
    expect(sample.records[0]?.id).toBe('R00000000');
    expect(sample.records[42]?.id).toBe('R00000042');
    expect(new Set(sample.records.map((r) => r.id)).size).toBe(sample.records.length);
    expect(new Set(sample.subjects.map((s) => s.id)).size).toBe(sample.subjects.length);
  });
});

describe('generator: determinism and sizes', () => {
  it('same options give identical output', () => {
    const again = generateSample(OPTS);
    expect(again).toEqual(sample);
    expect(JSON.stringify(again)).toBe(JSON.stringify(sample));
  });

  it('another seed gives other data', () => {
    const other = generateSample({ ...OPTS, seed: OPTS.seed + 1, subjects: 50, records: 50 });
    const mine = generateSample({ ...OPTS, subjects: 50, records: 50 });
    expect(other.subjects.map((s) => s.identifiers[0]?.value)).not.toEqual(
      mine.subjects.map((s) => s.identifiers[0]?.value),
    );
    expect(other.records).not.toEqual(mine.records);
  });

  it('has the requested sizes and person share', () => {
    expect(sample.subjects).toHaveLength(3000);
    expect(sample.records).toHaveLength(8000);
    expect(sample.subjects.filter((s) => s.type === '自然人')).toHaveLength(750);
    const none = generateSample({ ...OPTS, subjects: 10, records: 0 });
    expect(none.records).toEqual([]);
    const onlyPersons = generateSample({ ...OPTS, subjects: 10, records: 30, personShare: 1 });
    const { subjects: _omitted, ...noSubjects } = OPTS;
    expect(generateSample({ ...noSubjects, records: 100 }).subjects).toHaveLength(50);
    expect(onlyPersons.records.every((r) => r.subjectType === '自然人')).toBe(true);
  });

  it('streams lazily: a huge request yields its first records at once', () => {
    const it = generateRecords({ ...OPTS, records: 1_000_000_000 });
    const first = [it.next().value, it.next().value];
    expect(first).toEqual(sample.records.slice(0, 2));
  });

  it('item i is the same whether streamed, sliced or asked for alone', () => {
    expect(recordAt(OPTS, 1234)).toEqual(sample.records[1234]);
    expect(subjectAt(OPTS, 2999)).toEqual(sample.subjects[2999]);
    expect([...generateRecords({ ...OPTS, from: 100, to: 110 })]).toEqual(sample.records.slice(100, 110));
  });

  it('rejects bad options', () => {
    expect(() => generateSample({ ...OPTS, subjects: 0 })).toThrow(RangeError);
    expect(() => generateSample({ ...OPTS, records: -1 })).toThrow(RangeError);
    expect(() => generateSample({ ...OPTS, today: '2025-02-30' })).toThrow(RangeError);
    expect(() => generateSample({ ...OPTS, listTypes: ['不存在的名单'] })).toThrow(RangeError);
    expect(() => subjectAt(OPTS, 3000)).toThrow(RangeError);
  });
});

describe('generator: realistic content', () => {
  const periods = DEFAULT_SEVERITY_PERIODS;

  it('dates are ordered, in the past and within the severity periods', () => {
    for (const r of sample.records) {
      expect(r.designatedOn <= TODAY).toBe(true);
      expect(r.validFrom >= r.designatedOn).toBe(true);
      if (r.validTo !== undefined) expect(r.validTo >= r.validFrom).toBe(true);
      for (const d of [r.removedOn, r.repairedOn]) {
        if (d === undefined) continue;
        expect(d > r.validFrom && d <= TODAY).toBe(true);
        if (r.validTo !== undefined) expect(d <= r.validTo).toBe(true);
      }
      if (r.colour === 'red' || r.validTo === undefined) continue;
      const p = periods[r.severity as Severity];
      // 轻微 ≤ 3 months, 一般 3–12 months, 严重 12–36 months (at least one month).
      expect(r.validTo <= addDays(addMonths(r.validFrom, p.maxMonths), -1)).toBe(true);
      expect(r.validTo >= addDays(addMonths(r.validFrom, Math.max(1, p.minMonths)), -1)).toBe(true);
    }
  });

  it('has a mix of active, expired, removed, repaired and objected records', () => {
    const rs = sample.records;
    const active = rs.filter(
      (r) =>
        r.removedOn === undefined &&
        r.repairedOn === undefined &&
        r.objection !== 'upheld' &&
        (r.validTo === undefined || r.validTo >= TODAY),
    );
    expect(active.length).toBeGreaterThan(rs.length * 0.15);
    expect(rs.filter((r) => r.validTo !== undefined && r.validTo < TODAY).length).toBeGreaterThan(rs.length * 0.2);
    expect(rs.filter((r) => r.removedOn !== undefined).length).toBeGreaterThan(0);
    expect(rs.filter((r) => r.repairedOn !== undefined).length).toBeGreaterThan(0);
    expect(rs.filter((r) => r.validTo === undefined).length).toBeGreaterThan(0);
    // Pending objections only on records still in force, never on red ones.
    const pending = rs.filter((r) => r.objection === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    for (const r of pending) expect(active).toContain(r);
    expect(rs.filter((r) => r.colour === 'red' && r.objection !== 'none')).toEqual([]);
  });

  it('covers every list type, colour and severity', () => {
    expect(new Set(sample.records.map((r) => r.listType))).toEqual(new Set(LIST_TYPE_NAMES));
    expect(new Set(sample.records.map((r) => r.colour))).toEqual(new Set(['red', 'black', 'watch']));
    expect(new Set(sample.records.filter((r) => r.colour !== 'red').map((r) => r.severity))).toEqual(
      new Set(['轻微', '一般', '严重']),
    );
    for (const r of sample.records) {
      const spec = LIST_TYPES.find((t) => t.name === r.listType);
      expect(r.colour).toBe(spec?.colour);
      expect(r.deptName).toBe(spec?.deptName);
    }
  });

  it('lists persons only on lists that name persons, with ID number and no USCC', () => {
    const persons = sample.records.filter((r) => r.subjectType === '自然人');
    expect(persons.length).toBeGreaterThan(0);
    for (const r of persons) {
      expect(LIST_TYPES.find((t) => t.name === r.listType)?.listed).not.toBe('organisation');
      expect(r.idNumber).toBeDefined();
      expect(r.uscc).toBeUndefined();
      expect(r.legalRepId).toBeUndefined();
    }
    for (const r of sample.records.filter((x) => x.subjectType !== '自然人')) {
      expect(r.uscc).toBeDefined();
      expect(r.legalRepId).toBeDefined();
    }
  });

  it('shares legal representatives across companies, and some of them are listed themselves (落实到人)', () => {
    const companiesByRep = new Map<string, number>();
    for (const s of sample.subjects) {
      const id = s.legalRepresentative?.idNumber;
      if (id !== undefined) companiesByRep.set(id, (companiesByRep.get(id) ?? 0) + 1);
    }
    expect(Math.max(...companiesByRep.values())).toBeGreaterThanOrEqual(5);
    const listedReps = sample.records.filter((r) => r.idNumber !== undefined && companiesByRep.has(r.idNumber));
    expect(listedReps.length).toBeGreaterThan(10);
    // Some of them represent a company that is itself on a black list.
    const blackOrgReps = new Set(
      sample.records.filter((r) => r.colour === 'black' && r.legalRepId !== undefined).map((r) => r.legalRepId),
    );
    expect(listedReps.some((r) => r.colour === 'black' && blackOrgReps.has(r.idNumber))).toBe(true);
    // Every person subject who represents companies is found by the same ID number.
    // Some person subjects represent companies, most are private persons.
    const personIds = new Set(sample.subjects.flatMap((s) => ids(s, 'idNumber')));
    const representing = [...companiesByRep.keys()].filter((id) => personIds.has(id)).length;
    expect(representing).toBeGreaterThan(personIds.size * 0.1);
    expect(representing).toBeLessThan(personIds.size * 0.5);
  });

  it('restricts records to the requested list types', () => {
    const only = generateSample({ ...OPTS, records: 300, listTypes: ['失信被执行人', '纳税信用A级纳税人'] });
    expect(new Set(only.records.map((r) => r.listType))).toEqual(new Set(['失信被执行人', '纳税信用A级纳税人']));
  });

  it('has all organisation types and plausible names', () => {
    expect(new Set(sample.subjects.map((s) => s.type))).toEqual(new Set(['法人', '非法人组织', '个体工商户', '自然人']));
    for (const s of sample.subjects) {
      if (s.type === '自然人') expect(s.name).toMatch(/^\p{Script=Han}{2,3}$/u);
      else expect(s.name).toMatch(/(公司|（有限合伙）|店|经营部|门市部|商行|工作室)$/u);
    }
  });
});

describe('generator: date arithmetic', () => {
  it('matches rules-config addDays / addMonths', () => {
    const { dayOf, isoOf, addMonthsToDay } = _dates;
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: -48, max: 48 }),
        (date, days, months) => {
          const iso = date.toISOString().slice(0, 10);
          expect(isoOf(dayOf(iso))).toBe(iso);
          expect(isoOf(dayOf(iso) + days)).toBe(addDays(iso, days));
          expect(isoOf(addMonthsToDay(dayOf(iso), months))).toBe(addMonths(iso, months));
        },
      ),
    );
    expect(isoOf(addMonthsToDay(dayOf('2024-01-31'), 1))).toBe('2024-02-29');
    expect(isoOf(0)).toBe('1970-01-01');
  });
});
