/**
 * File exchange for sites that are never online (PROTOCOL.md "Adapters"; GB/T 39443-2020 also
 * knows a file mode): two package files carried on removable media.
 *
 * - **Outbox package** (client → platform): the records waiting in the outbox, with the device
 *   id, the moment it was made, the protocol version, and the client's sync position (so the
 *   platform can make the next list package from there).
 * - **List package** (platform → client): the same changes as pull pages (`PullPage`, each
 *   validated with parsePage exactly like a network page) for one device, from a cursor (or
 *   from scratch), plus optional receipts for records the platform received from that device.
 *
 * Each is one JSON object with a `checksum`: SHA-256 (hex) over the canonical JSON of the
 * package without `checksum` (object keys sorted, undefined members left out). A damaged copy
 * is refused, as is a package for another device or from another platform, each with a
 * Chinese message the clerk can act on.
 *
 * Pure code: imports only shared/ and zod; SHA-256 is implemented here (no runtime crypto).
 */
import { z } from 'zod';
import { EpochMs } from '../domain/schemas';
import type { AdapterResult, PlatformAdapter, PullResult } from './adapter';
import { adapterError, adapterOk } from './adapter';
import {
  Cursor,
  PROTOCOL_VERSION,
  PushItem,
  PushOutcome,
  err,
  ok,
  parsePage,
  type EnrolResponse,
  type HealthResponse,
  type PullPage,
  type Result,
} from './protocol';

export const OUTBOX_PACKAGE_FORMAT = 'hechatai.outbox-package';
export const LIST_PACKAGE_FORMAT = 'hechatai.list-package';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, '校验值应为 64 位十六进制');
const DeviceId = z.string().min(1).max(128);

// ------------------------------------------------------------------ schemas

export const OutboxPackage = z.object({
  format: z.literal(OUTBOX_PACKAGE_FORMAT),
  protocol: z.number().int().positive(),
  deviceId: DeviceId,
  deviceName: z.string().max(100).optional(),
  /** The platform the device is enrolled with (informational). */
  platformUrl: z.string().max(500).optional(),
  createdAt: EpochMs,
  /** The client's sync position: where the next list package for it should start (null: never loaded). */
  cursor: Cursor.nullable(),
  lastSeq: z.number().int().nonnegative(),
  /** Outbox entries in their local order; `id` is the idempotency key, as in POST /push. */
  records: z.array(PushItem),
  checksum: Sha256Hex,
});
export type OutboxPackage = z.infer<typeof OutboxPackage>;

/** The envelope of a list package; `pages` are validated one by one with parsePage. */
const ListPackageEnvelope = z.object({
  format: z.literal(LIST_PACKAGE_FORMAT),
  protocol: z.number().int().positive(),
  /** The platform's own identity; a client remembers the first it accepted. */
  platformId: z.string().min(1).max(128),
  platformName: z.string().max(200).optional(),
  /** The device the package was made for. */
  deviceId: DeviceId,
  createdAt: EpochMs,
  /** The cursor the first page continues from; null = a full load from scratch. */
  after: Cursor.nullable(),
  /** Seq of the last change before the first page (0 for a full load). */
  afterSeq: z.number().int().nonnegative(),
  schemaVersion: z.number().int().positive(),
  pages: z.array(z.unknown()).min(1).max(100_000),
  /**
   * The platform's compaction floor when the package was made: a client whose last applied
   * change is at or above it may continue from a full package by seq instead of rebuilding.
   */
  compactedThrough: z.number().int().nonnegative().optional(),
  /** Answers for records the platform received from this device (by file or network). */
  receipts: z.array(PushOutcome).max(1_000_000).default([]),
  checksum: Sha256Hex,
});

export interface ListPackage extends Omit<z.infer<typeof ListPackageEnvelope>, 'pages'> {
  pages: PullPage[];
}

// ------------------------------------------------------------------ canonical JSON and SHA-256

/** JSON with object keys sorted and undefined members left out: the same value, the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 (FIPS 180-4) of `data`, as lowercase hex. */
export function sha256Hex(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian number.
  const total = Math.ceil((bytes.length + 9) / 64) * 64;
  const tail = new Uint8Array(total - Math.floor(bytes.length / 64) * 64);
  const fullBlocks = Math.floor(bytes.length / 64);
  tail.set(bytes.subarray(fullBlocks * 64));
  tail[bytes.length - fullBlocks * 64] = 0x80;
  const bits = bytes.length * 8;
  const view = new DataView(tail.buffer);
  view.setUint32(tail.length - 8, Math.floor(bits / 0x1_0000_0000));
  view.setUint32(tail.length - 4, bits >>> 0);
  const block = (src: Uint8Array, at: number): void => {
    for (let i = 0; i < 16; i++) {
      const j = at + i * 4;
      w[i] = (((src[j] as number) << 24) | ((src[j + 1] as number) << 16) | ((src[j + 2] as number) << 8) | (src[j + 3] as number)) >>> 0;
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15] as number;
      const b = w[i - 2] as number;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) >>> 0;
    }
    let a = h[0] as number, b = h[1] as number, c = h[2] as number, d = h[3] as number;
    let e = h[4] as number, f = h[5] as number, g = h[6] as number, hh = h[7] as number;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + (K[i] as number) + (w[i] as number)) >>> 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = ((h[0] as number) + a) >>> 0;
    h[1] = ((h[1] as number) + b) >>> 0;
    h[2] = ((h[2] as number) + c) >>> 0;
    h[3] = ((h[3] as number) + d) >>> 0;
    h[4] = ((h[4] as number) + e) >>> 0;
    h[5] = ((h[5] as number) + f) >>> 0;
    h[6] = ((h[6] as number) + g) >>> 0;
    h[7] = ((h[7] as number) + hh) >>> 0;
  };
  for (let i = 0; i < fullBlocks; i++) block(bytes, i * 64);
  for (let at = 0; at < tail.length; at += 64) block(tail, at);
  let hex = '';
  for (const v of h) hex += v.toString(16).padStart(8, '0');
  return hex;
}

/** The checksum of a package: SHA-256 over the canonical JSON of everything but `checksum`. */
export function packageChecksum(pkg: Readonly<Record<string, unknown>>): string {
  const { checksum: _ignored, ...body } = pkg;
  return sha256Hex(canonicalJson(body));
}

/** Adds the checksum to a package body. */
export function sealPackage<T extends Record<string, unknown>>(body: T): T & { checksum: string } {
  return { ...body, checksum: packageChecksum(body) };
}

// ------------------------------------------------------------------ building

export interface OutboxPackageInput {
  deviceId: string;
  deviceName?: string;
  platformUrl?: string;
  createdAt: number;
  cursor: string | null;
  lastSeq: number;
  records: readonly PushItem[];
}

export function buildOutboxPackage(input: OutboxPackageInput): OutboxPackage {
  const body = {
    format: OUTBOX_PACKAGE_FORMAT,
    protocol: PROTOCOL_VERSION,
    deviceId: input.deviceId,
    ...(input.deviceName === undefined ? {} : { deviceName: input.deviceName }),
    ...(input.platformUrl === undefined ? {} : { platformUrl: input.platformUrl }),
    createdAt: input.createdAt,
    cursor: input.cursor,
    lastSeq: input.lastSeq,
    records: [...input.records],
  };
  return sealPackage(body) as OutboxPackage;
}

export interface ListPackageInput {
  platformId: string;
  platformName?: string;
  deviceId: string;
  createdAt: number;
  after: string | null;
  afterSeq: number;
  schemaVersion: number;
  pages: readonly unknown[];
  receipts?: readonly PushOutcome[];
  compactedThrough?: number;
}

export function buildListPackage(input: ListPackageInput): Record<string, unknown> & { checksum: string } {
  return sealPackage({
    format: LIST_PACKAGE_FORMAT,
    protocol: PROTOCOL_VERSION,
    platformId: input.platformId,
    ...(input.platformName === undefined ? {} : { platformName: input.platformName }),
    deviceId: input.deviceId,
    createdAt: input.createdAt,
    after: input.after,
    afterSeq: input.afterSeq,
    schemaVersion: input.schemaVersion,
    pages: [...input.pages],
    receipts: [...(input.receipts ?? [])],
    ...(input.compactedThrough === undefined ? {} : { compactedThrough: input.compactedThrough }),
  });
}

/** Package file bytes: UTF-8 JSON, one line (no BOM). */
export function encodePackage(pkg: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify(pkg));
}

// ------------------------------------------------------------------ opening

export type PackageProblem =
  /** Not JSON, or not a package of ours at all. */
  | 'not_a_package'
  /** An outbox package where a list package was expected, or the reverse. */
  | 'wrong_kind'
  | 'protocol_mismatch'
  /** The checksum does not match: changed in transit or on the medium. */
  | 'damaged'
  /** Fields, or a page, break the schema. */
  | 'invalid'
  /** Made for another device. */
  | 'other_device'
  /** Made by another platform than the one this client trusts. */
  | 'other_platform';

export interface PackageError {
  problem: PackageProblem;
  /** Chinese, for the clerk. */
  message: string;
}

const KIND_LABEL = { [OUTBOX_PACKAGE_FORMAT]: '本机导出的上报数据包', [LIST_PACKAGE_FORMAT]: '平台下发的名单数据包' } as const;

/** JSON text or bytes → the object, its format checked, its checksum verified. */
function openCommon(input: Uint8Array | string, format: keyof typeof KIND_LABEL): Result<Record<string, unknown>, PackageError> {
  let json: unknown;
  try {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return err({ problem: 'not_a_package', message: '文件不是有效的数据包（无法读取为 JSON），可能已损坏或选错了文件' });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return err({ problem: 'not_a_package', message: '文件不是信用核查台的数据包' });
  }
  const obj = json as Record<string, unknown>;
  if (obj.format !== format) {
    if (obj.format === OUTBOX_PACKAGE_FORMAT || obj.format === LIST_PACKAGE_FORMAT) {
      return err({
        problem: 'wrong_kind',
        message: `这是${KIND_LABEL[obj.format]}，此处需要${KIND_LABEL[format]}`,
      });
    }
    return err({ problem: 'not_a_package', message: '文件不是信用核查台的数据包' });
  }
  if (obj.protocol !== PROTOCOL_VERSION) {
    return err({
      problem: 'protocol_mismatch',
      message: `数据包使用协议 v${String(obj.protocol)}，本机为 v${PROTOCOL_VERSION}，请升级客户端或请平台按 v${PROTOCOL_VERSION} 重新生成`,
    });
  }
  if (typeof obj.checksum !== 'string' || obj.checksum !== packageChecksum(obj)) {
    return err({ problem: 'damaged', message: '数据包已损坏（校验值不符），请重新拷贝或向对方索取新的数据包' });
  }
  return ok(obj);
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue === undefined ? '' : `${issue.path.join('.')}：${issue.message}`;
}

/** Opens an outbox package (on the platform side, or to check a file before carrying it). */
export function openOutboxPackage(input: Uint8Array | string): Result<OutboxPackage, PackageError> {
  const common = openCommon(input, OUTBOX_PACKAGE_FORMAT);
  if (!common.ok) return common;
  const parsed = OutboxPackage.safeParse(common.value);
  if (!parsed.success) return err({ problem: 'invalid', message: `上报数据包内容不符合格式（${issueText(parsed.error)}）` });
  return ok(parsed.data);
}

export interface ListPackageExpectation {
  /** This device's id: a package for another device is refused. */
  deviceId: string;
  /** The platform this client accepted packages from before, if any. */
  platformId?: string | null;
}

/**
 * Opens a list package for this device: checksum, format, every page through parsePage (one
 * bad change refuses the whole package, with the message naming page, index and field), the
 * device and the platform.
 */
export function openListPackage(input: Uint8Array | string, expect: ListPackageExpectation): Result<ListPackage, PackageError> {
  const common = openCommon(input, LIST_PACKAGE_FORMAT);
  if (!common.ok) return common;
  const env = ListPackageEnvelope.safeParse(common.value);
  if (!env.success) return err({ problem: 'invalid', message: `名单数据包内容不符合格式（${issueText(env.error)}）` });
  const e = env.data;
  if (e.deviceId !== expect.deviceId) {
    return err({
      problem: 'other_device',
      message: `该数据包是为设备 ${e.deviceId} 生成的，本机为 ${expect.deviceId}，不能导入；请平台为本机重新生成`,
    });
  }
  if (expect.platformId && e.platformId !== expect.platformId) {
    return err({
      problem: 'other_platform',
      message: `该数据包来自另一个平台（${e.platformName ?? e.platformId}），与本机登记的平台不符，不能导入`,
    });
  }
  const pages: PullPage[] = [];
  for (let i = 0; i < e.pages.length; i++) {
    const page = parsePage(e.pages[i]);
    if (!page.ok) return err({ problem: 'invalid', message: `数据包第 ${i + 1} 页：${page.error.message}` });
    if (page.value.schemaVersion !== e.schemaVersion) {
      return err({ problem: 'invalid', message: `数据包第 ${i + 1} 页的数据版本与包头不一致，整包已拒收` });
    }
    pages.push(page.value);
  }
  const last = pages[pages.length - 1] as PullPage;
  if (pages.some((p, i) => p.hasMore !== (i < pages.length - 1)) || last.hasMore) {
    return err({ problem: 'invalid', message: '数据包不完整（分页缺失或顺序不对），整包已拒收' });
  }
  return ok({ ...e, pages });
}

// ------------------------------------------------------------------ the package as an adapter

/**
 * A list package behind the same PlatformAdapter the network uses, so its pages go through
 * exactly the engine code that applies network pages (validation, repeats dropped by seq, the
 * cursor stored with the page, a full package rebuilding the mirror through "start over").
 *
 * pull(cursor) serves the page that continues from `cursor` along the package's chain of
 * cursors (`after`, then each page's nextCursor). A cursor the chain does not know:
 * - when the client's last applied seq is at or past where the package begins (`afterSeq`, and
 *   for a full package its compaction floor), the first page holding a newer change, or an
 *   empty last page (nothing new) — the engine drops what it already has by seq;
 * - a full package otherwise answers "start over" (the mirror is rebuilt from it);
 * - a delta package that begins after the client's position cannot be applied (a gap).
 */
export class ListPackageAdapter implements PlatformAdapter {
  readonly description: string;
  private readonly chain: (string | null)[];

  constructor(
    readonly pkg: ListPackage,
    /** The seq of the last change the client applied (read when a pull starts). */
    private readonly lastSeq: () => number,
  ) {
    this.description = `file ${pkg.platformName ?? pkg.platformId} ${new Date(pkg.createdAt).toISOString()}`;
    this.chain = [pkg.after, ...pkg.pages.map((p) => p.nextCursor)];
  }

  async health(): Promise<AdapterResult<HealthResponse>> {
    return adapterOk({ ok: true, protocol: this.pkg.protocol, serverTime: this.pkg.createdAt, schemaVersion: this.pkg.schemaVersion });
  }

  async enrol(): Promise<AdapterResult<EnrolResponse>> {
    return adapterError({ code: 'not_supported', message: '数据包不能用于登记，请联网登记', retryable: false });
  }

  async push(): Promise<AdapterResult<PushOutcome[]>> {
    return adapterError({ code: 'not_supported', message: '无网络站点请用“导出待上报记录”生成上报数据包', retryable: false });
  }

  /** `limit` is ignored: the package's pages are served as they were made. */
  async pull(cursor: string | null, _limit?: number): Promise<PullResult> {
    const { pages } = this.pkg;
    const at = this.chain.indexOf(cursor);
    if (at >= 0 && at < pages.length) return adapterOk(pages[at] as PullPage);
    if (at === pages.length && cursor !== null) return adapterOk(this.endPage(cursor));
    const last = this.lastSeq();
    const full = this.pkg.after === null;
    const floor = full ? this.pkg.compactedThrough : this.pkg.afterSeq;
    if (cursor !== null && floor !== undefined && last >= floor && last >= this.pkg.afterSeq) {
      const next = pages.findIndex((p) => p.changes.some((c) => c.seq > last));
      return adapterOk(next < 0 ? this.endPage(cursor) : (pages[next] as PullPage));
    }
    if (full) return { kind: 'reset', reason: 'package_full', message: '数据包为全量名单，将用它重建本机名单' };
    return adapterError({
      code: 'package_gap',
      message: '数据包与本机的同步位置不衔接（缺少中间的变更），请用本机最新导出的上报数据包向平台重新索取名单数据包',
      retryable: false,
    });
  }

  /** Nothing after `cursor`: the client is up to date with this package. */
  private endPage(cursor: string): PullPage {
    return { changes: [], nextCursor: cursor, hasMore: false, schemaVersion: this.pkg.schemaVersion };
  }
}
