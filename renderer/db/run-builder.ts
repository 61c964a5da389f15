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
 * - identifiers: a 64-bit hash (two independent 32-bit hashes) with the posting, collected
 *   over all runs in three typed arrays (IdCollector, 12 bytes an occurrence) and sorted into
 *   the generation's identifier run at the end of the load. The stored key is `h` + 16 hex
 *   digits of the hash, so string order (what IndexedDB compares) is hash order; it does not
 *   hold the identifier, so a look-up checks the records it reads (two identifiers sharing all
 *   64 bits would only cost it a record read). Generations written before 2026-12-04 hold
 *   `i` + 8 hex digits + the identifier instead (legacyIdKey), and are read as they are;
 * - name bigrams: the two UTF-16 code units packed in 32 bits; radix order = string order;
 *   key `n` + the bigram, postings = page numbers;
 * - record ids: `r` + id (a comparison sort, linear when ids arrive in order).
 * Postings come out ascending, as the index format requires.
 */
import type { MirrorPageRow } from './database';
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

/** A second 32-bit hash, independent of hash32: murmur2-style steps, murmur3's mixer with other constants. */
export function hash32b(s: string): number {
  let h = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex8 = (h: number): string => h.toString(16).padStart(8, '0');

/** The index key of an identifier hashed to (h1, h2): `h` + 16 hex digits. */
const hashedIdKey = (h1: number, h2: number): string => `h${hex8(h1)}${hex8(h2)}`;

/** 16-bit values as 4 hex digits, made by the first load that writes keys (not by a look-up). */
let hex4: string[] | undefined;

/** hashedIdKey from a table: a load writes ~1.5 million keys per 1,000,000 records (4× faster). */
function hashedIdKeyInBulk(h1: number, h2: number): string {
  const t = (hex4 ??= Array.from({ length: 65_536 }, (_, i) => i.toString(16).padStart(4, '0')));
  return `h${t[h1 >>> 16]}${t[h1 & 0xffff]}${t[h2 >>> 16]}${t[h2 & 0xffff]}`;
}

/** The index key of an identifier. */
export function idKey(identifier: string): string {
  return hashedIdKey(hash32(identifier), hash32b(identifier));
}

/** The key of an identifier in generations written before hashed keys (`i` + hash + the identifier). */
export function legacyIdKey(identifier: string): string {
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

export class RunBuilder {
  private encoded: string[] = [];
  private cluster = new U32();
  private names: string[] = [];
  private recIds: string[] = [];
  private idHash = new U32();
  private idHash2 = new U32();
  /** arrival index · 2 + (0 subject | 1 legal representative) */
  private idVal = new F64();
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
    this.idHash2.push(hash32b(identifier));
    this.idVal.push(value);
  }

  /**
   * Lays the run out in pages from `firstPage` on (`page` gets each finished page), hands its
   * identifier postings to `ids` and feeds every other key with its postings, in key order, to
   * `writer`. Yields whenever `pause()` says so,
   * so the caller can write out what is finished. Returns the number of pages.
   */
  *emit(
    gen: number,
    firstPage: number,
    pageRecords: number,
    slots: number,
    page: (row: MirrorPageRow) => void,
    ids: IdCollector,
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

    // Identifiers: their postings at the positions the clustering gave, for the load's end.
    {
      const vals = this.idVal.a;
      for (let k = 0; k < this.idVal.n; k++) {
        const v = vals[k] as number;
        const arrival = Math.floor(v / 2);
        ids.add(this.idHash.a[k] as number, this.idHash2.a[k] as number, (posOf[arrival] as number) * 2 + (v - arrival * 2));
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
    this.idHash2.n = 0;
    this.idVal.n = 0;
  }
}

/**
 * The identifier postings of a whole load: per occurrence the identifier's two hashes and
 * position · 2 + role, 12 bytes in typed arrays (~34 MB at 1,000,000 records, ~2.8 identifiers
 * each), never an object per entry. `write` sorts them by hash and emits the identifier run.
 */
export class IdCollector {
  private readonly h1 = new U32();
  private readonly h2 = new U32();
  private readonly vals = new U32();

  add(h1: number, h2: number, value: number): void {
    if (value >= 2 ** 32) throw new RangeError('名单镜像过大：记录位置超出索引范围');
    this.h1.push(h1);
    this.h2.push(h2);
    this.vals.push(value);
  }

  /**
   * Feeds each identifier key with its ascending, distinct postings to `writer`, in key order.
   * Yields every `step` keys, so a caller can write out the pages finished so far.
   */
  *write(writer: RunWriter, scratch = new Scratch(), step = 50_000): Generator<void, void, undefined> {
    const n = this.vals.n;
    const h1 = this.h1.a;
    const h2 = this.h2.a;
    const vals = this.vals.a;
    // Stable LSD order by (h1, h2): first by h2, then by h1.
    const byLow = radixOrder(h2, n, scratch, 'ids.low');
    const hi = scratch.uint32('ids.hi', n);
    for (let j = 0; j < n; j++) hi[j] = h1[byLow[j] as number] as number;
    const byHigh = radixOrder(hi, n, scratch, 'ids.high');
    const values = new F64();
    let keys = 0;
    let j = 0;
    while (j < n) {
      const first = byLow[byHigh[j] as number] as number;
      const a = h1[first] as number;
      const b = h2[first] as number;
      values.n = 0;
      for (; j < n; j++) {
        const e = byLow[byHigh[j] as number] as number;
        if (h1[e] !== a || h2[e] !== b) break;
        values.push(vals[e] as number);
      }
      sortRange(values.a, 0, values.n);
      writer.add(hashedIdKeyInBulk(a, b), dedupe(values));
      if (++keys % step === 0) yield;
    }
  }

  clear(): void {
    this.h1.n = this.h2.n = this.vals.n = 0;
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
