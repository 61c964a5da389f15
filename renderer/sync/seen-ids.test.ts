import { describe, expect, it } from 'vitest';
import { SeenIds } from './seen-ids';

describe('SeenIds', () => {
  it('answers like a Set of the ids through growth', () => {
    const seen = new SeenIds(4);
    const set = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const id = `R${(i * 7919) % 30_011}`;
      expect(seen.add(id)).toBe(!set.has(id));
      set.add(id);
    }
    expect(seen.size).toBe(set.size);
    for (let i = 0; i < 31_000; i++) expect(seen.has(`R${i}`)).toBe(set.has(`R${i}`));
    expect(seen.has('not-an-id')).toBe(false);
  });

  it('counts ids with the same hashes as one, and a second hash of 0 as 1', () => {
    const seen = new SeenIds(16, (id) => id.length, () => 0);
    expect(seen.add('ab')).toBe(true);
    expect(seen.add('cd')).toBe(false);
    expect(seen.has('xy')).toBe(true);
    expect(seen.has('abc')).toBe(false);
    expect(seen.add('abc')).toBe(true);
    expect(seen.size).toBe(2);
  });
});
