import { hash32, hash32b } from '../db/run-builder';

/**
 * The record ids a load has taken, kept as 64-bit hashes in typed arrays (open addressing):
 * 1,000,000 ids in 16 MB outside the JS heap. A `Set` of the id strings kept ~50 MB in the sync
 * worker's heap (1,000,000 ids of 16 characters parsed from pages, measured in Node), walked
 * again by every major collection while the load parsed its pages, and took twice as long.
 *
 * Two ids with the same hashes count as one. The load stays exact all the same: the second id's
 * changes then go to the overflow, which is applied through the delta path right after the
 * switch, and an upsert or delete applied there gives the mirror the same content.
 */
export class SeenIds {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private n = 0;

  constructor(
    capacity = 1 << 16,
    private readonly h1: (id: string) => number = hash32,
    private readonly h2: (id: string) => number = hash32b,
  ) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
  }

  get size(): number {
    return this.n;
  }

  has(id: string): boolean {
    const a = this.h1(id) >>> 0;
    const b = this.second(id);
    const mask = this.hi.length - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const l = this.lo[i] as number;
      if (l === 0) return false;
      if (l === b && this.hi[i] === a) return true;
    }
  }

  /** Adds `id`; false when it (or an id with the same hashes) was there already. */
  add(id: string): boolean {
    if ((this.n + 1) * 2 > this.hi.length) this.grow();
    return this.place(this.h1(id) >>> 0, this.second(id));
  }

  /** The second hash, never 0 (0 marks an empty slot). */
  private second(id: string): number {
    return this.h2(id) >>> 0 || 1;
  }

  private place(a: number, b: number): boolean {
    const mask = this.hi.length - 1;
    let i = a & mask;
    for (;;) {
      const l = this.lo[i] as number;
      if (l === 0) break;
      if (l === b && this.hi[i] === a) return false;
      i = (i + 1) & mask;
    }
    this.hi[i] = a;
    this.lo[i] = b;
    this.n++;
    return true;
  }

  private grow(): void {
    const { hi, lo } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(lo.length * 2);
    this.n = 0;
    for (let i = 0; i < hi.length; i++) if (lo[i] !== 0) this.place(hi[i] as number, lo[i] as number);
  }
}
