import { describe, expect, it } from 'vitest';
import type { MirrorIndexRow } from './database';
import { RunWriter, fenceOf, pagesFor, postingsIn } from './postings';
import { IdCollector, Scratch, hash32, hash32b, idKey, legacyIdKey, radixOrder, radixSortPairs } from './run-builder';

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

  it('collects identifier postings over runs and writes each hash once, postings ascending and distinct, in key order', () => {
    let seed = 99;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const ids = new IdCollector();
    const want = new Map<string, Set<number>>();
    // 3,000 occurrences of 200 identifiers; hashes chosen so that many share h1 or h2 alone.
    for (let i = 0; i < 3_000; i++) {
      const who = rand() % 200;
      const h1 = who % 7 === 0 ? 0xffffffff : (who * 2654435761) >>> 0;
      const h2 = who % 5;
      const v = rand() % 100_000;
      ids.add(h1, h2, v);
      const key = `h${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
      (want.get(key) ?? want.set(key, new Set()).get(key))?.add(v);
    }
    for (const scratch of [undefined, new Scratch()]) {
      const rows: MirrorIndexRow[] = [];
      const w = new RunWriter(1, 9, (r) => rows.push(r), 256);
      let yields = 0;
      for (const _ of ids.write(w, scratch, 10)) yields++;
      w.finish();
      expect(yields).toBeGreaterThan(5);
      const written = rows.flatMap((r) => Array.from({ length: r.kends.length }, (_, i) => r.keys.substring(i === 0 ? 0 : (r.kends[i - 1] as number), r.kends[i] as number)));
      const distinct = [...new Set(written)];
      expect(distinct).toEqual([...want.keys()].sort());
      const fence = fenceOf(rows.map((r) => [r.gen, r.run, r.first, r.part]));
      for (const [key, values] of want) {
        const got = pagesFor(fence, key).flatMap((i) => postingsIn(rows[i] as MirrorIndexRow, key));
        expect(got).toEqual([...values].sort((a, b) => a - b));
      }
    }
    expect(() => ids.add(1, 1, 2 ** 32)).toThrow(RangeError);
  });

  it('keys an identifier by two independent hashes', () => {
    expect(idKey('91310000MA1FL0000X')).toMatch(/^h[0-9a-f]{16}$/);
    expect(idKey('A')).not.toBe(idKey('B'));
    // Identifiers sharing the first hash's top 18 bits still differ in the second hash.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair && i < 200_000; i++) {
      const s = `id${i}`;
      const h = hash32(s) >>> 14;
      const other = seen.get(h);
      if (other !== undefined) pair = [other, s];
      seen.set(h, s);
    }
    expect(pair).toBeDefined();
    const [a, b] = pair as [string, string];
    expect(hash32b(a)).not.toBe(hash32b(b));
    expect(legacyIdKey('A')).toBe(`i${hash32('A').toString(16).padStart(8, '0')}A`);
  });
});
