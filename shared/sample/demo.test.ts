import { describe, expect, it } from 'vitest';
import { ListRecord, Subject } from '../domain/schemas';
import { validateIdNumber, validateUscc } from '../domain/identifiers';
import { DEMO, demoRecords, demoSubjects, type DemoKey } from './demo';
import { generateSubjects } from './generator';

const TODAYS = ['2025-06-15', '2024-02-29', '2024-03-31', '2026-01-01', '2030-12-31'];

/** The record is acted on today (domain.md: not expired, removed, repaired or suspended). */
function inForce(r: ListRecord, today: string): boolean {
  return (
    r.objection !== 'upheld' &&
    r.objection !== 'pending' &&
    (r.removedOn === undefined || r.removedOn > today) &&
    (r.repairedOn === undefined || r.repairedOn > today) &&
    (r.validTo === undefined || r.validTo >= today) &&
    r.validFrom <= today
  );
}

const entries = Object.entries(DEMO) as [DemoKey, (typeof DEMO)[DemoKey]][];

describe('demo identifiers', () => {
  it('are valid, already normalised codes of the right kind', () => {
    for (const [key, e] of entries) {
      const result = e.type === '自然人' ? validateIdNumber(e.identifier) : validateUscc(e.identifier);
      expect(result, key).toEqual({ status: 'valid', normalized: e.identifier });
      if ('legalRep' in e) expect(validateIdNumber(e.legalRep.idNumber).status, key).toBe('valid');
    }
  });

  it('are distinct, and never produced by the generator', () => {
    const codes = entries.map(([, e]) => e.identifier);
    expect(new Set(codes).size).toBe(codes.length);
    const generated = new Set(
      [...generateSubjects({ seed: 1, subjects: 20_000, records: 0, today: '2025-06-15' })].flatMap((s) => [
        ...s.identifiers.map((i) => i.value),
        s.legalRepresentative?.idNumber,
      ]),
    );
    const demoCodes = entries.flatMap(([, e]) => ('legalRep' in e ? [e.identifier, e.legalRep.idNumber] : [e.identifier]));
    for (const c of demoCodes) expect(generated.has(c), c).toBe(false);
  });

  it('make valid Subjects', () => {
    const subjects = demoSubjects();
    expect(subjects).toHaveLength(entries.length);
    for (const s of subjects) expect(Subject.parse(s)).toEqual(s);
  });
});

describe.each(TODAYS)('demo records as of %s', (today) => {
  const records = demoRecords(today);
  const of = (key: DemoKey): ListRecord[] =>
    records.filter((r) => r.uscc === DEMO[key].identifier || r.idNumber === DEMO[key].identifier);

  it('parse unchanged, with unique ids', () => {
    for (const r of records) expect(ListRecord.parse(r)).toEqual(r);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });

  it('blackCompany is black and its legal representative is blackPerson, himself black', () => {
    const [company] = of('blackCompany');
    expect(company?.colour).toBe('black');
    expect(company?.severity).toBe('严重');
    expect(company && inForce(company, today)).toBe(true);
    expect(company?.legalRepId).toBe(DEMO.blackPerson.identifier);
    expect(DEMO.blackCompany.legalRep.idNumber).toBe(DEMO.blackPerson.identifier);
    const [person] = of('blackPerson');
    expect(person).toMatchObject({ listType: '失信被执行人', colour: 'black', subjectType: '自然人' });
    expect(person && inForce(person, today)).toBe(true);
  });

  it('expiredCompany expired within the last two months', () => {
    const rs = of('expiredCompany');
    expect(rs).toHaveLength(1);
    const validTo = rs[0]?.validTo ?? '';
    expect(validTo < today).toBe(true);
    expect(rs.some((r) => inForce(r, today))).toBe(false);
    expect(Date.parse(today) - Date.parse(validTo)).toBeLessThan(62 * 86_400_000);
  });

  it('objectionCompany has an otherwise active black record under objection', () => {
    const [r] = of('objectionCompany');
    expect(r).toMatchObject({ colour: 'black', objection: 'pending' });
    expect(r && inForce({ ...r, objection: 'none' }, today)).toBe(true);
  });

  it('redCompany is only on an active red list', () => {
    const rs = of('redCompany');
    expect(rs.length).toBeGreaterThan(0);
    expect(rs.every((r) => r.colour === 'red' && inForce(r, today))).toBe(true);
  });

  it('conflictCompany is on an active red and an active black list', () => {
    const rs = of('conflictCompany').filter((r) => inForce(r, today));
    expect(new Set(rs.map((r) => r.colour))).toEqual(new Set(['red', 'black']));
  });

  it('repairedCompany was repaired two months ago, within the validity period', () => {
    const [r] = of('repairedCompany');
    expect(r?.colour).toBe('black');
    expect(r?.repairedOn !== undefined && r.repairedOn < today).toBe(true);
    expect(r?.validTo !== undefined && r.validTo >= today).toBe(true);
    expect(r && inForce(r, today)).toBe(false);
  });

  it('cleanCompany has no record; watchCompany an active watch record', () => {
    expect(of('cleanCompany')).toEqual([]);
    const [w] = of('watchCompany');
    expect(w?.colour).toBe('watch');
    expect(w && inForce(w, today)).toBe(true);
  });
});
