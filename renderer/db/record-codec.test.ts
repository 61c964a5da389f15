import { describe, expect, it } from 'vitest';
import type { ListRecord } from '../../shared/domain/schemas';
import { demoRecords } from '../../shared/sample/demo';
import { generateRecords } from '../../shared/sample/generator';
import { Dictionary, RECORD_CODEC, bigrams, decodeRecord, encodeRecord, subjectIdentifiers } from './record-codec';

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

  it('codec 2: closed sets as indexes and dates as day numbers, ~50 bytes a record fewer than codec 1; odd values kept as text', () => {
    expect(RECORD_CODEC).toBe(2);
    const records = [...generateRecords({ seed: 13, subjects: 200, records: 1_000, today: '2026-11-21' })];
    const dict = new Dictionary();
    let v2 = 0;
    let v1 = 0;
    const utf8 = (t: string): number => new TextEncoder().encode(t).length;
    for (const r of records) {
      const text = encodeRecord(r, dict);
      v2 += utf8(text);
      const t = JSON.parse(text) as unknown[];
      expect(typeof t[3]).toBe('number');
      expect(typeof t[15]).toBe('number');
      // The same record as codec 1 wrote it, still read.
      const old = [...t];
      old[3] = r.colour;
      old[5] = r.subjectType;
      old[15] = r.designatedOn;
      old[16] = r.validFrom;
      old[17] = r.validTo ?? null;
      old[18] = r.removedOn ?? null;
      old[19] = r.repairedOn ?? null;
      old[20] = r.severity;
      old[21] = r.objection;
      v1 += utf8(JSON.stringify(old));
      expect(decodeRecord(JSON.stringify(old), dict.list)).toEqual(r);
    }
    expect((v1 - v2) / records.length).toBeGreaterThan(40);
    const base = records[0] as ListRecord;
    const odd = { ...base, colour: 'green', subjectType: '其他', severity: '很严重', objection: 'maybe', validFrom: '0099-01-01', designatedOn: '2024-02-30', validTo: '2024-1-01' } as unknown as ListRecord;
    expect(decodeRecord(encodeRecord(odd, dict), dict.list)).toEqual(odd);
    const leap = { ...base, designatedOn: '2024-02-29', validFrom: '1969-12-31', validTo: '2100-01-01' };
    const t = JSON.parse(encodeRecord(leap, dict)) as unknown[];
    expect([t[15], t[16], t[17]]).toEqual([19782, -1, 47482]);
    expect(decodeRecord(encodeRecord(leap, dict), dict.list)).toEqual(leap);
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
