/**
 * A hash-chained audit trail of sensitive actions (sign-in, unmasking an identifier, export,
 * import, settings and account changes). Each entry carries the hash of the one before, so an
 * edited, deleted, inserted or reordered entry breaks the chain; a truncated head is caught by
 * comparing with an anchor (a head the platform has acknowledged).
 *
 * ## The hash (so the platform can recompute it)
 *
 *   hash = lower-case hex of SHA-256( UTF-8( canonicalJson(entry without `hash`) ) )
 *
 * i.e. of the object `{ action, actor, at, detail, prevHash, role, seq }`. For seq 1,
 * `prevHash` is 64 zeros (GENESIS_HASH); for seq n > 1 it is the `hash` of entry n − 1.
 * `role` is null only for a failed sign-in with an unknown login.
 *
 * canonicalJson (below) is JSON with:
 * - object keys sorted by UTF-16 code units (JavaScript's default string order), recursively;
 *   members whose value is `undefined` left out;
 * - no whitespace anywhere;
 * - strings as JSON.stringify writes them (escapes only `"`, `\`, control characters below
 *   U+0020 — \b \f \n \r \t or \u00xx with lower-case hex — and lone surrogates; all other
 *   characters, Chinese included, as themselves);
 * - numbers as JSON.stringify writes them (ECMAScript Number::toString; -0 as 0); only finite
 *   numbers are allowed;
 * - true, false, null as such; arrays in order.
 * For these values this is the JSON Canonicalization Scheme (RFC 8785), and the same text as
 * `canonicalJson` in test/platform/digest.ts. Example (seq 1, see audit.test.ts for its hash):
 *
 *   {"action":"sign-in","actor":"zhangsan","at":1763604000000,"detail":{"method":"password"},
 *    "prevHash":"0000…0000","role":"窗口人员","seq":1}        (on one line)
 */
import { z } from 'zod';
import { EpochMs } from './schemas';
import { Role, type Subtle } from './accounts';

export const AuditAction = z.enum([
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'lock',
  'unmask',
  'export',
  'import',
  'settings',
  'account-create',
  'account-change',
  'account-disable',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/** Human-readable names of the actions, for the audit log screen. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  'sign-in': '登录',
  'sign-in-failed': '登录失败',
  'sign-out': '退出登录',
  lock: '锁定',
  unmask: '查看未脱敏信息',
  export: '导出',
  import: '导入',
  settings: '修改设置',
  'account-create': '新建账号',
  'account-change': '修改账号',
  'account-disable': '停用账号',
};

export const GENESIS_HASH = '0'.repeat(64);

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '应为 64 位小写十六进制');

/**
 * A small, flat, JSON-safe record: at most 32 keys, values string (≤ 1000 chars), finite number
 * or boolean. E.g. `{ file: '名单.xlsx', rows: 5000 }`. Record ids here, never unmasked
 * identifiers: the trail itself must not leak personal data.
 */
export const AuditDetail = z
  .record(
    z.string().min(1).max(64),
    z.union([z.string().max(1000), z.number(), z.boolean()]),
  )
  .refine((d) => Object.keys(d).length <= 32, '审计详情最多 32 项');
export type AuditDetail = z.infer<typeof AuditDetail>;

export const AuditEntry = z.object({
  seq: z.number().int().min(1),
  at: EpochMs,
  /** The login of the actor; for sign-in-failed, the login that was tried. */
  actor: z.string().min(1).max(100),
  /** null only when the actor is not a known account (sign-in-failed with an unknown login). */
  role: Role.nullable(),
  action: AuditAction,
  detail: AuditDetail,
  prevHash: Hex64,
  hash: Hex64,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** What the caller supplies; seq, prevHash and hash are computed. */
export const AuditEvent = AuditEntry.pick({ at: true, actor: true, role: true, action: true, detail: true });
export type AuditEvent = z.infer<typeof AuditEvent>;

/** A head the platform (or an earlier verification) acknowledged. */
export const AuditAnchor = z.object({ seq: z.number().int().min(1), hash: Hex64 });
export type AuditAnchor = z.infer<typeof AuditAnchor>;

// ---------------------------------------------------------------- canonical JSON and hashing

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Canonical JSON (see the module comment): sorted keys, no whitespace, recursively. Throws a
 * TypeError on anything JSON cannot represent exactly (non-finite numbers, bigint, functions,
 * symbols, undefined array items, non-plain objects such as Date or Map).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`规范 JSON 不能表示数值 ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((v: unknown, i) => {
            if (v === undefined) throw new TypeError(`规范 JSON 数组第 ${i} 项为 undefined`);
            return canonicalJson(v);
          })
          .join(',')}]`;
      }
      if (!isPlainObject(value)) throw new TypeError('规范 JSON 只接受普通对象');
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`规范 JSON 不能表示 ${typeof value}`);
  }
}

const encoder = new TextEncoder();

export async function sha256Hex(text: string, subtle: Subtle = crypto.subtle): Promise<string> {
  const digest = new Uint8Array(await subtle.digest('SHA-256', new Uint8Array(encoder.encode(text))));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** The text that is hashed: canonicalJson of every field except `hash`. */
export function auditHashInput(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, role, action, detail, prevHash } = entry;
  return canonicalJson({ seq, at, actor, role, action, detail, prevHash });
}

export function auditEntryHash(
  entry: Omit<AuditEntry, 'hash'>,
  subtle: Subtle = crypto.subtle,
): Promise<string> {
  return sha256Hex(auditHashInput(entry), subtle);
}

// ---------------------------------------------------------------- append and verify

/**
 * The next entry of the chain after `prev` (null for the first). The event is validated with
 * AuditEvent first (throws a ZodError on a bad detail, an empty actor, …).
 */
export async function appendAudit(
  prev: AuditEntry | null,
  e: AuditEvent,
  subtle: Subtle = crypto.subtle,
): Promise<AuditEntry> {
  const event = AuditEvent.parse(e);
  const body = {
    seq: prev ? prev.seq + 1 : 1,
    at: event.at,
    actor: event.actor,
    role: event.role,
    action: event.action,
    detail: event.detail,
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return { ...body, hash: await auditEntryHash(body, subtle) };
}

export type AuditVerification =
  | { ok: true; count: number; headHash: string }
  | { ok: false; seq: number; problem: string };

export interface VerifyAuditOptions {
  subtle?: Subtle;
  /** A head acknowledged earlier: the chain must still contain it (else the tail was cut or rewritten). */
  anchor?: AuditAnchor;
}

function isSubtle(x: Subtle | VerifyAuditOptions): x is Subtle {
  return typeof (x as { digest?: unknown }).digest === 'function';
}

/**
 * Verify a whole chain, from seq 1, in order. Reports the first problem, naming its seq:
 * - an entry that is not a valid AuditEntry;
 * - a seq out of place (a deleted, inserted, duplicated or reordered entry);
 * - a prevHash that is not the previous entry's hash (deleted, inserted or swapped entries, or
 *   an entry whose hash was recomputed after an edit);
 * - a hash that does not match the entry's content (an edited field).
 * A cut-off tail cannot be seen in the chain itself: pass `anchor` (the last head the platform
 * acknowledged) and the chain must still contain that entry with that hash.
 *
 * The second argument is either the options or, for brevity, a SubtleCrypto.
 */
export async function verifyAuditChain(
  entries: readonly AuditEntry[],
  subtleOrOptions: Subtle | VerifyAuditOptions = {},
): Promise<AuditVerification> {
  const options: VerifyAuditOptions = isSubtle(subtleOrOptions)
    ? { subtle: subtleOrOptions }
    : subtleOrOptions;
  const subtle = options.subtle ?? crypto.subtle;

  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i += 1) {
    const expectedSeq = i + 1;
    const parsed = AuditEntry.safeParse(entries[i]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `字段 ${issue.path.join('.')} ` : '';
      return {
        ok: false,
        seq: expectedSeq,
        problem: `第 ${expectedSeq} 条审计记录格式无效：${where}${issue?.message ?? ''}`.trimEnd(),
      };
    }
    const entry = parsed.data;
    if (entry.seq !== expectedSeq) {
      const problem =
        entry.seq > expectedSeq
          ? `第 ${expectedSeq} 条审计记录缺失（此处为第 ${entry.seq} 条）：记录被删除或顺序被打乱`
          : `第 ${expectedSeq} 条位置出现序号 ${entry.seq}：记录重复、被插入或顺序被打乱`;
      return { ok: false, seq: expectedSeq, problem };
    }
    if (entry.prevHash !== prevHash) {
      return {
        ok: false,
        seq: expectedSeq,
        problem:
          expectedSeq === 1
            ? '第 1 条审计记录的前序哈希不是初始值：链首被替换'
            : `第 ${expectedSeq} 条审计记录的前序哈希与第 ${expectedSeq - 1} 条不符：记录被删除、插入、调换或改写`,
      };
    }
    const hash = await auditEntryHash(entry, subtle);
    if (hash !== entry.hash) {
      return {
        ok: false,
        seq: expectedSeq,
        problem: `第 ${expectedSeq} 条审计记录的内容与哈希不符：记录被篡改`,
      };
    }
    prevHash = entry.hash;
  }

  if (options.anchor) {
    const anchor = AuditAnchor.parse(options.anchor);
    const at = entries[anchor.seq - 1];
    if (!at) {
      return {
        ok: false,
        seq: anchor.seq,
        problem: `审计链只有 ${entries.length} 条，缺少已确认的第 ${anchor.seq} 条：链尾被截断`,
      };
    }
    if (at.hash !== anchor.hash) {
      return {
        ok: false,
        seq: anchor.seq,
        problem: `第 ${anchor.seq} 条审计记录与已确认的哈希不符：链被改写`,
      };
    }
  }

  return { ok: true, count: entries.length, headHash: prevHash };
}
