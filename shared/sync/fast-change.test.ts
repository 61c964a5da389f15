import { describe, expect, it } from 'vitest';
import { ListRecord } from '../domain/schemas';
import { Prng, hash32 } from '../sample/prng';
import { generateRecords } from '../sample/generator';
import { FAST_RECORD_FIELDS, compactRecordElements, expandCompactChange, fastChange, fastListRecord } from './fast-change';
import { Change, parsePage } from './protocol';
import { textTable } from './text-table.fixture';

const records = [...generateRecords({ seed: 41, subjects: 300, records: 600, today: '2026-11-20' })];
/** The records as they travel: JSON, so optional fields are absent rather than undefined. */
const wire = records.map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);

/** Values that break one field or another: wrong types, bounds, bad dates, enum misses. */
const BAD_VALUES: unknown[] = [
  undefined, null, 0, -1, 1.5, 2 ** 60, Number.NaN, '', ' ', 'x'.repeat(19), 'x'.repeat(41), 'x'.repeat(101), 'x'.repeat(129),
  'x'.repeat(201), 'x'.repeat(4001), '2023-02-30', '2024-02-29', '2023-13-01', '2023-1-01', '20230101', '2023-01-01 ',
  '２０２３-01-01', 'red', 'green', '法人', '公司', '严重', '很严重', 'pending', 'maybe', [], [{}], [{ kind: 'uscc', value: '' }],
  [{ kind: 'passport', value: 'x' }], [{ kind: 'regNo', value: '123', extra: 1 }], {}, true,
];

function check(input: unknown): void {
  const zod = ListRecord.safeParse(input);
  const fast = fastListRecord(input);
  if (fast !== undefined) {
    // Never accepts what zod refuses, and gives exactly zod's output (keys and their order).
    expect(zod.success).toBe(true);
    expect(fast).toStrictEqual(zod.data);
    expect(Object.keys(fast)).toEqual(Object.keys(zod.data as object));
  }
}

describe('fastListRecord', () => {
  it('knows exactly the fields of the schema, in its order', () => {
    expect([...FAST_RECORD_FIELDS]).toEqual(Object.keys(ListRecord.shape));
  });

  it('accepts every generated record with zod’s output (defaults filled in, unknown keys dropped)', () => {
    for (const r of wire) {
      const fast = fastListRecord({ ...r, extra: 'dropped' });
      expect(fast).toBeDefined();
      check({ ...r, extra: 'dropped' });
      const { otherIds: _o, deptCode: _d, objection: _b, ...bare } = r;
      expect(fastListRecord(bare)).toStrictEqual(ListRecord.parse(bare));
    }
  });

  it('never accepts a mutation zod refuses (thousands of single and double mutations)', () => {
    const rng = new Prng(hash32(7));
    const fields = [...FAST_RECORD_FIELDS];
    let refusedByBoth = 0;
    for (let i = 0; i < 6_000; i++) {
      const m: Record<string, unknown> = { ...rng.pick(wire) };
      const times = 1 + (i % 2);
      for (let t = 0; t < times; t++) {
        const k = rng.pick(fields);
        if (rng.next() < 0.1) delete m[k];
        else m[k] = rng.pick(BAD_VALUES);
      }
      check(m);
      if (fastListRecord(m) === undefined && !ListRecord.safeParse(m).success) refusedByBoth++;
    }
    expect(refusedByBoth).toBeGreaterThan(1_000);
    for (const bad of [null, [], 'record', 5]) expect(fastListRecord(bad)).toBeUndefined();
  });
});

describe('fastChange', () => {
  it('gives Change.parse’s output for record upserts and tombstones, and leaves the rest to zod', () => {
    const upsert = { seq: 5, op: 'upsert', kind: 'record', data: wire[0], extra: 1 };
    expect(fastChange(upsert)).toStrictEqual(Change.parse(upsert));
    const del = { seq: 6, op: 'delete', kind: 'record', id: 'R-1' };
    expect(fastChange(del)).toStrictEqual(Change.parse(del));
    for (const other of [
      { seq: 7, op: 'delete', kind: 'measure', id: 'M-1' },
      { seq: 0, op: 'delete', kind: 'record', id: 'R-1' },
      { seq: 1.5, op: 'upsert', kind: 'record', data: wire[0] },
      { seq: 8, op: 'upsert', kind: 'record', data: { ...wire[0], validFrom: '2023-02-30' } },
      { seq: 9, op: 'replace', kind: 'record', id: 'R-1' },
      { seq: 10, op: 'delete', kind: 'record', id: '' },
    ]) {
      expect(fastChange(other)).toBeUndefined();
    }
  });

  it('a page with one bad record among good ones is still refused whole, naming the field', () => {
    const changes = wire.slice(0, 50).map((data, i) => ({ seq: i + 1, op: 'upsert', kind: 'record', data }));
    changes[37] = { ...changes[37], data: { ...(changes[37]?.data as object), designatedOn: '2024-02-30' } } as (typeof changes)[number];
    const page = parsePage({ changes, nextCursor: '1.50', hasMore: false, schemaVersion: 1 });
    expect(page.ok).toBe(false);
    if (!page.ok) {
      expect(page.error.index).toBe(37);
      expect(page.error.field).toBe('changes[37].data.designatedOn');
    }
  });
});

describe('expandCompactChange', () => {
  const { texts, key } = textTable();
  const compact = records.map((r, i) => [i + 1, ...compactRecordElements(r, key)]);

  it('expands every generated record to Change.parse’s output of its full form, checked by hand', () => {
    compact.forEach((a, i) => {
      const expanded = expandCompactChange(JSON.parse(JSON.stringify(a)) as unknown[], texts);
      if ('at' in expanded) throw new Error(expanded.message);
      const full = Change.parse({ seq: i + 1, op: 'upsert', kind: 'record', data: wire[i] });
      expect(expanded.checked).toStrictEqual(full);
      expect(Object.keys((expanded.checked as { data: object }).data)).toEqual(Object.keys((full as { data: object }).data));
    });
  });

  it('never checks by hand a mutation zod refuses, and then gives zod’s output', () => {
    const rng = new Prng(hash32(11));
    const values: unknown[] = [...BAD_VALUES.filter((v) => v !== undefined), 1, 2, 999, [['uscc', '91370100MA3C0LBP6H']], [['uscc']], [{ kind: 'uscc', value: 'x' }]];
    let refused = 0;
    for (let i = 0; i < 6_000; i++) {
      const a = [...(rng.pick(compact) as unknown[])];
      for (let t = 0; t < 1 + (i % 2); t++) a[Math.floor(rng.next() * a.length)] = rng.pick(values);
      const expanded = expandCompactChange(a, texts);
      if ('at' in expanded) continue;
      const zod = Change.safeParse(expanded.change);
      if (expanded.checked !== undefined) {
        expect(zod.success).toBe(true);
        expect(expanded.checked).toStrictEqual(zod.data);
      } else if (!zod.success) refused++;
    }
    expect(refused).toBeGreaterThan(1_000);
  });

  it('names a short array and a text key the page does not carry', () => {
    expect(expandCompactChange((compact[0] as unknown[]).slice(1), texts)).toMatchObject({ at: -1, message: expect.stringContaining('应有 24 项') as string });
    const a = [...(compact[0] as unknown[])];
    a[15] = 98_765;
    expect(expandCompactChange(a, texts)).toEqual({ at: 15, message: 'reason 引用的文本编号 98765 不在本页 texts 中' });
  });
});
