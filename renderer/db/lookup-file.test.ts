import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MirrorIndexRow, MirrorPageRow } from './database';
import {
  HEADER_BYTES,
  LookupFile,
  LookupFileError,
  MemoryFile,
  decodeIndexPage,
  decodeRecordPage,
  encodeIndexPage,
  encodeRecordPage,
  utf8Text,
  writeLookupFile,
  type LookupFileHeader,
} from './lookup-file';
import { RunWriter, keyAt, pagesFor, postingsIn } from './postings';

const GEN = 7;
const RUN = 3;
const HEAD = { gen: GEN, builtAt: 1_764_800_000_123.5, run: RUN };

const utf8 = new TextEncoder();

/** Yields `rows` in chunks of `size`, as buildLookupFile's reads do. */
async function* chunked<T>(rows: readonly T[], size = 2): AsyncGenerator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** A Uint32Array that is a view at a non-zero offset of a bigger buffer (as rows read from IndexedDB may be). */
function offsetU32(values: readonly number[]): Uint32Array {
  const buffer = new ArrayBuffer(4 * (values.length + 3));
  const out = new Uint32Array(buffer, 8, values.length);
  out.set(values);
  return out;
}

function indexRow(first: string, part: number, keys: readonly string[], post: readonly number[]): MirrorIndexRow {
  let at = 0;
  const kends = offsetU32(keys.map((k) => (at += k.length)));
  // One byte of postings per key (a varint < 128), so `ends` are 1, 2, 3, …
  const ends = offsetU32(keys.map((_, i) => i + 1));
  return { gen: GEN, run: RUN, first, part, keys: keys.join(''), kends, ends, post: Uint8Array.from(post) };
}

function recordRow(page: number, texts: readonly string[]): MirrorPageRow {
  const ends: number[] = [];
  let at = 0;
  for (const t of texts) ends.push((at += t.length));
  return { gen: GEN, page, ends: Uint32Array.from(ends), utf8: utf8.encode(texts.join('')) };
}

/** The fields of an index row, typed arrays as plain arrays (so a difference shows as values). */
function plainIndex(row: MirrorIndexRow | undefined): unknown {
  if (!row) return row;
  return { ...row, kends: [...row.kends], ends: [...row.ends], post: [...row.post] };
}

function plainRecord(row: MirrorPageRow | undefined): unknown {
  if (!row) return row;
  return { ...row, ends: [...(row.ends ?? [])], utf8: [...(row.utf8 ?? [])] };
}

async function written(idPages: readonly MirrorIndexRow[], recordPages: readonly MirrorPageRow[]): Promise<{ file: MemoryFile; header: LookupFileHeader }> {
  const file = new MemoryFile();
  const header = await writeLookupFile(file, HEAD, chunked(idPages), chunked(recordPages, 3));
  return { file, header };
}

const ID_PAGES: MirrorIndexRow[] = [
  indexRow('h0001', 0, ['h0001', 'h0002', 'h0003'], [4, 9, 12]),
  // Odd byte lengths, non-ASCII: the following arrays must still start 4-aligned.
  indexRow('i张三', 0, ['i张三', 'i李四五'], [2, 3]),
  indexRow('i张三', 1, ['i张三'], [100]),
  indexRow('n临沂', 0, ['n临沂', 'n沂蒙山', 'x'], [1, 127, 5]),
];
const RECORD_PAGES: MirrorPageRow[] = [
  // Out of page order, with gaps: pages 1, 3 and 4 are absent.
  recordRow(5, ['["五号页"]', '["记录"]']),
  recordRow(0, ['["A"]', '["临沂市兰山区某某有限公司","91371300MA3C000000"]', '[1]']),
  recordRow(2, ['["单"]']),
];

describe('the look-up file', () => {
  it('gives back every identifier index page and record page as written, absent record pages as undefined', async () => {
    const { file, header } = await written(ID_PAGES, RECORD_PAGES);
    expect(header).toEqual({ ...HEAD, idPages: 4, recordPages: 6 });
    const lf = LookupFile.open(file);
    expect(lf).toBeDefined();
    if (!lf) return;
    expect(lf.header).toEqual(header);
    expect(lf.bytes).toBe(file.getSize());

    ID_PAGES.forEach((row, i) => {
      const back = lf.idPage(i);
      expect(back?.kends).toBeInstanceOf(Uint32Array);
      expect(back?.ends).toBeInstanceOf(Uint32Array);
      expect(back?.post).toBeInstanceOf(Uint8Array);
      expect(plainIndex(back), `id page ${i}`).toEqual(plainIndex(row));
      // The decoded page answers as the original does.
      for (let k = 0; k < row.kends.length; k++) {
        const key = keyAt(row, k);
        expect(keyAt(back as MirrorIndexRow, k)).toBe(key);
        expect(postingsIn(back as MirrorIndexRow, key)).toEqual(postingsIn(row, key));
      }
    });
    for (const row of RECORD_PAGES) {
      const back = lf.recordPage(row.page);
      expect(back?.ends).toBeInstanceOf(Uint32Array);
      expect(plainRecord(back), `record page ${row.page}`).toEqual(plainRecord(row));
      expect(new TextDecoder().decode(back?.utf8)).toBe(new TextDecoder().decode(row.utf8));
    }
    for (const absent of [1, 3, 4]) expect(lf.recordPage(absent), `record page ${absent}`).toBeUndefined();
    // recordSlots copies out of the read buffer: what it gave stays as it was after more reads.
    const slots = RECORD_PAGES.map((row) => lf.recordSlots(row.page));
    RECORD_PAGES.forEach((row, i) => {
      expect(slots[i]?.text, `record page ${row.page}`).toBe(new TextDecoder().decode(row.utf8));
      expect(Array.from(slots[i]?.ends ?? [])).toEqual([...(row.ends ?? [])]);
    });
    // Out of range.
    for (const i of [-1, 4, 5, 1_000, Number.NaN]) expect(lf.idPage(i), `id page ${i}`).toBeUndefined();
    for (const p of [-1, 6, 7, 1_000, Number.NaN]) expect(lf.recordPage(p), `record page ${p}`).toBeUndefined();
  });

  it('reads pages bigger than its read buffer, and small ones after them, whole', async () => {
    const big = recordRow(1, ['["' + '临'.repeat(40_000) + '"]', '["尾"]']);
    const pages = [recordRow(0, ['["前"]']), big, recordRow(2, ['["后"]'])];
    const { file } = await written([], pages);
    const lf = LookupFile.open(file) as LookupFile;
    for (const row of [...pages, ...pages.slice().reverse()]) {
      const slots = lf.recordSlots(row.page);
      expect(slots?.text).toBe(new TextDecoder().decode(row.utf8));
      expect(Array.from(slots?.ends ?? [])).toEqual(Array.from(row.ends ?? []));
    }
  });

  it('holds the pages of a real run (RunWriter) with Chinese keys and postings that overflow a page', async () => {
    const rows: MirrorIndexRow[] = [];
    const writer = new RunWriter(GEN, RUN, (row) => rows.push(row), 96);
    const keys = ['h00aa', 'i临', 'i临沂', 'i临沂市', 'i兰山区张三', 'n沂蒙', 'n𠮷野'].sort();
    const postings = new Map<string, number[]>();
    keys.forEach((k, i) => {
      // One key's postings span several pages (parts 0, 1, …).
      const values = Array.from({ length: i === 3 ? 90 : i + 1 }, (_, j) => 1_000 * i + 37 * j);
      postings.set(k, values);
      writer.add(k, values);
    });
    writer.finish();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.some((r) => r.part > 0)).toBe(true);

    const { file } = await written(rows, [recordRow(0, ['x'])]);
    const lf = LookupFile.open(file) as LookupFile;
    expect(lf.header.idPages).toBe(rows.length);
    expect(rows.map((_, i) => plainIndex(lf.idPage(i)))).toEqual(rows.map(plainIndex));
    const fence = { firsts: rows.map((r) => r.first), parts: rows.map((r) => r.part) };
    for (const [key, values] of postings) {
      const found: number[] = [];
      // A page read is valid until the next read: each is used at once, as lookupFromFile does.
      for (const i of pagesFor(fence, key)) postingsIn(lf.idPage(i) as MirrorIndexRow, key, found);
      expect(found, key).toEqual(values);
    }
  });

  it('keeps the Uint32 arrays aligned whatever the byte lengths of first and keys', async () => {
    const pieces = ['', 'a', '临', 'ab', 'a临', '临沂', 'abc', 'a临沂', '𠮷'];
    const rows: MirrorIndexRow[] = [];
    for (const first of pieces) {
      for (const rest of pieces) rows.push(indexRow(first, rows.length % 3, [first, `${first}${rest}z`], [3, 200 & 0x7f]));
    }
    const records = pieces.map((p, page) => recordRow(page, [`"${p}"`, p, `${p}${p}`]));
    const { file } = await written(rows, records);
    const lf = LookupFile.open(file) as LookupFile;
    expect(lf.header.idPages).toBe(rows.length);
    rows.forEach((row, i) => expect(plainIndex(lf.idPage(i)), `${row.first} | ${row.keys}`).toEqual(plainIndex(row)));
    records.forEach((row) => expect(plainRecord(lf.recordPage(row.page))).toEqual(plainRecord(row)));
  });

  it('encodes and decodes a page alone; a page of the wrong length or alignment is refused', () => {
    const row = ID_PAGES[1] as MirrorIndexRow;
    const bytes = encodeIndexPage(row);
    expect(plainIndex(decodeIndexPage(bytes, GEN, RUN))).toEqual(plainIndex(row));
    expect(() => decodeIndexPage(bytes.subarray(0, bytes.length - 1), GEN, RUN)).toThrow(LookupFileError);
    expect(() => decodeIndexPage(bytes.subarray(0, 20), GEN, RUN)).toThrow(LookupFileError);
    const shifted = new Uint8Array(bytes.length + 2);
    shifted.set(bytes, 2);
    expect(() => decodeIndexPage(shifted.subarray(2), GEN, RUN)).toThrow(LookupFileError);

    const page = RECORD_PAGES[1] as MirrorPageRow;
    const pb = encodeRecordPage(page);
    expect(plainRecord(decodeRecordPage(pb, GEN, page.page))).toEqual(plainRecord(page));
    expect(() => decodeRecordPage(pb.subarray(0, 8), GEN, 0)).toThrow(LookupFileError);
    // A page row without records (ends and utf8 absent) comes back empty.
    const empty = decodeRecordPage(encodeRecordPage({ gen: GEN, page: 9 }), GEN, 9);
    expect([...(empty.ends ?? [1])]).toEqual([]);
    expect(empty.utf8?.length).toBe(0);
  });

  it('an empty generation gives a file without pages', async () => {
    const { file, header } = await written([], []);
    expect(header).toEqual({ ...HEAD, idPages: 0, recordPages: 0 });
    const lf = LookupFile.open(file) as LookupFile;
    expect(lf.header).toEqual(header);
    expect(lf.idPage(0)).toBeUndefined();
    expect(lf.recordPage(0)).toBeUndefined();
  });

  it('refuses a negative record page number', async () => {
    const file = new MemoryFile();
    await expect(writeLookupFile(file, HEAD, chunked(ID_PAGES), chunked([{ ...recordRow(0, ['x']), page: -1 }]))).rejects.toThrow(LookupFileError);
    expect(LookupFile.open(file)).toBeUndefined();
  });
});

describe('a file that is not a complete look-up file', () => {
  it('is not opened when its header was never written (zeroed header bytes)', async () => {
    const { file } = await written(ID_PAGES, RECORD_PAGES);
    expect(LookupFile.open(file)).toBeDefined();
    file.write(new Uint8Array(HEADER_BYTES), { at: 0 });
    expect(LookupFile.open(file)).toBeUndefined();
  });

  it('is not opened when its build was cut short, even over a complete file of before', async () => {
    const { file } = await written(ID_PAGES, RECORD_PAGES);
    expect(LookupFile.open(file)).toBeDefined();
    async function* failing(): AsyncGenerator<MirrorPageRow[]> {
      yield RECORD_PAGES.slice(0, 1);
      throw new Error('读取中断');
    }
    await expect(writeLookupFile(file, HEAD, chunked(ID_PAGES), failing())).rejects.toThrow('读取中断');
    // Pages were written, but no header.
    expect(file.getSize()).toBeGreaterThan(HEADER_BYTES);
    expect(LookupFile.open(file)).toBeUndefined();
  });

  it('is not opened with a wrong magic, format or completion mark', async () => {
    const { file } = await written(ID_PAGES, RECORD_PAGES);
    const head = new Uint8Array(HEADER_BYTES);
    file.read(head, { at: 0 });
    for (const at of [0, 3, 4, 8]) {
      const bad = head.slice();
      bad[at] = (bad[at] as number) ^ 0x10;
      file.write(bad, { at: 0 });
      expect(LookupFile.open(file), `byte ${at}`).toBeUndefined();
    }
    file.write(head, { at: 0 });
    expect(LookupFile.open(file)).toBeDefined();
  });

  it('is not opened when its header counts pages that cannot be (negative, fractional, not a number)', async () => {
    const { file } = await written(ID_PAGES, RECORD_PAGES);
    const head = new Uint8Array(HEADER_BYTES);
    file.read(head, { at: 0 });
    for (const at of [32, 40]) {
      for (const count of [-2, 1.5, Number.NaN]) {
        const bad = head.slice();
        new DataView(bad.buffer).setFloat64(at, count, true);
        file.write(bad, { at: 0 });
        expect(LookupFile.open(file), `${count} at ${at}`).toBeUndefined();
      }
    }
    file.write(head, { at: 0 });
    expect(LookupFile.open(file)).toBeDefined();
  });

  it('is not opened when shorter than its header, or when its offset tables are cut off', async () => {
    expect(LookupFile.open(new MemoryFile())).toBeUndefined();
    const { file } = await written(ID_PAGES, RECORD_PAGES);
    const size = file.getSize();
    file.truncate(size - 8);
    expect(LookupFile.open(file)).toBeUndefined();
    file.truncate(HEADER_BYTES - 1);
    expect(LookupFile.open(file)).toBeUndefined();
  });
});

describe('MemoryFile', () => {
  it('reads what was written, short at the end, and zeros after a truncate', () => {
    const f = new MemoryFile();
    expect(f.write(Uint8Array.from([1, 2, 3]), { at: 5 })).toBe(3);
    expect(f.getSize()).toBe(8);
    const buf = new Uint8Array(6);
    expect(f.read(buf, { at: 4 })).toBe(4);
    expect([...buf]).toEqual([0, 1, 2, 3, 0, 0]);
    f.truncate(6);
    f.write(Uint8Array.from([9]), { at: 9 });
    const all = new Uint8Array(10);
    expect(f.read(all, { at: 0 })).toBe(10);
    expect([...all]).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 9]);
    expect(f.read(new Uint8Array(4), { at: 20 })).toBe(0);
    f.close();
    expect(f.closed).toBe(true);
  });
});

describe('utf8Text', () => {
  it('decodes what TextEncoder wrote as TextDecoder does', () => {
    const decoder = new TextDecoder();
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii', maxLength: 9_000 })), (s) => {
        const bytes = new TextEncoder().encode(s);
        expect(utf8Text(bytes)).toBe(decoder.decode(bytes));
      }),
      { numRuns: 500 },
    );
    // Longer than one chunk of code units, with characters outside the BMP.
    const long = '临沂𠮷a'.repeat(3_000);
    expect(utf8Text(new TextEncoder().encode(long))).toBe(long);
  });

  it('gives U+FFFD for malformed bytes and goes on', () => {
    expect(utf8Text(Uint8Array.of(0x41, 0xff, 0x42))).toBe('A\ufffdB');
    expect(utf8Text(Uint8Array.of(0xe4, 0xb8))).toBe('\ufffd\ufffd');
    expect(utf8Text(Uint8Array.of(0xed, 0xa0, 0x80))).toBe('\ufffd\ufffd\ufffd');
    expect(utf8Text(Uint8Array.of(0xc0, 0x80))).toBe('\ufffd\ufffd');
  });
});
