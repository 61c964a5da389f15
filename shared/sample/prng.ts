/**
 * A small seeded pseudo-random generator for synthetic test data (never for anything secret).
 *
 * mulberry32: 32-bit state, period 2^32, fast and good enough for sampling. Written here rather
 * than taken from a package so the sample data stays byte-identical across dependency updates:
 * the same seed must give the same subjects and records on every machine, forever.
 */

/** Final mixer of MurmurHash3: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes integers to a 32-bit seed. Used to derive an independent stream per subject or record
 * index, so item `i` can be generated without generating items 0 … i−1 first.
 */
export function hash32(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Fold in the high bits too, so indices above 2^32 (or negative seeds) still differ.
    h = fmix32(h ^ (p >>> 0));
    h = fmix32(h ^ (Math.floor(p / 0x1_0000_0000) >>> 0));
  }
  return h;
}

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next 32-bit unsigned integer (mulberry32 step). */
  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): need integers with min ≤ max`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniformly chosen element; throws on an empty array (a bug in the caller's table). */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An element chosen with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    if (!(total > 0)) throw new RangeError('weighted() needs a positive total weight');
    let r = this.next() * total;
    let last: T | undefined;
    for (const [item, w] of items) {
      if (w <= 0) continue;
      r -= w;
      last = item;
      if (r < 0) return item;
    }
    // Floating-point leftovers: the last element with weight (total > 0 guarantees one).
    return last as T;
  }
}

/** A generator seeded from a hash of the given integers (see hash32). */
export function prngFor(...parts: readonly number[]): Prng {
  return new Prng(hash32(...parts));
}
