/**
 * The look-up file: a read-only copy of one mirror generation's identifier index pages and
 * record pages in a single file of the origin-private file system, read by the look-up worker
 * through a synchronous access handle. A look-up from IndexedDB costs two round trips through
 * the browser process (p99 8–10 ms on the 2-core machine, most of it thread hand-offs); the
 * same pages read from this file answer in well under a millisecond (test/bench/README.md,
 * "2026-12-04 afternoon"). IndexedDB stays the mirror: the file is derived from it, built after
 * a generation becomes current, named after that generation and thrown away with it.
 *
 * Layout (little-endian): a header of HEADER_BYTES, then the pages one after another, then two
 * tables of Float64 offsets (page i's bytes are [off[i], off[i + 1]); an absent record page has
 * an empty range). The header is written last, after the pages and tables are flushed, with
 * `complete` = 1: a file whose build was cut short is never read.
 */
import type { MirrorIndexRow, MirrorPageRow } from './database';

/** The part of a FileSystemSyncAccessHandle the file needs (an in-memory one in Node's tests). */
export interface RandomAccessFile {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

const MAGIC = 0x4b4c4348; // "HCLK"
const FORMAT = 1;
export const HEADER_BYTES = 64;

export interface LookupFileHeader {
  gen: number;
  builtAt: number;
  /** The index run of identifier keys the file copies. */
  run: number;
  idPages: number;
  /** One more than the highest record page number. */
  recordPages: number;
}

/** A record page as the look-up decodes it: the records' text, and where each slot ends in it. */
export interface PageSlots {
  text: string;
  ends: ArrayLike<number>;
}

/** Thrown when a file's bytes do not hold what its header promises. */
export class LookupFileError extends Error {
  constructor(what: string) {
    super(`查询文件损坏：${what}`);
    this.name = 'LookupFileError';
  }
}

const utf8 = new TextEncoder();

/**
 * UTF-8 → string in plain JS, for the look-up worker's reads: a TextDecoder call on a fresh
 * view of the read buffer gave each page read a browser-side object of its own, and their
 * clean-up held the worker's thread 10–40 ms after each of its collections, every ~115 ms
 * under back-to-back look-ups (test/bench/README.md). Malformed bytes give U+FFFD.
 */
export function utf8Text(bytes: Uint8Array): string {
  const units: number[] = [];
  let out = '';
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i++] as number;
    let cp = 0xfffd;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b < 0xe0) {
      const c = bytes[i] as number;
      if (i < n && (c & 0xc0) === 0x80) {
        cp = ((b & 0x1f) << 6) | (c & 0x3f);
        i += 1;
      }
    } else if (b >= 0xe0 && b < 0xf0) {
      const c = bytes[i] as number;
      const d = bytes[i + 1] as number;
      if (i + 1 < n && (c & 0xc0) === 0x80 && (d & 0xc0) === 0x80) {
        const v = ((b & 0x0f) << 12) | ((c & 0x3f) << 6) | (d & 0x3f);
        if (v >= 0x800 && (v < 0xd800 || v > 0xdfff)) {
          cp = v;
          i += 2;
        }
      }
    } else if (b >= 0xf0 && b < 0xf5) {
      const c = bytes[i] as number;
      const d = bytes[i + 1] as number;
      const e = bytes[i + 2] as number;
      if (i + 2 < n && (c & 0xc0) === 0x80 && (d & 0xc0) === 0x80 && (e & 0xc0) === 0x80) {
        const v = ((b & 0x07) << 18) | ((c & 0x3f) << 12) | ((d & 0x3f) << 6) | (e & 0x3f);
        if (v >= 0x10000 && v <= 0x10ffff) {
          cp = v;
          i += 3;
        }
      }
    }
    if (cp > 0xffff) {
      cp -= 0x10000;
      units.push(0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff));
    } else units.push(cp);
    if (units.length >= 4_096) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return out + String.fromCharCode(...units);
}
const pad4 = (n: number): number => (n + 3) & ~3;

/** An index page as bytes: 5 lengths, then first, keys (each padded to 4), kends, ends, post. */
export function encodeIndexPage(row: MirrorIndexRow): Uint8Array {
  const first = utf8.encode(row.first);
  const keys = utf8.encode(row.keys);
  const size = 24 + pad4(first.length) + pad4(keys.length) + 4 * (row.kends.length + row.ends.length) + row.post.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  [row.part, first.length, keys.length, row.kends.length, row.ends.length, row.post.length].forEach((n, i) => v.setUint32(i * 4, n, true));
  let at = 24;
  out.set(first, at);
  at += pad4(first.length);
  out.set(keys, at);
  at += pad4(keys.length);
  out.set(new Uint8Array(row.kends.buffer, row.kends.byteOffset, row.kends.byteLength), at);
  at += row.kends.byteLength;
  out.set(new Uint8Array(row.ends.buffer, row.ends.byteOffset, row.ends.byteLength), at);
  at += row.ends.byteLength;
  out.set(row.post, at);
  return out;
}

export function decodeIndexPage(bytes: Uint8Array, gen: number, run: number): MirrorIndexRow {
  if (bytes.byteOffset % 4 !== 0 || bytes.length < 24) throw new LookupFileError('索引页过短');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [part, firstLen, keysLen, kendsLen, endsLen, postLen] = [0, 1, 2, 3, 4, 5].map((i) => v.getUint32(i * 4, true)) as [number, number, number, number, number, number];
  let at = 24;
  const first = utf8Text(bytes.subarray(at, at + firstLen));
  at += pad4(firstLen);
  const keys = utf8Text(bytes.subarray(at, at + keysLen));
  at += pad4(keysLen);
  if (at + 4 * (kendsLen + endsLen) + postLen !== bytes.length) throw new LookupFileError('索引页长度不符');
  const kends = new Uint32Array(bytes.buffer, bytes.byteOffset + at, kendsLen);
  at += 4 * kendsLen;
  const ends = new Uint32Array(bytes.buffer, bytes.byteOffset + at, endsLen);
  at += 4 * endsLen;
  return { gen, run, first, part, keys, kends, ends, post: bytes.subarray(at, at + postLen) };
}

/** A record page as bytes: the slot count, the ends, the UTF-8 text. */
export function encodeRecordPage(row: MirrorPageRow): Uint8Array {
  const ends = row.ends ?? new Uint32Array(0);
  const text = row.utf8 ?? new Uint8Array(0);
  const out = new Uint8Array(4 + ends.byteLength + text.length);
  new DataView(out.buffer).setUint32(0, ends.length, true);
  out.set(new Uint8Array(ends.buffer, ends.byteOffset, ends.byteLength), 4);
  out.set(text, 4 + ends.byteLength);
  return out;
}

export function decodeRecordPage(bytes: Uint8Array, gen: number, page: number): MirrorPageRow {
  if (bytes.byteOffset % 4 !== 0 || bytes.length < 4) throw new LookupFileError('记录页过短');
  const n = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  if (4 + 4 * n > bytes.length) throw new LookupFileError('记录页长度不符');
  return { gen, page, ends: new Uint32Array(bytes.buffer, bytes.byteOffset + 4, n), utf8: bytes.subarray(4 + 4 * n) };
}

/**
 * Writes a look-up file: `idPages` in fence order, then the record pages by page number (any
 * order; absent numbers stay empty). Resolves once the header is flushed.
 */
export async function writeLookupFile(
  file: RandomAccessFile,
  header: Omit<LookupFileHeader, 'idPages' | 'recordPages'>,
  idPages: AsyncIterable<readonly MirrorIndexRow[]>,
  recordPages: AsyncIterable<readonly MirrorPageRow[]>,
): Promise<LookupFileHeader> {
  file.truncate(0);
  let at = HEADER_BYTES;
  const put = (bytes: Uint8Array): void => {
    // Each page starts 4-aligned, so its Uint32 arrays can be read in place.
    at = pad4(at);
    file.write(bytes, { at });
    at += bytes.length;
  };
  const idStarts: number[] = [];
  const idEnds: number[] = [];
  for await (const rows of idPages) {
    for (const row of rows) {
      const bytes = encodeIndexPage(row);
      put(bytes);
      idStarts.push(at - bytes.length);
      idEnds.push(at);
    }
  }
  const recStarts: number[] = [];
  const recEnds: number[] = [];
  for await (const rows of recordPages) {
    for (const row of rows) {
      if (!Number.isInteger(row.page) || row.page < 0) throw new LookupFileError(`记录页号 ${row.page}`);
      const bytes = encodeRecordPage(row);
      put(bytes);
      recStarts[row.page] = at - bytes.length;
      recEnds[row.page] = at;
    }
  }
  const recordCount = recStarts.length;
  const table = new Float64Array(2 * (idStarts.length + recordCount));
  idStarts.forEach((s, i) => {
    table[2 * i] = s;
    table[2 * i + 1] = idEnds[i] as number;
  });
  for (let p = 0; p < recordCount; p++) {
    table[2 * (idStarts.length + p)] = recStarts[p] ?? 0;
    table[2 * (idStarts.length + p) + 1] = recEnds[p] ?? 0;
  }
  const tableAt = (at + 7) & ~7;
  file.write(new Uint8Array(table.buffer), { at: tableAt });
  file.flush();
  const done: LookupFileHeader = { ...header, idPages: idStarts.length, recordPages: recordCount };
  file.write(encodeHeader(done, tableAt), { at: 0 });
  file.flush();
  return done;
}

function encodeHeader(h: LookupFileHeader, tableAt: number): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC, true);
  v.setUint32(4, FORMAT, true);
  v.setUint32(8, 1, true); // complete
  v.setUint32(12, h.run, true);
  v.setFloat64(16, h.gen, true);
  v.setFloat64(24, h.builtAt, true);
  v.setFloat64(32, h.idPages, true);
  v.setFloat64(40, h.recordPages, true);
  v.setFloat64(48, tableAt, true);
  return out;
}

/** The sizes of the views a LookupFile reads through. */
const READ_SIZES = [4_096, 8_192, 16_384, 32_768, 65_536];

/** A complete look-up file opened for reading; `open` gives undefined for any other file. */
export class LookupFile {
  private constructor(
    private readonly file: RandomAccessFile,
    readonly header: LookupFileHeader,
    private readonly table: Float64Array,
  ) {}

  static open(file: RandomAccessFile): LookupFile | undefined {
    const size = file.getSize();
    if (size < HEADER_BYTES) return undefined;
    const head = new Uint8Array(HEADER_BYTES);
    file.read(head, { at: 0 });
    const v = new DataView(head.buffer);
    if (v.getUint32(0, true) !== MAGIC || v.getUint32(4, true) !== FORMAT || v.getUint32(8, true) !== 1) return undefined;
    const header: LookupFileHeader = {
      run: v.getUint32(12, true),
      gen: v.getFloat64(16, true),
      builtAt: v.getFloat64(24, true),
      idPages: v.getFloat64(32, true),
      recordPages: v.getFloat64(40, true),
    };
    const tableAt = v.getFloat64(48, true);
    if (![header.idPages, header.recordPages].every((n) => Number.isSafeInteger(n) && n >= 0)) return undefined;
    const entries = 2 * (header.idPages + header.recordPages);
    if (!Number.isSafeInteger(tableAt) || tableAt + entries * 8 > size) return undefined;
    const table = new Float64Array(entries);
    file.read(new Uint8Array(table.buffer), { at: tableAt });
    return new LookupFile(file, header, table);
  }

  /**
   * Range `i` read into a buffer that every read reuses, through one of a few views kept for
   * good (the smallest that holds the range; the file is read a little past its end). Each new
   * buffer or view handed to `read` makes the browser a wrapper object of its own: in the
   * look-up worker, a new Uint8Array per page read made collections every ~100 ms that held
   * its thread 10–50 ms (test/bench/README.md). The result is valid until the next read.
   */
  private slice(i: number): Uint8Array | undefined {
    const start = this.table[2 * i] as number;
    const end = this.table[2 * i + 1] as number;
    if (end <= start) return undefined;
    const n = end - start;
    let k = 0;
    while (k < this.views.length && (this.views[k] as Uint8Array).length < n) k++;
    if (k === this.views.length) {
      let size = (this.views[k - 1] as Uint8Array).length;
      while (size < n) size *= 2;
      this.scratch = new Uint8Array(size);
      this.views = READ_SIZES.filter((s) => s < size).map((s) => this.scratch.subarray(0, s));
      this.views.push(this.scratch);
      k = this.views.length - 1;
    }
    if (this.file.read(this.views[k] as Uint8Array, { at: start }) < n) throw new LookupFileError(`第 ${i} 段读取不全`);
    return this.scratch.subarray(0, n);
  }

  private scratch = new Uint8Array(READ_SIZES[READ_SIZES.length - 1] as number);
  private views = READ_SIZES.map((s) => this.scratch.subarray(0, s));

  /** Page `i` of the identifier run, in fence order: its arrays are valid until the next read. */
  idPage(i: number): MirrorIndexRow | undefined {
    if (!(i >= 0 && i < this.header.idPages)) return undefined;
    const b = this.slice(i);
    return b && decodeIndexPage(b, this.header.gen, this.header.run);
  }

  /** Record page `page`: its arrays are valid until the next read (recordSlots keeps nothing shared). */
  recordPage(page: number): MirrorPageRow | undefined {
    if (!(page >= 0 && page < this.header.recordPages)) return undefined;
    const b = this.slice(this.header.idPages + page);
    return b && decodeRecordPage(b, this.header.gen, page);
  }

  /** Record page `page` as its text and slot ends, copied out of the read buffer. */
  recordSlots(page: number): PageSlots | undefined {
    const row = this.recordPage(page);
    if (!row?.utf8 || !row.ends) return undefined;
    return { text: utf8Text(row.utf8), ends: Array.from(row.ends) };
  }

  get bytes(): number {
    return this.file.getSize();
  }

  close(): void {
    this.file.close();
  }
}

/** A RandomAccessFile in memory, for tests and for engines without the file system. */
export class MemoryFile implements RandomAccessFile {
  private data = new Uint8Array(0);
  private size = 0;
  closed = false;

  read(buffer: Uint8Array, { at }: { at: number }): number {
    const n = Math.max(0, Math.min(buffer.length, this.size - at));
    buffer.set(this.data.subarray(at, at + n));
    return n;
  }

  write(buffer: Uint8Array, { at }: { at: number }): number {
    const end = at + buffer.length;
    if (end > this.data.length) {
      const grown = new Uint8Array(Math.max(end, this.data.length * 2));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    }
    this.data.set(buffer, at);
    this.size = Math.max(this.size, end);
    return buffer.length;
  }

  truncate(size: number): void {
    if (size < this.size) this.data.fill(0, size, this.size);
    this.size = size;
  }

  getSize(): number {
    return this.size;
  }

  flush(): void {}

  close(): void {
    this.closed = true;
  }
}
