/**
 * One run of a load: its records and their index keys, collected in typed arrays while records
 * stream in, then laid out and emitted sorted at the end of the run. No object is created per
 * key or per posting (a load of 1,000,000 records makes ~16 million postings; as Map entries
 * and arrays they cost more CPU and GC than everything else).
 *
 * Layout: the run's records are placed in pages *clustered* by their legal representative's
 * identifier, or their own when they have none (radix order of its hash, arrival order within).
 * A company's records, the other companies of the same legal representative, and that person's
 * own records then share pages, so a look-up reads about one page per run instead of one page
 * per record (repeat offenders and serial entrepreneurs have dozens of records).
 *
 * Keys:
 * - identifiers: 32-bit hash + the string; spilled raw per hash partition (MirrorSpillRow) and
 *   combined over all runs at the end of the load (combineSpill). The stored key is `i` + 8 hex
 *   digits of the hash + the identifier, so string order (what IndexedDB compares) is hash
 *   order and no string sort is needed;
 * - name bigrams: the two UTF-16 code units packed in 32 bits; radix order = string order;
 *   key `n` + the bigram, postings = page numbers;
 * - record ids: `r` + id (a comparison sort, linear when ids arrive in order).
 * Postings come out ascending, as the index format requires.
 */
import type { MirrorPageRow, MirrorSpillRow } from './database';
import type { RunWriter } from './postings';

/** Identifier spills are partitioned by the top SPILL_BITS of the hash. */
export const SPILL_BITS = 6;
export const spillKey = (part: number): string => `s${part.toString(16).padStart(2, '0')}`;

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
  view(): Float64Array {
    return this.a.subarray(0, this.n);
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

/**
 * Typed arrays kept from one use to the next, by name: a run's sorts need tens of MB of
 * scratch, and on some machines fresh memory costs a page fault per 4 KiB touched
 * (test/bench/README.md). An array handed out may be longer than asked; only [0, n) is used.
 */
export class Scratch {
  private readonly arrays = new Map<string, Int32Array | Uint32Array | Float64Array>();
  /** `key` is the element type and the name, so one name never comes back as another type. */
  private get<T extends Int32Array | Uint32Array | Float64Array>(key: string, n: number, make: (length: number) => T): T {
    const a = this.arrays.get(key) as T | undefined;
    if (a && a.length >= n) return a;
    const fresh = make(Math.max(1_024, Math.ceil(n * 1.25)));
    this.arrays.set(key, fresh);
    return fresh;
  }
  int32(name: string, n: number): Int32Array {
    return this.get(`i32 ${name}`, n, (length) => new Int32Array(length));
  }
  uint32(name: string, n: number): Uint32Array {
    return this.get(`u32 ${name}`, n, (length) => new Uint32Array(length));
  }
  float64(name: string, n: number): Float64Array {
    return this.get(`f64 ${name}`, n, (length) => new Float64Array(length));
  }
}

/**
 * A stable order of indices 0 … n−1 by 32-bit key: LSD radix sort, two 16-bit passes. The
 * result lives in `scratch`'s array `name` (valid until that name is asked for again); without
 * a scratch of the caller's, in fresh arrays.
 */
export function radixOrder(keys: Uint32Array, n: number, scratch = new Scratch(), name = 'order'): Int32Array {
  const count = scratch.int32('radix.count', 65_537).fill(0, 0, 65_537);
  const tmp = scratch.int32('radix.tmp', n);
  const out = scratch.int32(name, n).subarray(0, n);
  for (let i = 0; i < n; i++) (count[((keys[i] as number) & 0xffff) + 1] as number)++;
  for (let b = 1; b <= 65_536; b++) count[b] = (count[b] as number) + (count[b - 1] as number);
  for (let i = 0; i < n; i++) tmp[(count[(keys[i] as number) & 0xffff] as number)++] = i;
  count.fill(0, 0, 65_537);
  for (let i = 0; i < n; i++) (count[((keys[i] as number) >>> 16) + 1] as number)++;
  for (let b = 1; b <= 65_536; b++) count[b] = (count[b] as number) + (count[b - 1] as number);
  for (let j = 0; j < n; j++) {
    const i = tmp[j] as number;
    out[(count[(keys[i] as number) >>> 16] as number)++] = i;
  }
  return out;
}

/**
 * Sorts (key, value) pairs by key, stably: LSD radix, two 16-bit passes; returns sorted copies,
 * in `scratch` (valid until its next use).
 */
export function radixSortPairs(keys: Uint32Array, vals: Float64Array, n: number, scratch = new Scratch()): { keys: Uint32Array; vals: Float64Array } {
  const count = scratch.int32('radix.count', 65_537).fill(0, 0, 65_537);
  const k1 = scratch.uint32('pairs.k1', n);
  const v1 = scratch.float64('pairs.v1', n);
  for (let i = 0; i < n; i++) (count[((keys[i] as number) & 0xffff) + 1] as number)++;
  for (let b = 1; b <= 65_536; b++) count[b] = (count[b] as number) + (count[b - 1] as number);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    const at = (count[k & 0xffff] as number)++;
    k1[at] = k;
    v1[at] = vals[i] as number;
  }
  count.fill(0, 0, 65_537);
  for (let i = 0; i < n; i++) (count[((k1[i] as number) >>> 16) + 1] as number)++;
  for (let b = 1; b <= 65_536; b++) count[b] = (count[b] as number) + (count[b - 1] as number);
  const k2 = scratch.uint32('pairs.k2', n).subarray(0, n);
  const v2 = scratch.float64('pairs.v2', n).subarray(0, n);
  for (let i = 0; i < n; i++) {
    const k = k1[i] as number;
    const at = (count[k >>> 16] as number)++;
    k2[at] = k;
    v2[at] = v1[i] as number;
  }
  return { keys: k2, vals: v2 };
}

const utf8 = new TextEncoder();

/** Sorts a small run of a Float64Array in place (insertion sort; typed-array sort when long). */
function sortRange(a: Float64Array, from: number, to: number): void {
  if (to - from > 32) {
    a.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= from && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

export interface RunRecord {
  /** The record as record-codec encoded it. */
  encoded: string;
  id: string;
  subjectName: string;
  /** Identifiers naming the subject. */
  subjectIds: readonly string[];
  legalRepId?: string | undefined;
}

/**
 * Sorts the values of one hash group (entries g … k of a partition) ascending, carrying each
 * entry's identifier along, and appends the identifiers to `ids` in the same order.
 */
function sortGroup(vals: Float64Array, byHash: Int32Array, base: number, g: number, k: number, strs: readonly string[], ids: string[]): void {
  const idx: number[] = [];
  for (let q = g; q < k; q++) idx.push(q);
  const v = Array.from(vals.subarray(g, k));
  idx.sort((a, b) => (v[a - g] as number) - (v[b - g] as number));
  idx.forEach((q, r) => {
    vals[g + r] = v[q - g] as number;
    ids.push(strs[byHash[base + q] as number] as string);
  });
}

export class RunBuilder {
  private encoded: string[] = [];
  private cluster = new U32();
  private names: string[] = [];
  private recIds: string[] = [];
  private idHash = new U32();
  /** arrival index · 2 + (0 subject | 1 legal representative) */
  private idVal = new F64();
  private idStr: string[] = [];
  /** Name bigrams of the run and their pages, and the sorts' scratch: kept from run to run. */
  private readonly gramCodes = new U32();
  private readonly gramPages = new F64();
  private readonly scratch = new Scratch();
  /** A page's UTF-8 while it is being filled. */
  private pageBuffer = new Uint8Array(16_384);

  get size(): number {
    return this.recIds.length;
  }

  add(r: RunRecord): void {
    const i = this.recIds.length;
    this.encoded.push(r.encoded);
    this.recIds.push(r.id);
    this.names.push(r.subjectName);
    for (const id of r.subjectIds) this.addId(id, i * 2);
    if (r.legalRepId) this.addId(r.legalRepId, i * 2 + 1);
    this.cluster.push(hash32(r.legalRepId ?? r.subjectIds[0] ?? r.id));
  }

  private addId(identifier: string, value: number): void {
    this.idHash.push(hash32(identifier));
    this.idVal.push(value);
    this.idStr.push(identifier);
  }

  /**
   * Lays the run out in pages from `firstPage` on (`page` gets each finished page) and feeds
   * every key with its postings, in key order, to `writer`. Yields whenever `pause()` says so,
   * so the caller can write out what is finished. Returns the number of pages.
   */
  *emit(
    gen: number,
    firstPage: number,
    pageRecords: number,
    slots: number,
    page: (row: MirrorPageRow) => void,
    spill: (row: MirrorSpillRow) => void,
    writer: RunWriter,
    pause: () => boolean,
  ): Generator<void, number, undefined> {
    const n = this.size;
    const order = radixOrder(this.cluster.a, n, this.scratch, 'cluster');
    const posOf = this.scratch.float64('posOf', n);

    // Pages, in cluster order: the page's records joined and encoded as UTF-8 into one reused
    // buffer, the page stored as an exact copy of its bytes.
    let pageNo = firstPage;
    let texts: string[] = [];
    const ends = new Uint32Array(pageRecords);
    let len = 0;
    const close = (): void => {
      const joined = texts.join('');
      // At most 3 bytes per UTF-16 code unit.
      if (joined.length * 3 > this.pageBuffer.length) this.pageBuffer = new Uint8Array(joined.length * 3);
      const { written } = utf8.encodeInto(joined, this.pageBuffer);
      page({ gen, page: pageNo, utf8: this.pageBuffer.slice(0, written), ends: ends.slice(0, texts.length) });
      pageNo++;
      texts = [];
      len = 0;
    };
    for (let rank = 0; rank < n; rank++) {
      const i = order[rank] as number;
      const text = this.encoded[i] as string;
      posOf[i] = pageNo * slots + texts.length;
      len += text.length;
      ends[texts.length] = len;
      texts.push(text);
      if (texts.length === pageRecords) {
        close();
        if (pause()) yield;
      }
    }
    if (texts.length > 0) close();
    const pages = pageNo - firstPage;

    const values = new F64();

    // Identifiers: spilled raw, by hash partition, to be combined over all runs at the end.
    {
      const hashes = this.idHash.a;
      const n2 = this.idHash.n;
      const vals = this.idVal.a;
      const strs = this.idStr;
      const byHash = radixOrder(hashes, n2, this.scratch, 'byHash');
      let j = 0;
      while (j < n2) {
        const part = (hashes[byHash[j] as number] as number) >>> (32 - SPILL_BITS);
        let end = j;
        while (end < n2 && (hashes[byHash[end] as number] as number) >>> (32 - SPILL_BITS) === part) end++;
        const m = end - j;
        const outHash = new Uint32Array(m);
        const outVal = new Float64Array(m);
        const outIds: string[] = [];
        const idEnds = new Uint32Array(m);
        let len = 0;
        // Within one hash, values in position order (the clustering moved them).
        let k = 0;
        while (k < m) {
          const h = hashes[byHash[j + k] as number] as number;
          const g = k;
          while (k < m && hashes[byHash[j + k] as number] === h) {
            const i = byHash[j + k] as number;
            const v = vals[i] as number;
            const arrival = Math.floor(v / 2);
            outHash[k] = h;
            outVal[k] = (posOf[arrival] as number) * 2 + (v - arrival * 2);
            k++;
          }
          if (k - g > 1) sortGroup(outVal, byHash, j, g, k, strs, outIds);
          else outIds.push(strs[byHash[j + g] as number] as string);
        }
        for (let q = 0; q < m; q++) idEnds[q] = len += (outIds[q] as string).length;
        spill({ gen, run: 0, first: spillKey(part), part: writer.run, hashes: outHash, vals: outVal, ids: outIds.join(''), idEnds });
        j = end;
        if (pause()) yield;
      }
    }
    writer.breakPage();

    // Bigrams → the PAGES whose names contain them (a name search verifies a page's records):
    // far fewer postings than per record, as a page's names share their common bigrams.
    // Pushed in page order, so each bigram's pages ascend after a stable sort.
    {
      const codes = this.gramCodes;
      const pos = this.gramPages;
      codes.n = pos.n = 0;
      for (let rank = 0; rank < n; rank++) {
        const i = order[rank] as number;
        const name = this.names[i] as string;
        const p = Math.floor((posOf[i] as number) / slots);
        for (let c = 0; c + 1 < name.length; c++) {
          codes.push(((name.charCodeAt(c) << 16) | name.charCodeAt(c + 1)) >>> 0);
          pos.push(p);
        }
      }
      const sorted = radixSortPairs(codes.a, pos.a, codes.n, this.scratch);
      const sc = sorted.keys;
      const sp = sorted.vals;
      let j = 0;
      while (j < codes.n) {
        const code = sc[j] as number;
        values.n = 0;
        let prev = -1;
        while (j < codes.n && sc[j] === code) {
          const p = sp[j] as number;
          if (p !== prev) values.push(p);
          prev = p;
          j++;
        }
        writer.add(`n${String.fromCharCode(code >>> 16, code & 0xffff)}`, values.view());
        if (pause()) yield;
      }
    }
    writer.breakPage();

    // Record ids.
    {
      const ids = this.recIds;
      const byId = ids.map((_, i) => i);
      byId.sort((a, b) => {
        const x = ids[a] as string;
        const y = ids[b] as string;
        return x < y ? -1 : x > y ? 1 : a - b;
      });
      let j = 0;
      while (j < byId.length) {
        const id = ids[byId[j] as number] as string;
        values.n = 0;
        while (j < byId.length && ids[byId[j] as number] === id) values.push(posOf[byId[j++] as number] as number);
        sortRange(values.a, 0, values.n);
        writer.add(`r${id}`, values.view());
        if (pause()) yield;
      }
    }
    writer.finish();
    return pages;
  }

  clear(): void {
    this.encoded = [];
    this.cluster.n = 0;
    this.names = [];
    this.recIds = [];
    this.idHash.n = 0;
    this.idVal.n = 0;
    this.idStr = [];
  }
}

/**
 * Writes the identifier keys of one hash partition from its spill rows (one per run, in run
 * order): entries sorted by hash, stably, so each identifier's positions ascend; identifiers
 * sharing a hash are told apart and written in string order.
 */
export function combineSpill(rows: readonly MirrorSpillRow[], writer: RunWriter, scratch = new Scratch()): void {
  let n = 0;
  for (const r of rows) n += r.hashes.length;
  const hashes = scratch.uint32('spill.hashes', n);
  const vals = scratch.float64('spill.vals', n);
  const rowOf = scratch.int32('spill.rowOf', n);
  const idxOf = scratch.int32('spill.idxOf', n);
  let at = 0;
  rows.forEach((r, ri) => {
    hashes.set(r.hashes, at);
    vals.set(r.vals, at);
    for (let i = 0; i < r.hashes.length; i++) {
      rowOf[at + i] = ri;
      idxOf[at + i] = i;
    }
    at += r.hashes.length;
  });
  const order = radixOrder(hashes, n, scratch, 'spill.order');
  const start = (e: number): number => {
    const i = idxOf[e] as number;
    return i === 0 ? 0 : ((rows[rowOf[e] as number] as MirrorSpillRow).idEnds[i - 1] as number);
  };
  const end = (e: number): number => (rows[rowOf[e] as number] as MirrorSpillRow).idEnds[idxOf[e] as number] as number;
  const idOf = (e: number): string => (rows[rowOf[e] as number] as MirrorSpillRow).ids.substring(start(e), end(e));
  const values = new F64();
  let j = 0;
  while (j < n) {
    const h = hashes[order[j] as number] as number;
    const first = idOf(order[j] as number);
    let k = j;
    let single = true;
    while (k < n && hashes[order[k] as number] === h) {
      const e = order[k] as number;
      // Same identifier as the group's first, compared in place (no substring per entry).
      if (single && (end(e) - start(e) !== first.length || !(rows[rowOf[e] as number] as MirrorSpillRow).ids.startsWith(first, start(e)))) single = false;
      k++;
    }
    const ids = single ? [first] : [...new Set(Array.from(order.subarray(j, k), idOf))].sort();
    for (const id of ids) {
      values.n = 0;
      for (let q = j; q < k; q++) {
        const e = order[q] as number;
        if (!single && idOf(e) !== id) continue;
        values.push(vals[e] as number);
      }
      writer.add(`i${hex8(h)}${id}`, dedupe(values));
    }
    j = k;
  }
}

/** Drops repeated values of a sorted list in place; returns the distinct ones. */
function dedupe(values: F64): Float64Array {
  const a = values.a;
  let w = 0;
  for (let i = 0; i < values.n; i++) if (w === 0 || a[i] !== a[w - 1]) a[w++] = a[i] as number;
  values.n = w;
  return values.view();
}
