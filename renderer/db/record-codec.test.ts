import { describe, expect, it } from 'vitest';
import { demoRecords } from '../../shared/sample/demo';
import { generateRecords } from '../../shared/sample/generator';
import { Dictionary, bigrams, decodeRecord, encodeRecord, subjectIdentifiers } from './record-codec';

describe('record codec', () => {
  it('round-trips every generated and demo record exactly', () => {
    const records = [...demoRecords('2026-11-21'), ...generateRecords({ seed: 9, subjects: 300, records: 2_000, today: '2026-11-21' })];
    const dict = new Dictionary();
    for (const r of records) expect(decodeRecord(encodeRecord(r, dict), dict.list)).toEqual(r);
    expect(dict.list.length).toBeLessThan(300);
    const withAll = { ...records[0]!, otherIds: [{ kind: 'orgCode' as const, value: 'MA1234567-8' }], removedOn: '2026-01-01', repairedOn: '2026-02-01' };
    expect(decodeRecord(encodeRecord(withAll, dict), dict.list)).toEqual(withAll);
  });

  it('round-trips quotes, backslashes, control characters and surrogates', () => {
    const base = generateRecords({ seed: 11, subjects: 10, records: 1, today: '2026-11-21' }).next().value!;
    const odd = {
      ...base,
      subjectName: '带"引号"和\\反斜杠\n换行\u2028的名称',
      legalRepName: '\u0001控制',
      otherIds: [{ kind: 'regNo' as const, value: 'A"B' }],
      reason: 'x\ty',
      district: '𠀀区\ud800孤',
      version: 12,
    };
    for (const r of [base, odd, ...generateRecords({ seed: 12, subjects: 100, records: 500, today: '2026-11-21' })]) {
      const a = new Dictionary();
      const text = encodeRecord(r, a);
      expect(decodeRecord(text, a.list)).toEqual(r);
      // What a page stores: UTF-8 of the text.
      expect(decodeRecord(new TextDecoder().decode(new TextEncoder().encode(text)), a.list)).toEqual(r);
    }
  });

  it('inlines texts once the dictionary is full', () => {
    const records = [...generateRecords({ seed: 10, subjects: 50, records: 200, today: '2026-11-21' })];
    const dict = new Dictionary(3);
    const encoded = records.map((r) => encodeRecord(r, dict));
    expect(dict.list.length).toBe(3);
    records.forEach((r, i) => expect(decodeRecord(encoded[i] as string, dict.list)).toEqual(r));
  });

  it('names the subject identifiers once each, and the distinct bigrams of a name', () => {
    const r = generateRecords({ seed: 9, subjects: 10, records: 1, today: '2026-11-21' }).next().value!;
    const dup = { ...r, uscc: 'A', idNumber: 'A', otherIds: [{ kind: 'regNo' as const, value: 'B' }, { kind: 'taxNo' as const, value: 'A' }] };
    expect(subjectIdentifiers(dup)).toEqual(['A', 'B']);
    expect(bigrams('有限有限')).toEqual(['有限', '限有']);
    expect(bigrams('临')).toEqual([]);
  });
});
