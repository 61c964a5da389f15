/**
 * Collects the index keys of one run in typed arrays and emits them sorted, without creating an
 * object per key or per posting while records stream in (a load of 1,000,000 records makes
 * ~16 million postings; as Map entries and arrays they cost more CPU and GC than everything else).
 *
 * - Identifiers: 32-bit hash + a parallel array of the strings; stably radix-sorted by hash.
 *   The stored key is `i` + 8 hex digits of the hash + the identifier, so string order (what
 *   IndexedDB and the merge compare) is hash order, and no string sort is needed.
 * - Name bigrams: the two UTF-16 code units packed in 32 bits, stably radix-sorted: that is the
 *   string order of the bigrams. Key `n` + the bigram.
 * - Record ids: `r` + id, sorted by a comparison sort that is linear when ids arrive in order.
 * Positions are pushed in ascending order, and the sorts are stable, so every key's postings
 * come out ascending (as the index format requires) without sorting them.
 */
import type { RunWriter } from './postings';

class U32 {
  a = new Uint32Array(1 << 14);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

class F64 {
  a = new Float64Array(1 << 14);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

/** FNV-1a over UTF-16 code units, finished with murmur3's mixer. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex8 = (h: number): string => h.toString(16).padStart(8, '0');

/** The index key of an identifier. */
export function idKey(identifier: string): string {
  return `i${hex8(hash32(identifier))}${identifier}`;
}

/** The index key of a bigram (2 UTF-16 code units). */
export function gramKey(bigram: string): string {
  return `n${bigram}`;
}

export function recordKey(id: string): string {
  return `r${id}`;
}

/** A stable order of indices 0 … n−1 by 32-bit key: LSD radix sort, two 16-bit passes. */
export function radixOrder(keys: Uint32Array, n: number): Int32Array {
  const count = new Int32Array(65_537);
  const tmp = new Int32Array(n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) (count[((keys[i] as number) & 0xffff) + 1] as number)++;
  for (let b = 1; b <= 65_536; b++) count[b] = (count[b] as number) + (count[b - 1] as number);
  for (let i = 0; i < n; i++) tmp[(count[(keys[i] as number) & 0xffff] as number)++] = i;
  count.fill(0);
  for (let i = 0; i < n; i++) (count[((keys[i] as number) >>> 16) + 1] as number)++;
  for (let b = 1; b <= 65_536; b++) count[b] = (count[b] as number) + (count[b - 1] as number);
  for (let j = 0; j < n; j++) {
    const i = tmp[j] as number;
    out[(count[(keys[i] as number) >>> 16] as number)++] = i;
  }
  return out;
}

export class RunBuilder {
  private idHash = new U32();
  private idVal = new F64();
  private idStr: string[] = [];
  private gramCode = new U32();
  private gramPos = new F64();
  private recIds: string[] = [];
  private recPos: number[] = [];

  get size(): number {
    return this.recIds.length;
  }

  /** `value` = position · 2 + (0 subject | 1 legal representative). */
  addId(identifier: string, value: number): void {
    this.idHash.push(hash32(identifier));
    this.idVal.push(value);
    this.idStr.push(identifier);
  }

  addName(name: string, pos: number): void {
    for (let i = 0; i + 1 < name.length; i++) {
      this.gramCode.push(((name.charCodeAt(i) << 16) | name.charCodeAt(i + 1)) >>> 0);
      this.gramPos.push(pos);
    }
  }

  addRecord(id: string, pos: number): void {
    this.recIds.push(id);
    this.recPos.push(pos);
  }

  /**
   * Feeds every key with its postings, in key order, to `writer`; yields whenever `pause()`
   * says so, so the caller can write the finished pages out.
   */
  *emit(writer: RunWriter, pause: () => boolean): Generator<void, void, undefined> {
    const buf = new F64();
    const values = (): Float64Array => buf.a.subarray(0, buf.n);

    // Identifiers, by hash; strings that share a hash are told apart (and ordered) by value.
    {
      const { a: hashes, n } = this.idHash;
      const vals = this.idVal.a;
      const strs = this.idStr;
      const order = radixOrder(hashes, n);
      let j = 0;
      while (j < n) {
        const h = hashes[order[j] as number] as number;
        let end = j;
        let single = true;
        const first = strs[order[j] as number] as string;
        while (end < n && hashes[order[end] as number] === h) {
          if (strs[order[end] as number] !== first) single = false;
          end++;
        }
        const groups = single ? [first] : [...new Set(Array.from(order.subarray(j, end), (i) => strs[i] as string))].sort();
        for (const id of groups) {
          buf.n = 0;
          let prev = -1;
          for (let k = j; k < end; k++) {
            const i = order[k] as number;
            if (!single && strs[i] !== id) continue;
            const v = vals[i] as number;
            if (v !== prev) buf.push(v);
            prev = v;
          }
          writer.add(`i${hex8(h)}${id}`, values());
        }
        j = end;
        if (pause()) yield;
      }
    }
    writer.breakPage();

    // Bigrams, by packed code = string order.
    {
      const { a: codes, n } = this.gramCode;
      const pos = this.gramPos.a;
      const order = radixOrder(codes, n);
      let j = 0;
      while (j < n) {
        const c = codes[order[j] as number] as number;
        buf.n = 0;
        let prev = -1;
        while (j < n && codes[order[j] as number] === c) {
          const p = pos[order[j] as number] as number;
          if (p !== prev) buf.push(p);
          prev = p;
          j++;
        }
        writer.add(`n${String.fromCharCode(c >>> 16, c & 0xffff)}`, values());
        if (pause()) yield;
      }
    }
    writer.breakPage();

    // Record ids.
    {
      const ids = this.recIds;
      const order = ids.map((_, i) => i);
      order.sort((a, b) => {
        const x = ids[a] as string;
        const y = ids[b] as string;
        return x < y ? -1 : x > y ? 1 : a - b;
      });
      let j = 0;
      while (j < order.length) {
        const id = ids[order[j] as number] as string;
        buf.n = 0;
        while (j < order.length && ids[order[j] as number] === id) buf.push(this.recPos[order[j++] as number] as number);
        writer.add(`r${id}`, values());
        if (pause()) yield;
      }
    }
    writer.finish();
  }

  clear(): void {
    this.idHash.n = 0;
    this.idVal.n = 0;
    this.idStr = [];
    this.gramCode.n = 0;
    this.gramPos.n = 0;
    this.recIds = [];
    this.recPos = [];
  }
}
