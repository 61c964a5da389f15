/** The ZIP central-directory reader and the bomb guards of renderer/import/zip-guard.ts. */
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bookBytes, templateBook } from '../../renderer/import/template-workbook';
import {
  DEFAULT_ZIP_LIMITS,
  ZipGuardError,
  checkZipEntries,
  entryDataOffset,
  inflatedSize,
  isCompoundFile,
  isZip,
  readZipDirectory,
  verifyInflation,
} from '../../renderer/import/zip-guard';
import { repetitiveXml, zipBytes, type ZipInput } from '../support/zip-writer';

const enc = new TextEncoder();
const files: ZipInput[] = [
  { name: 'a.txt', data: enc.encode('hello hello hello hello') },
  { name: '目录/中文名.xml', data: enc.encode('<x>数据</x>'.repeat(100)) },
  { name: 'stored.bin', data: Uint8Array.from([1, 2, 3, 4, 5]), store: true },
];

function guardError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ZipGuardError) return e.message;
    throw e;
  }
  throw new Error('expected a ZipGuardError');
}

describe('central directory', () => {
  it('reads names, methods and sizes, and finds each entry’s data', () => {
    const zip = zipBytes(files);
    const entries = readZipDirectory(zip);
    expect(entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ['a.txt', 8, 23],
      ['目录/中文名.xml', 8, files[1]?.data.length],
      ['stored.bin', 0, 5],
    ]);
    const e = entries[1];
    if (!e) throw new Error('no entry');
    const start = entryDataOffset(zip, e);
    expect(new TextDecoder().decode(inflateRawSync(zip.subarray(start, start + e.compressedSize)))).toBe('<x>数据</x>'.repeat(100));
  });

  it('agrees with a real .xlsx written by SheetJS', () => {
    const xlsx = bookBytes(templateBook('list'));
    const entries = readZipDirectory(xlsx);
    expect(entries.map((e) => e.name)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']));
    for (const e of entries) {
      const start = entryDataOffset(xlsx, e);
      const data = xlsx.subarray(start, start + e.compressedSize);
      expect((e.method === 8 ? inflateRawSync(data) : data).length).toBe(e.uncompressedSize);
    }
  });

  it('finds the end record behind an archive comment', () => {
    const zip = zipBytes(files, { comment: 'x'.repeat(1000) });
    expect(readZipDirectory(zip)).toHaveLength(3);
  });

  it('reads ZIP64 sizes and offsets', () => {
    const zip = zipBytes(files, { zip64: true });
    const entries = readZipDirectory(zip);
    expect(entries.map((e) => [e.name, e.uncompressedSize])).toEqual(readZipDirectory(zipBytes(files)).map((e) => [e.name, e.uncompressedSize]));
    expect(entries.every((e) => e.localHeaderOffset < zip.length && e.compressedSize < 0xffffffff)).toBe(true);
  });

  it('refuses truncated and malformed archives with a ZipGuardError', () => {
    const zip = zipBytes(files);
    expect(guardError(() => readZipDirectory(zip.subarray(0, zip.length - 10)))).toContain('文件已损坏');
    expect(guardError(() => readZipDirectory(zip.subarray(0, 10)))).toContain('文件已损坏');
    const moved = zip.slice();
    // Point the directory past the end of the file.
    const eocd = moved.length - 22;
    new DataView(moved.buffer).setUint32(eocd + 16, moved.length, true);
    expect(guardError(() => readZipDirectory(moved))).toContain('文件已损坏');
  });

  it('refuses too many entries before walking them', () => {
    const many = zipBytes(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: enc.encode('x'), store: true })));
    expect(guardError(() => readZipDirectory(many, 10))).toContain('超过上限 10');
  });

  it('tells ZIP from OLE2 (old .xls, encrypted workbooks) from anything else', () => {
    expect(isZip(zipBytes(files))).toBe(true);
    expect(isZip(enc.encode('PK'))).toBe(false);
    expect(isCompoundFile(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toBe(true);
    expect(isZip(enc.encode('名称,代码\n'))).toBe(false);
  });
});

describe('limits', () => {
  const entry = (over: Partial<Parameters<typeof checkZipEntries>[0][number]>) => ({
    name: 'xl/worksheets/sheet1.xml',
    flags: 0,
    method: 8,
    compressedSize: 1_000_000,
    uncompressedSize: 5_000_000,
    localHeaderOffset: 0,
    ...over,
  });

  it('passes an ordinary sheet (5:1)', () => {
    expect(() => checkZipEntries([entry({})], 2_000_000)).not.toThrow();
  });

  it('refuses a ratio above 100:1 for big entries, not for small ones', () => {
    expect(guardError(() => checkZipEntries([entry({ compressedSize: 10_000, uncompressedSize: 5_000_000 })], 2_000_000))).toMatch(/压缩比为 500:1.*压缩炸弹/);
    expect(() => checkZipEntries([entry({ compressedSize: 1_000, uncompressedSize: 500_000 })], 2_000_000)).not.toThrow();
  });

  it('refuses a declared total above 500 MB, spread over entries', () => {
    const six = Array.from({ length: 6 }, (_, i) => entry({ name: `s${i}`, compressedSize: 10_000_000, uncompressedSize: 100 * 1024 * 1024 }));
    expect(guardError(() => checkZipEntries(six, 60_000_000))).toContain('超过 500 MB');
    expect(() => checkZipEntries(six.slice(0, 4), 60_000_000)).not.toThrow();
  });

  it('refuses encryption and unknown compression methods', () => {
    expect(guardError(() => checkZipEntries([entry({ flags: 1 })], 2_000_000))).toContain('已加密');
    expect(guardError(() => checkZipEntries([entry({ method: 12 })], 2_000_000))).toContain('不支持的压缩方式（12');
  });

  it('the defaults are the documented ones', () => {
    expect(DEFAULT_ZIP_LIMITS).toMatchObject({ maxUncompressedBytes: 500 * 1024 * 1024, maxRatio: 100 });
  });
});

describe('bounded inflation', () => {
  it('counts the output and stops past the cap', async () => {
    const bomb = zipBytes([{ name: 'b', data: repetitiveXml(20 * 1024 * 1024) }]);
    const [e] = readZipDirectory(bomb);
    if (!e) throw new Error('no entry');
    const start = entryDataOffset(bomb, e);
    const data = bomb.subarray(start, start + e.compressedSize);
    expect(await inflatedSize(data, Infinity)).toBe(20 * 1024 * 1024);
    const capped = await inflatedSize(data, 100_000);
    expect(capped).toBeGreaterThan(100_000);
    expect(capped).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses an entry that inflates beyond its declared size, passes honest ones', async () => {
    const honest = zipBytes(files);
    await expect(verifyInflation(honest, readZipDirectory(honest))).resolves.toBeUndefined();
    const lying = zipBytes([{ name: 'x.xml', data: repetitiveXml(5 * 1024 * 1024), uncompressedSize: 1000 }]);
    await expect(verifyInflation(lying, readZipDirectory(lying))).rejects.toThrow(/大于其声明的大小/);
  });

  it('refuses deflate data that is garbage', async () => {
    const junk = zipBytes([{ name: 'x.xml', data: Uint8Array.from({ length: 200 }, (_, i) => (i * 37) % 256), deflated: true, uncompressedSize: 10_000 }]);
    await expect(verifyInflation(junk, readZipDirectory(junk))).rejects.toThrow(/无法解压/);
  });
});
