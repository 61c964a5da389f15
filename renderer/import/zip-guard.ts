/**
 * Guards for an .xlsx (a ZIP container) BEFORE SheetJS sees it. SheetJS inflates every entry of
 * the central directory completely, trusting nothing and checking nothing on the way, so a
 * 50 KB "compression bomb" becomes gigabytes in memory and the worker dies. So we read the
 * central directory ourselves (no dependency: APPNOTE.TXT 4.3.12–4.3.16, with ZIP64) and refuse:
 *   - more than `maxEntries` entries;
 *   - encrypted entries, compression methods other than stored (0) and deflate (8);
 *   - a total declared uncompressed size above `maxUncompressedBytes`;
 *   - an entry above `ratioFloorBytes` whose declared uncompressed / compressed ratio exceeds
 *     `maxRatio` (real sheets compress 5–20×; zeros or repeated XML compress ~1000×);
 * and, because declared sizes can lie, `verifyInflation` actually inflates each deflated entry
 * as a stream (16 KB of input at a time, so memory stays bounded) and refuses any entry whose
 * output exceeds its declared size.
 *
 * Pure apart from DecompressionStream (browsers, workers and Node ≥ 18 all have it).
 */

export interface ZipEntry {
  name: string;
  /** General purpose flags (bit 0: encrypted, bit 3: sizes in a data descriptor). */
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the entry's local file header. */
  localHeaderOffset: number;
}

export interface ZipLimits {
  /** Entries in the archive (an .xlsx has 10–50). */
  maxEntries: number;
  /** Sum of the declared uncompressed sizes. */
  maxUncompressedBytes: number;
  /** Largest uncompressed / compressed ratio of one entry … */
  maxRatio: number;
  /** … for entries at least this big uncompressed (small entries can't hurt, and styles.xml compresses well). */
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxUncompressedBytes: 500 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

/** A ZIP that is malformed or over a limit; the message is Chinese and meant for the clerk. */
export class ZipGuardError extends Error {
  override readonly name = 'ZipGuardError';
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const MAX_COMMENT = 0xffff;

const corrupt = (what: string): ZipGuardError => new ZipGuardError(`文件已损坏，无法作为 Excel 工作簿打开（${what}）`);

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A 64-bit little-endian size; beyond 2^53 it is nonsense for us anyway. */
function u64(dv: DataView, at: number): number {
  return dv.getUint32(at + 4, true) * 0x1_0000_0000 + dv.getUint32(at, true);
}

/** True when the bytes start like a ZIP local file header (PK\x03\x04). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** True for an OLE2 compound file (D0 CF 11 E0): an old .xls, or an encrypted (password) workbook. */
export function isCompoundFile(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

interface Directory {
  offset: number;
  size: number;
  entries: number;
}

/** Finds the end-of-central-directory record (scanning back over a comment), ZIP64 if flagged. */
function findDirectory(bytes: Uint8Array): Directory {
  const dv = view(bytes);
  const last = bytes.length - 22;
  if (last < 0) throw corrupt('文件太短');
  let eocd = -1;
  for (let i = last; i >= Math.max(0, last - MAX_COMMENT); i--) {
    if (dv.getUint32(i, true) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('找不到 ZIP 目录结尾');
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 6, true) !== 0) throw corrupt('分卷 ZIP 不受支持');
  let dir: Directory = {
    entries: dv.getUint16(eocd + 10, true),
    size: dv.getUint32(eocd + 12, true),
    offset: dv.getUint32(eocd + 16, true),
  };
  if (dir.entries === 0xffff || dir.size === 0xffffffff || dir.offset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== SIG_ZIP64_LOCATOR) throw corrupt('ZIP64 目录定位记录缺失');
    const at = u64(dv, loc + 8);
    if (at + 56 > bytes.length || dv.getUint32(at, true) !== SIG_ZIP64_EOCD) throw corrupt('ZIP64 目录结尾无效');
    dir = { entries: u64(dv, at + 32), size: u64(dv, at + 40), offset: u64(dv, at + 48) };
  }
  if (dir.offset + dir.size > bytes.length) throw corrupt('ZIP 目录超出文件末尾');
  return dir;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/**
 * The entries of the central directory. Throws ZipGuardError when the directory is malformed
 * or holds more than `maxEntries` entries (checked before walking it).
 */
export function readZipDirectory(bytes: Uint8Array, maxEntries = DEFAULT_ZIP_LIMITS.maxEntries): ZipEntry[] {
  const dir = findDirectory(bytes);
  if (dir.entries > maxEntries) throw new ZipGuardError(`文件包含 ${dir.entries} 个压缩条目，超过上限 ${maxEntries}：不是正常的 Excel 工作簿`);
  const dv = view(bytes);
  const end = dir.offset + dir.size;
  const out: ZipEntry[] = [];
  let p = dir.offset;
  for (let i = 0; i < dir.entries; i++) {
    if (p + 46 > end || dv.getUint32(p, true) !== SIG_CENTRAL) throw corrupt(`ZIP 目录第 ${i + 1} 项无效`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let uncompressedSize = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    const nameAt = p + 46;
    const extraAt = nameAt + nameLen;
    if (extraAt + extraLen + commentLen > end) throw corrupt(`ZIP 目录第 ${i + 1} 项超出目录`);
    const nameBytes = bytes.subarray(nameAt, nameAt + nameLen);
    const name = (flags & 0x800 ? utf8 : latin1).decode(nameBytes);

    // ZIP64 extended information (0x0001): only the fields that are 0xFFFFFFFF above, in order.
    for (let e = extraAt; e + 4 <= extraAt + extraLen; ) {
      const id = dv.getUint16(e, true);
      const size = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + size) throw corrupt(`ZIP64 扩展字段过短（${name}）`);
          const v = u64(dv, q);
          q += 8;
          return v;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      e += 4 + size;
    }
    out.push({ name, flags, method, compressedSize, uncompressedSize, localHeaderOffset });
    p = extraAt + extraLen + commentLen;
  }
  return out;
}

const MB = 1024 * 1024;
const mb = (n: number): string => (n < MB ? `${Math.ceil(n / 1024)} KB` : `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`);

/** Refuses what the declared sizes and flags already show. Throws ZipGuardError. */
export function checkZipEntries(entries: readonly ZipEntry[], fileSize: number, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  if (entries.length > limits.maxEntries) throw new ZipGuardError(`文件包含 ${entries.length} 个压缩条目，超过上限 ${limits.maxEntries}：不是正常的 Excel 工作簿`);
  let total = 0;
  for (const e of entries) {
    if (e.flags & 0x1) throw new ZipGuardError('工作簿已加密：请在 Excel 中取消密码后另存为 .xlsx 再导入');
    if (e.method !== 0 && e.method !== 8) throw new ZipGuardError(`文件使用了不支持的压缩方式（${e.method}，条目 ${e.name}）：请在 Excel 中另存为 .xlsx 再导入`);
    if (e.localHeaderOffset + 30 > fileSize || e.compressedSize > fileSize) throw corrupt(`条目 ${e.name} 超出文件末尾`);
    total += e.uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      throw new ZipGuardError(`文件解压后超过 ${mb(limits.maxUncompressedBytes)}（疑似压缩炸弹），已拒绝导入：请拆分为多个较小的文件`);
    }
    if (e.uncompressedSize >= limits.ratioFloorBytes) {
      const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
      if (ratio > limits.maxRatio) {
        throw new ZipGuardError(
          `文件中的条目 ${e.name} 压缩比为 ${Math.round(ratio)}:1（${mb(e.compressedSize)} 解压为 ${mb(e.uncompressedSize)}），超过上限 ${limits.maxRatio}:1，疑似压缩炸弹，已拒绝导入`,
        );
      }
    }
  }
}

/** Where an entry's data starts: after its local header, whose name and extra lengths may differ from the directory's. */
export function entryDataOffset(bytes: Uint8Array, e: ZipEntry): number {
  const dv = view(bytes);
  const at = e.localHeaderOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== SIG_LOCAL) throw corrupt(`条目 ${e.name} 的本地文件头无效`);
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  if (start + e.compressedSize > bytes.length) throw corrupt(`条目 ${e.name} 超出文件末尾`);
  return start;
}

const SLICE = 16 * 1024;

/**
 * Inflates `data` (raw deflate) and counts the output, giving up as soon as it exceeds `cap`
 * bytes. Returns the count (cap + something when over). Input goes in 16 KB slices and output
 * is read as it comes, so at most ~16 MB (deflate's 1032:1 limit) is ever held at once.
 */
export async function inflatedSize(data: Uint8Array, cap: number): Promise<number> {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const pump = (async () => {
    for (let i = 0; i < data.length; i += SLICE) {
      await writer.ready;
      await writer.write(data.slice(i, i + SLICE));
    }
    await writer.close();
  })();
  // Errors surface through the reader; the pump only fails after a cancel, which is ours.
  pump.catch(() => undefined);
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return total;
}

/**
 * Inflates every deflated entry to check that none produces more than it declares (the sum
 * and ratio checks trusted those declarations). Throws ZipGuardError.
 */
export async function verifyInflation(bytes: Uint8Array, entries: readonly ZipEntry[]): Promise<void> {
  for (const e of entries) {
    if (e.method !== 8) continue;
    const start = entryDataOffset(bytes, e);
    let size: number;
    try {
      size = await inflatedSize(bytes.subarray(start, start + e.compressedSize), e.uncompressedSize);
    } catch {
      throw corrupt(`条目 ${e.name} 无法解压`);
    }
    if (size > e.uncompressedSize) {
      throw new ZipGuardError(`文件中的条目 ${e.name} 解压后大于其声明的大小（${e.uncompressedSize} 字节），疑似压缩炸弹，已拒绝导入`);
    }
  }
}
