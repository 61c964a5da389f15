import { describe, expect, it } from 'vitest';
import type { MirrorIndexRow } from './database';
import { ByteBuffer, RunWriter, decodeList, encodeList, fenceOf, intersect, pagesFor, postingsIn } from './postings';
import { Prng } from '../../shared/sample/prng';

describe('postings', () => {
  it('varint lists round-trip, large values included', () => {
    const values = [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 31, 2 ** 40 + 7, 2 ** 45 + 3];
    const b = new ByteBuffer(4);
    encodeList(b, values);
    const bytes = b.take();
    expect(decodeList(bytes, 0, bytes.length)).toEqual(values);
  });

  it('a run written in pages answers every key, keys spanning several pages included', () => {
    const rng = new Prng(5);
    const lists = new Map<string, number[]>();
    for (let k = 0; k < 2_000; k++) {
      const key = `k${String(rng.int(0, 99_999)).padStart(5, '0')}`;
      const size = rng.chance(0.02) ? rng.int(200, 3_000) : rng.int(1, 5);
      const set = new Set<number>();
      while (set.size < size) set.add(rng.int(0, 1_000_000));
      lists.set(key, [...set].sort((a, b) => a - b));
    }
    const rows: MirrorIndexRow[] = [];
    const w = new RunWriter(1, 1, (r) => rows.push(r), 600);
    const keys = [...lists.keys()].sort();
    keys.forEach((k, i) => {
      const list = lists.get(k) as number[];
      if (i % 2 === 0) w.add(k, list);
      else {
        const b = new ByteBuffer();
        encodeList(b, list);
        w.addEncoded(k, b.take());
      }
    });
    w.finish();
    expect(rows.some((r) => r.part > 0)).toBe(true);
    const sorted = [...rows].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.part - b.part));
    expect(sorted).toEqual(rows);
    const fence = fenceOf(rows.map((r) => [r.gen, r.run, r.first, r.part]));
    const get = (k: string): number[] => {
      const out: number[] = [];
      for (const i of pagesFor(fence, k)) postingsIn(rows[i] as MirrorIndexRow, k, out);
      return out;
    };
    for (const k of keys) expect(get(k), k).toEqual(lists.get(k));
    expect(get('a')).toEqual([]);
    expect(get('k00000x')).toEqual([]);
    expect(get('zzz')).toEqual([]);
  });

  it('intersects sorted lists', () => {
    expect(intersect([1, 3, 5, 7, 9], [2, 3, 4, 9, 10])).toEqual([3, 9]);
    expect(intersect([], [1])).toEqual([]);
  });
});
