/**
 * Local accounts of 信用核查台: who may sign in on this machine, with which role, and what each
 * role may do. Personal data is shielded (004 §3): only an administrator may see identifiers
 * unmasked or export them unmasked, import lists, manage accounts or change settings. The
 * permission table is data (ROLE_PERMISSIONS) and the data layer calls `assertCan` itself, so a
 * window clerk cannot import, unmask or export unmasked data even by calling the data layer
 * directly, whatever the UI shows.
 *
 * Secrets (password or PIN) are stored as PBKDF2-SHA256 hashes computed with WebCrypto
 * (`crypto.subtle`, present in browsers, workers and Node 20); the SubtleCrypto in use is an
 * optional parameter so tests can pass their own.
 *
 * Everything here is pure apart from WebCrypto and `crypto.getRandomValues` (salt).
 */
import { z } from 'zod';
import { EpochMs } from './schemas';

/** The SubtleCrypto of the runtime (DOM's in the renderer, Node's webcrypto in main and tests). */
export type Subtle = typeof globalThis.crypto.subtle;

const MS_PER_MINUTE = 60_000;

// ---------------------------------------------------------------- roles and policy

export const Role = z.enum(['窗口人员', '检查人员', '管理员']);
export type Role = z.infer<typeof Role>;

/** OWASP Password Storage Cheat Sheet: PBKDF2-HMAC-SHA256 with 600,000 iterations is the
 * current figure; 310,000 was its earlier figure and is what this client uses by default
 * (see SecurityConfig.pbkdf2Iterations to raise it). */
export const DEFAULT_PBKDF2_ITERATIONS = 310_000;
/** Idle time after which the session is locked (re-enter PIN or password). */
export const DEFAULT_IDLE_LOCK_MINUTES = 10;

/**
 * Local security settings. Parse a settings file or IPC message with it: absent fields take
 * their defaults. Like rules-config, every figure is configuration, not a constant in code.
 */
export const SecurityConfig = z.object({
  /** Lock the session after this many minutes without input (shouldLock). */
  idleLockMinutes: z.number().int().min(1).max(240).default(DEFAULT_IDLE_LOCK_MINUTES),
  /** Failed sign-ins allowed before the first lockout (nextAllowedAttempt). */
  maxFailures: z.number().int().min(1).max(100).default(5),
  /** The first lockout; each further failure doubles it. */
  lockoutMinutes: z.number().int().min(1).max(1440).default(5),
  /** Upper bound of a doubled lockout: an administrator can always reset an account earlier. */
  maxLockoutMinutes: z.number().int().min(1).max(10_080).default(60),
  /** PBKDF2 iterations for new secrets; older hashes with fewer should be rehashed (needsRehash). */
  pbkdf2Iterations: z.number().int().min(1_000).max(10_000_000).default(DEFAULT_PBKDF2_ITERATIONS),
});
export type SecurityConfig = z.infer<typeof SecurityConfig>;

export const DEFAULT_SECURITY: SecurityConfig = SecurityConfig.parse({});

// ---------------------------------------------------------------- base64

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Strict standard base64 (with padding); throws on anything else. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  if (!BASE64.test(text)) throw new TypeError('不是有效的 base64 文本');
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const Base64Bytes = (min: number, max: number) =>
  z
    .string()
    .regex(BASE64, '应为 base64 文本')
    .refine((s) => {
      const n = (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
      return n >= min && n <= max;
    }, `长度应为 ${min}–${max} 字节`);

// ---------------------------------------------------------------- secrets

export const SALT_BYTES = 16;
export const HASH_BYTES = 32;

export const StoredSecret = z.object({
  algo: z.literal('PBKDF2-SHA256'),
  iterations: z.number().int().min(1_000).max(10_000_000),
  /** base64 of the random salt (16 bytes when made by hashSecret) */
  salt: Base64Bytes(SALT_BYTES, 64),
  /** base64 of the 32-byte derived key */
  hash: Base64Bytes(HASH_BYTES, HASH_BYTES),
});
export type StoredSecret = z.infer<typeof StoredSecret>;

const encoder = new TextEncoder();

/**
 * Secrets are normalised to NFKC before hashing (NIST SP 800-63B §5.1.1.2), so a full-width
 * digit typed through a Chinese input method matches its ASCII twin.
 */
function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(encoder.encode(secret.normalize('NFKC')));
}

async function pbkdf2(
  secret: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  bytes: number,
  subtle: Subtle,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await subtle.importKey('raw', secretBytes(secret), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

/**
 * Hash a new password or PIN: PBKDF2-SHA256, a random 16-byte salt (crypto.getRandomValues)
 * unless `opts.salt` is given, `opts.iterations` (default 310,000), 32-byte output.
 */
export async function hashSecret(
  secret: string,
  opts: { iterations?: number; subtle?: Subtle; salt?: Uint8Array } = {},
): Promise<StoredSecret> {
  const iterations = opts.iterations ?? DEFAULT_PBKDF2_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1_000 || iterations > 10_000_000)
    throw new RangeError(`PBKDF2 迭代次数应为 1000–10000000 的整数：${iterations}`);
  let salt: Uint8Array<ArrayBuffer>;
  if (opts.salt) {
    if (opts.salt.length < SALT_BYTES || opts.salt.length > 64)
      throw new RangeError(`盐值长度应为 ${SALT_BYTES}–64 字节`);
    salt = new Uint8Array(opts.salt);
  } else {
    salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  }
  const hash = await pbkdf2(secret, salt, iterations, HASH_BYTES, opts.subtle ?? crypto.subtle);
  return {
    algo: 'PBKDF2-SHA256',
    iterations,
    salt: bytesToBase64(salt),
    hash: bytesToBase64(hash),
  };
}

/** Compare two byte strings in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < n; i += 1) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * True when `secret` matches the stored hash. The derived bytes are compared in constant time.
 * A malformed stored secret (wrong algorithm, bad base64, absurd iteration count) never
 * matches: it returns false rather than throwing, so a damaged record cannot crash sign-in.
 */
export async function verifySecret(
  secret: string,
  stored: StoredSecret,
  subtle: Subtle = crypto.subtle,
): Promise<boolean> {
  const parsed = StoredSecret.safeParse(stored);
  if (!parsed.success) return false;
  const { iterations, salt, hash } = parsed.data;
  const expected = base64ToBytes(hash);
  const actual = await pbkdf2(secret, base64ToBytes(salt), iterations, expected.length, subtle);
  return constantTimeEqual(actual, expected);
}

/** True when a stored hash is weaker than the current policy: rehash it at the next sign-in. */
export function needsRehash(
  stored: StoredSecret,
  iterations: number = DEFAULT_SECURITY.pbkdf2Iterations,
): boolean {
  return stored.algo !== 'PBKDF2-SHA256' || stored.iterations < iterations;
}

export type SecretKind = 'password' | 'pin';

export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 12;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Every digit the same, or each one more (or one less) than the one before: 111111, 123456, 987654. */
function trivialPin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - (digits[i] ?? 0)));
  return steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(-1));
}

/**
 * null when the new secret is acceptable, else the message to show (Chinese).
 * - PIN: 6–12 digits, not all the same digit and not a run such as 123456 or 654321.
 * - password: 8–128 characters, with at least one letter and one digit.
 * The secret is judged after NFKC normalisation, as it will be hashed.
 */
export function validateNewSecret(secret: string, kind: SecretKind): string | null {
  const s = secret.normalize('NFKC');
  const length = [...s].length;
  if (kind === 'pin') {
    if (!/^[0-9]*$/.test(s)) return 'PIN 只能由数字组成';
    if (length < PIN_MIN_LENGTH) return `PIN 至少 ${PIN_MIN_LENGTH} 位数字`;
    if (length > PIN_MAX_LENGTH) return `PIN 不能超过 ${PIN_MAX_LENGTH} 位数字`;
    if (trivialPin(s)) return 'PIN 不能是相同或连续的数字（如 111111、123456）';
    return null;
  }
  if (length < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 个字符`;
  if (length > PASSWORD_MAX_LENGTH) return `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符`;
  if (!/\p{L}/u.test(s) || !/[0-9]/.test(s)) return '密码须同时包含字母和数字';
  return null;
}

// ---------------------------------------------------------------- accounts

/** A sign-in name: 2–32 characters after trimming, no spaces or control characters. */
export const Login = z
  .string()
  .trim()
  .min(2, '登录名至少 2 个字符')
  .max(32, '登录名不能超过 32 个字符')
  .regex(/^[^\s\p{C}]+$/u, '登录名不能包含空格或控制字符');
export type Login = z.infer<typeof Login>;

export const Account = z.object({
  id: z.string().min(1).max(128),
  /** Display name (姓名) */
  name: z.string().trim().min(1).max(100),
  /** Unique on this machine, compared by loginKey (case- and width-insensitive). */
  login: Login,
  role: Role,
  department: z.string().trim().min(1).max(100),
  district: z.string().max(100).default(''),
  secret: StoredSecret,
  disabled: z.boolean().default(false),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});
export type Account = z.infer<typeof Account>;
export type AccountInput = z.input<typeof Account>;

/** The key logins are unique by: NFKC, trimmed, lower-case ('ZhangSan' and 'ｚｈａｎｇｓａｎ' clash). */
export function loginKey(login: string): string {
  return login.normalize('NFKC').trim().toLowerCase();
}

/** The account signing in with this login, if any (disabled accounts included). */
export function findAccount<T extends { login: string }>(
  accounts: readonly T[],
  login: string,
): T | undefined {
  const key = loginKey(login);
  return accounts.find((a) => loginKey(a.login) === key);
}

/** True when another account (not `exceptId`) already uses this login. */
export function isLoginTaken(
  accounts: readonly { id: string; login: string }[],
  login: string,
  exceptId?: string,
): boolean {
  const key = loginKey(login);
  return accounts.some((a) => a.id !== exceptId && loginKey(a.login) === key);
}

/** The whole account table: ids and logins unique. */
export const AccountList = z.array(Account).superRefine((accounts, ctx) => {
  const ids = new Set<string>();
  const logins = new Set<string>();
  accounts.forEach((a, i) => {
    if (ids.has(a.id)) ctx.addIssue({ code: 'custom', message: `账号编号重复：${a.id}`, path: [i, 'id'] });
    const key = loginKey(a.login);
    if (logins.has(key))
      ctx.addIssue({ code: 'custom', message: `登录名重复：${a.login}`, path: [i, 'login'] });
    ids.add(a.id);
    logins.add(key);
  });
});

// ---------------------------------------------------------------- permissions

export const PERMISSIONS = [
  'list.import',
  'account.manage',
  'identifier.unmask',
  'export.unmasked',
  'export.masked',
  'settings.change',
  'check.perform',
  'inspection.perform',
  'audit.verify',
  'stats.view',
] as const;
export const Permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof Permission>;

/** What each permission lets one do, as it reads in "当前账号（…）无权…". */
export const PERMISSION_LABELS: Readonly<Record<Permission, string>> = {
  'list.import': '导入名单',
  'account.manage': '管理账号',
  'identifier.unmask': '查看未脱敏的证件号码',
  'export.unmasked': '导出未脱敏数据',
  'export.masked': '导出数据',
  'settings.change': '修改设置',
  'check.perform': '办理窗口核查',
  'inspection.perform': '录入现场检查',
  'audit.verify': '校验审计日志',
  'stats.view': '查看统计',
};

/**
 * The permission table. Only 管理员 may import lists, manage accounts, unmask identifiers,
 * export unmasked data, change settings and verify the audit trail; 管理员 may also do
 * everything the other roles do.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  窗口人员: ['check.perform', 'export.masked', 'stats.view'],
  检查人员: ['inspection.perform', 'export.masked', 'stats.view'],
  管理员: PERMISSIONS,
};

/** False for an unknown role or permission (e.g. a value that arrived over IPC). */
export function can(role: Role, permission: Permission): boolean {
  const r = Role.safeParse(role);
  return r.success && ROLE_PERMISSIONS[r.data].includes(permission);
}

export class PermissionDenied extends Error {
  override readonly name = 'PermissionDenied';
  readonly permission: Permission;
  readonly login: string;
  readonly role: Role;

  constructor(actor: { login: string; role: Role }, permission: Permission, message?: string) {
    super(
      message ??
        `当前账号（${actor.role}）无权${PERMISSION_LABELS[permission] ?? String(permission)}`,
    );
    this.permission = permission;
    this.login = actor.login;
    this.role = actor.role;
  }
}

/**
 * Throws PermissionDenied unless the actor's role has the permission. A disabled account
 * (`disabled: true`, when the caller passes the whole Account) is refused everything.
 */
export function assertCan(
  actor: { login: string; role: Role; disabled?: boolean },
  permission: Permission,
): void {
  if (actor.disabled === true)
    throw new PermissionDenied(actor, permission, `账号 ${actor.login} 已停用`);
  if (!can(actor.role, permission)) throw new PermissionDenied(actor, permission);
}

// ---------------------------------------------------------------- idle lock and throttling

/**
 * True when the session has been idle for `idleMinutes` or longer. A clock that went backwards
 * (now before the last activity) does not lock; an invalid limit (≤ 0, NaN) falls back to the
 * default rather than never locking.
 */
export function shouldLock(
  lastActivityMs: number,
  nowMs: number,
  idleMinutes: number = DEFAULT_IDLE_LOCK_MINUTES,
): boolean {
  const limit = Number.isFinite(idleMinutes) && idleMinutes > 0 ? idleMinutes : DEFAULT_IDLE_LOCK_MINUTES;
  return nowMs - lastActivityMs >= limit * MS_PER_MINUTE;
}

/**
 * The earliest epoch ms at which the next sign-in attempt is allowed, after `failures`
 * consecutive failures, the last at `lastFailureMs`. Below `maxFailures` (default 5) there is
 * no wait (returns lastFailureMs). From the 5th failure on the wait is 5 minutes, doubling with
 * each further failure (10, 20, 40 …), capped at `maxLockoutMinutes` (default 60).
 * The caller resets the count after a successful sign-in.
 */
export function nextAllowedAttempt(
  failures: number,
  lastFailureMs: number,
  policy: Pick<SecurityConfig, 'maxFailures' | 'lockoutMinutes' | 'maxLockoutMinutes'> = DEFAULT_SECURITY,
): number {
  if (!(failures >= policy.maxFailures)) return lastFailureMs;
  const doublings = Math.min(Math.floor(failures) - policy.maxFailures, 30);
  const minutes = Math.min(policy.lockoutMinutes * 2 ** doublings, policy.maxLockoutMinutes);
  return lastFailureMs + minutes * MS_PER_MINUTE;
}
