import { describe, expect, it } from 'vitest';
import type { MirrorIndexRow, MirrorSpillRow } from './database';
import { RunWriter, fenceOf, pagesFor, postingsIn } from './postings';
import { Scratch, combineSpill, hash32, idKey, radixOrder, radixSortPairs } from './run-builder';

describe('run builder', () => {
  it('radix orders are stable and sorted', () => {
    const keys = Uint32Array.from([5, 0xffff0001, 5, 3, 0x10000, 3, 0xffff0001]);
    expect(Array.from(radixOrder(keys, keys.length))).toEqual([3, 5, 0, 2, 4, 1, 6]);
    const sorted = radixSortPairs(keys, Float64Array.from([0, 1, 2, 3, 4, 5, 6]), keys.length);
    expect(Array.from(sorted.vals)).toEqual([3, 5, 0, 2, 4, 1, 6]);
  });

  it('sorts the same with reused scratch arrays, a big sort first and then smaller ones', () => {
    let seed = 12345;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const scratch = new Scratch();
    for (const n of [5_000, 700, 3, 2_000]) {
      const keys = Uint32Array.from({ length: n }, () => rand() % 50);
      const vals = Float64Array.from({ length: n }, (_, i) => i);
      const fresh = radixOrder(keys, n);
      const reused = radixOrder(keys, n, scratch, 'a');
      expect(reused.length).toBe(n);
      expect(Array.from(reused)).toEqual(Array.from(fresh));
      const pairs = radixSortPairs(keys, vals, n, scratch);
      expect(Array.from(pairs.keys)).toEqual(Array.from(radixSortPairs(keys, vals, n).keys));
      expect(Array.from(pairs.vals)).toEqual(Array.from(fresh));
      // Another name keeps the first result intact.
      radixOrder(Uint32Array.from(keys).reverse(), n, scratch, 'b');
      expect(Array.from(reused)).toEqual(Array.from(fresh));
    }
  });

  it('combines spills over runs, telling apart identifiers that share a hash', () => {
    const h = hash32('A');
    const spill = (run: number, entries: [string, number][]): MirrorSpillRow => ({
      gen: 1,
      run: 0,
      first: 's00',
      part: run,
      hashes: Uint32Array.from(entries.map(() => h)),
      vals: Float64Array.from(entries.map(([, v]) => v)),
      ids: entries.map(([id]) => id).join(''),
      idEnds: Uint32Array.from(entries.map((_, i) => entries.slice(0, i + 1).reduce((n, [id]) => n + id.length, 0))),
    });
    // 'B' pretends to have A's hash: a collision.
    // Once with fresh arrays, then with scratch arrays left dirty by a bigger partition.
    const scratch = new Scratch();
    const big = spill(3, Array.from({ length: 500 }, (_, i): [string, number] => [i % 2 ? 'A' : 'B', 1_000 + i]));
    combineSpill([big], new RunWriter(1, 8, () => undefined), scratch);
    for (const s of [undefined, scratch]) {
      const rows: MirrorIndexRow[] = [];
      const w = new RunWriter(1, 9, (r) => rows.push(r));
      combineSpill([spill(1, [['A', 2], ['B', 4], ['A', 6], ['A', 6]]), spill(2, [['B', 10], ['A', 12]])], w, s);
      w.finish();
      const fence = fenceOf(rows.map((r) => [r.gen, r.run, r.first, r.part]));
      const get = (k: string): number[] => pagesFor(fence, k).flatMap((i) => postingsIn(rows[i] as MirrorIndexRow, k));
      expect(get(idKey('A'))).toEqual([2, 6, 12]);
      expect(get(`i${h.toString(16).padStart(8, '0')}B`)).toEqual([4, 10]);
    }
  });
});
