/**
 * The mirror index format: sorted runs of (key → ascending positions), cut into pages of about
 * INDEX_PAGE_BYTES, positions stored as varint deltas. Pure functions and classes, no I/O:
 * mirror-store.ts reads and writes the rows.
 *
 * Page rules (they make a look-up one `get`):
 * - keys ascend within a page and from page to page; a page is keyed [gen, run, first, part];
 * - a key's postings are either inside one page, or — when they do not fit in one page — the key
 *   starts a fresh page (part 0) and continues in pages of the same `first`, parts 1, 2, …;
 *   the last of those may go on with the following keys;
 * - each page's list for a key starts with an absolute value, so every page decodes alone.
 * Hence for key k: the last page whose [first, part] ≤ [k, ∞) holds k — unless that page's first
 * is k itself, in which case all pages with first = k hold it, in part order.
 */
import type { MirrorIndexRow } from './database';

export const INDEX_PAGE_BYTES = 16_384;
const INDEX_PAGE_KEYS = 1_024;

// ---------------------------------------------------------------- varints

export class ByteBuffer {
  buf: Uint8Array;
  len = 0;
  constructor(capacity = 1_024) {
    this.buf = new Uint8Array(capacity);
  }
  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.len + need) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  /** Appends a non-negative integer (≤ 2^53) as an unsigned LEB128 varint. */
  varint(n: number): void {
    if (this.len + 8 > this.buf.length) this.grow(8);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }
  bytes(b: Uint8Array): void {
    if (this.len + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  /** A copy of exactly the written bytes (a view would make IndexedDB clone the whole buffer). */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.len = 0;
    return out;
  }
}

/** Appends `values` (ascending) as absolute first value + deltas. */
export function encodeList(out: ByteBuffer, values: ArrayLike<number>, from = 0, to = values.length): void {
  let prev = 0;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    out.varint(i === from ? v : v - prev);
    prev = v;
  }
}

/** Decodes a list written by encodeList, appending to `into`. */
export function decodeList(bytes: Uint8Array, start: number, end: number, into: number[] = []): number[] {
  let prev = 0;
  let first = true;
  let i = start;
  while (i < end) {
    let n = 0;
    let mul = 1;
    let b: number;
    do {
      b = bytes[i++] as number;
      n += (b & 0x7f) * mul;
      mul *= 0x80;
    } while (b & 0x80);
    prev = first ? n : prev + n;
    first = false;
    into.push(prev);
  }
  return into;
}

// ---------------------------------------------------------------- writing a run

/**
 * Writes one sorted run. Feed keys in ascending order, each once (postings ascending), then
 * finish(); every finished page goes to `emit`.
 */
export class RunWriter {
  private keys: string[] = [];
  private ends: number[] = [];
  private keyBytes = 0;
  private part = 0;
  private readonly post = new ByteBuffer(INDEX_PAGE_BYTES + 1_024);
  private readonly scratch = new ByteBuffer(4_096);
  pages = 0;

  constructor(
    private readonly gen: number,
    readonly run: number,
    private readonly emit: (row: MirrorIndexRow) => void,
    private pageBytes = INDEX_PAGE_BYTES,
  ) {}

  /** Adds a key with its ascending postings. */
  add(key: string, values: ArrayLike<number>): void {
    encodeList(this.scratch, values);
    if (this.scratch.len + key.length * 2 <= this.pageBytes) {
      this.placeEncoded(key, this.scratch.buf.subarray(0, this.scratch.len));
      this.scratch.len = 0;
      return;
    }
    this.scratch.len = 0;
    this.addLarge(key, values);
  }

  /** Adds a key whose postings are already one encoded list (first value absolute). */
  addEncoded(key: string, bytes: Uint8Array): void {
    if (bytes.length + key.length * 2 <= this.pageBytes) this.placeEncoded(key, bytes);
    else this.addLarge(key, decodeList(bytes, 0, bytes.length));
  }

  private placeEncoded(key: string, bytes: Uint8Array): void {
    if (this.keys.length > 0 && (this.post.len + bytes.length + (this.keyBytes + key.length) * 2 > this.pageBytes || this.keys.length >= INDEX_PAGE_KEYS)) {
      this.close();
    }
    this.post.bytes(bytes);
    this.keys.push(key);
    this.keyBytes += key.length;
    this.ends.push(this.post.len);
  }

  /** A key too big for one page: fresh page part 0, then continuation parts. */
  private addLarge(key: string, values: ArrayLike<number>): void {
    if (this.keys.length > 0) this.close();
    let i = 0;
    let part = 0;
    while (i < values.length) {
      if (part > 0) this.close(part);
      // Fill this page up to the budget, one varint at a time (an upper bound of 8 bytes each).
      const room = Math.max(16, this.pageBytes - key.length * 2);
      let prev = 0;
      const start = i;
      while (i < values.length && this.post.len + 8 <= room) {
        const v = values[i] as number;
        this.post.varint(i === start ? v : v - prev);
        prev = v;
        i++;
      }
      this.keys.push(key);
      this.keyBytes += key.length;
      this.ends.push(this.post.len);
      part++;
    }
    // The last part stays open for the following keys; `part` of this page is part − 1.
    this.part = part - 1;
  }

  private close(nextPart = 0): void {
    if (this.keys.length === 0) return;
    const first = this.keys[0] as string;
    const kends = new Uint32Array(this.keys.length);
    let at = 0;
    this.keys.forEach((k, i) => (kends[i] = at += k.length));
    this.emit({
      gen: this.gen,
      run: this.run,
      first,
      part: this.part,
      keys: this.keys.join(''),
      kends,
      ends: Uint32Array.from(this.ends),
      post: this.post.take(),
    });
    this.pages++;
    this.keys = [];
    this.ends = [];
    this.keyBytes = 0;
    this.part = nextPart;
  }

  /** Ends the current page: the next key starts a new one (used between key namespaces), optionally with another page budget. */
  breakPage(pageBytes = this.pageBytes): void {
    this.close();
    this.pageBytes = pageBytes;
  }

  finish(): void {
    this.close();
  }
}

// ---------------------------------------------------------------- reading

/** The [first, part] of every page of one run, ascending: kept in memory per generation. */
export interface Fence {
  firsts: string[];
  parts: number[];
}

export function fenceOf(keys: readonly IDBValidKey[]): Fence {
  const firsts: string[] = [];
  const parts: number[] = [];
  for (const k of keys) {
    const a = k as [number, number, string, number];
    firsts.push(a[2]);
    parts.push(a[3]);
  }
  return { firsts, parts };
}

/** Indices (into the fence) of the pages that may hold `key`, in order. */
export function pagesFor(fence: Fence, key: string): number[] {
  const f = fence.firsts;
  // last i with f[i] <= key
  let lo = 0;
  let hi = f.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((f[mid] as string) <= key) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (at < 0) return [];
  if (f[at] !== key) return [at];
  let start = at;
  while (start > 0 && f[start - 1] === key) start--;
  const out: number[] = [];
  for (let i = start; i <= at; i++) out.push(i);
  return out;
}

/** Key i of an index page. */
export function keyAt(row: MirrorIndexRow, i: number): string {
  return row.keys.substring(i === 0 ? 0 : (row.kends[i - 1] as number), row.kends[i] as number);
}

/** Postings of `key` in one page (appended to `into`); nothing when the page lacks it. */
export function postingsIn(row: MirrorIndexRow, key: string, into: number[] = []): number[] {
  let lo = 0;
  let hi = row.kends.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = keyAt(row, mid);
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else {
      const start = mid === 0 ? 0 : (row.ends[mid - 1] as number);
      return decodeList(row.post, start, row.ends[mid] as number, into);
    }
  }
  return into;
}

/** Sorted intersection of two ascending lists. */
export function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}
