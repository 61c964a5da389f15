/**
 * Clerk accounts on this workstation: first-run set-up of the administrator, offline sign-in
 * with a password or PIN (stored only as a PBKDF2 hash, shared/domain/accounts.ts), throttling
 * of failed attempts, sign-out and the idle lock, and account management by administrators.
 * Every change and every sign-in lands in the audit trail (audit-log.ts) in the same
 * transaction as the change.
 *
 * Nothing here returns a stored secret: screens get AccountView.
 */
import { z } from 'zod';
import {
  Account,
  DEFAULT_SECURITY,
  Login,
  Role,
  SecurityConfig,
  hashSecret,
  isLoginTaken,
  loginKey,
  needsRehash,
  nextAllowedAttempt,
  validateNewSecret,
  verifySecret,
  type SecretKind,
} from '../../shared/domain/accounts';
import type { AccountRow, HechataiDb } from './database';
import { recordAudit, withAudit } from './audit-log';
import { readMeta, writeMeta } from './meta';
import { endSession, issueSession, requirePermission, requireSignedIn, type Session } from './session';

export type AccountView = Omit<AccountRow, 'secret' | 'loginKey'> & { secretKind: SecretKind };

/** meta key of the workstation's security settings (idle lock, throttling, PBKDF2 cost). */
export const SECURITY_KEY = 'security';

export async function loadSecurity(db: HechataiDb): Promise<SecurityConfig> {
  return (await readMeta(db, SECURITY_KEY, SecurityConfig)) ?? DEFAULT_SECURITY;
}

/** What a new account is made of (the secret separately). */
export const NewAccount = z.object({
  name: z.string().trim().min(1, '请填写姓名').max(100),
  login: Login,
  role: Role,
  department: z.string().trim().min(1, '请填写所在部门').max(100),
  district: z.string().trim().max(100).default(''),
  secretKind: z.enum(['password', 'pin']),
});
export type NewAccount = z.input<typeof NewAccount>;

/** Thrown for anything the person at the keyboard can fix; the message says what. */
export class AccountError extends Error {
  override readonly name = 'AccountError';
  /** For a throttled sign-in: when the next attempt is allowed. */
  readonly retryAt?: number;
  constructor(message: string, retryAt?: number) {
    super(message);
    if (retryAt !== undefined) this.retryAt = retryAt;
  }
}

function view(row: AccountRow): AccountView {
  const { secret: _s, loginKey: _k, ...rest } = row;
  return { ...rest, secretKind: secretKindOf(row) };
}

/** PINs and passwords hash the same way; the kind is kept beside the hash for the sign-in form. */
function secretKindOf(row: AccountRow): SecretKind {
  return row.secretKind ?? 'password';
}

/** A new secret hashed at the workstation's current PBKDF2 cost. */
async function hashWithPolicy(db: HechataiDb, secret: string) {
  const security = await loadSecurity(db);
  return hashSecret(secret, { iterations: security.pbkdf2Iterations });
}

function checkSecret(secret: string, kind: SecretKind): void {
  const problem = validateNewSecret(secret, kind);
  if (problem) throw new AccountError(problem);
}

export async function accountCount(db: HechataiDb): Promise<number> {
  return db.accounts.count();
}

function sessionOf(row: AccountRow, now: number): Session {
  return issueSession({
    accountId: row.id,
    login: row.login,
    name: row.name,
    role: row.role,
    department: row.department,
    district: row.district,
    issuedAt: now,
  });
}

async function newRow(db: HechataiDb, input: NewAccount, secret: string, now: number): Promise<AccountRow> {
  const a = NewAccount.parse(input);
  checkSecret(secret, a.secretKind);
  const account = Account.parse({
    id: `acct-${crypto.randomUUID()}`,
    name: a.name,
    login: a.login,
    role: a.role,
    department: a.department,
    district: a.district,
    secret: await hashWithPolicy(db, secret),
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
  return { ...account, loginKey: loginKey(account.login), secretKind: a.secretKind };
}

/**
 * First start: the administrator who will manage this workstation. Refused once any account
 * exists (the check and the write are one transaction). Returns the administrator's session.
 */
export async function setUpAdministrator(
  db: HechataiDb,
  input: Omit<NewAccount, 'role'>,
  secret: string,
  now: number,
): Promise<Session> {
  const row = await newRow(db, { ...input, role: '管理员' }, secret, now);
  await withAudit(
    db,
    [db.accounts],
    async () => {
      if ((await db.accounts.count()) > 0) throw new AccountError('本机已设置管理员，请登录');
      await db.accounts.add(row);
    },
    { at: now, actor: row.login, role: '管理员', action: 'account-create', detail: { account: row.id, role: '管理员', firstRun: true } },
  );
  return sessionOf(row, now);
}

/**
 * Offline sign-in. A wrong secret, an unknown login and a disabled account get the same
 * message (no hint which logins exist); after `maxFailures` failures in a row the account waits
 * (nextAllowedAttempt) before the secret is even checked. Every attempt is audited.
 */
export async function signIn(db: HechataiDb, login: string, secret: string, now: number): Promise<Session> {
  const security = await loadSecurity(db);
  // loginKey is a unique index: at most one row.
  const row = await db.accounts.where('loginKey').equals(loginKey(login)).first();
  const wrong = '登录名或密码不正确';
  if (!row) {
    await recordAudit(db, { at: now, actor: login.trim().slice(0, 100) || '（空）', role: null, action: 'sign-in-failed', detail: { reason: 'unknown-login' } });
    throw new AccountError(wrong);
  }
  const failures = row.failures ?? 0;
  const retryAt = nextAllowedAttempt(failures, row.lastFailureAt ?? 0, security);
  if (failures >= security.maxFailures && now < retryAt) {
    await recordAudit(db, { at: now, actor: row.login, role: row.role, action: 'sign-in-failed', detail: { reason: 'throttled', failures } });
    const at = new Date(retryAt);
    const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
    throw new AccountError(`连续 ${failures} 次登录失败，请于 ${hhmm} 后再试，或请管理员重置密码`, retryAt);
  }
  const ok = !row.disabled && (await verifySecret(secret, row.secret));
  if (!ok) {
    await withAudit(
      db,
      [db.accounts],
      async () => {
        if (!row.disabled) await db.accounts.update(row.id, { failures: failures + 1, lastFailureAt: now });
      },
      { at: now, actor: row.login, role: row.role, action: 'sign-in-failed', detail: { reason: row.disabled ? 'disabled' : 'wrong-secret', failures: failures + 1 } },
    );
    throw new AccountError(row.disabled ? `账号 ${row.login} 已停用，请联系管理员` : wrong);
  }
  const rehash = needsRehash(row.secret, security.pbkdf2Iterations) ? await hashSecret(secret, { iterations: security.pbkdf2Iterations }) : undefined;
  await withAudit(
    db,
    [db.accounts],
    async () => {
      await db.accounts.update(row.id, { failures: 0, lastFailureAt: undefined, ...(rehash ? { secret: rehash } : {}) });
    },
    { at: now, actor: row.login, role: row.role, action: 'sign-in', detail: { method: secretKindOf(row) } },
  );
  return sessionOf(row, now);
}

/** Ends the session and records why ('sign-out' by the clerk, 'lock' when idle or on request). */
export async function endSignedIn(db: HechataiDb, session: Session, how: 'sign-out' | 'lock', now: number, idleMinutes?: number): Promise<void> {
  endSession(session);
  const detail = how === 'lock' ? { idle: idleMinutes !== undefined, ...(idleMinutes !== undefined ? { minutes: idleMinutes } : {}) } : {};
  await recordAudit(db, { at: now, actor: session.login, role: session.role, action: how, detail });
}

// ---------------------------------------------------------------- administration

export async function listAccounts(db: HechataiDb, session: Session): Promise<AccountView[]> {
  requirePermission(session, 'account.manage');
  const rows = await db.accounts.toArray();
  return rows.map(view).sort((a, b) => a.createdAt - b.createdAt);
}

export async function createAccount(db: HechataiDb, session: Session, input: NewAccount, secret: string, now: number): Promise<AccountView> {
  requirePermission(session, 'account.manage');
  const row = await newRow(db, input, secret, now);
  await withAudit(
    db,
    [db.accounts],
    async () => {
      if (isLoginTaken(await db.accounts.toArray(), row.login)) throw new AccountError(`登录名“${row.login}”已被使用`);
      await db.accounts.add(row);
    },
    { at: now, actor: session.login, role: session.role, action: 'account-create', detail: { account: row.id, login: row.login, role: row.role } },
  );
  return view(row);
}

export interface AccountChange {
  name?: string;
  role?: Role;
  department?: string;
  district?: string;
  disabled?: boolean;
}

/**
 * Changes an account (not its secret). An administrator cannot demote or disable the last
 * active administrator: the workstation would have nobody to manage it.
 */
export async function changeAccount(db: HechataiDb, session: Session, id: string, change: AccountChange, now: number): Promise<AccountView> {
  requirePermission(session, 'account.manage');
  const c = z
    .object({
      name: z.string().trim().min(1).max(100).optional(),
      role: Role.optional(),
      department: z.string().trim().min(1).max(100).optional(),
      district: z.string().trim().max(100).optional(),
      disabled: z.boolean().optional(),
    })
    .strict()
    .parse(change);
  const action = c.disabled === true ? 'account-disable' : 'account-change';
  const { result } = await withAudit(
    db,
    [db.accounts],
    async () => {
      const row = await db.accounts.get(id);
      if (!row) throw new AccountError(`账号 ${id} 不存在`);
      const next: AccountRow = { ...row, ...c, updatedAt: now };
      if (row.role === '管理员' && !row.disabled && (next.role !== '管理员' || next.disabled)) {
        const admins = (await db.accounts.where('role').equals('管理员').toArray()).filter((a) => !a.disabled);
        if (admins.length <= 1) throw new AccountError('不能停用或降级唯一的管理员账号，请先设置另一名管理员');
      }
      await db.accounts.put(next);
      return next;
    },
    (next) => ({
      at: now,
      actor: session.login,
      role: session.role,
      action,
      detail: { account: next.id, login: next.login, fields: Object.keys(c).sort().join(',') },
    }),
  );
  return view(result);
}

/** An administrator sets a new password or PIN for an account (and clears its failures). */
export async function resetSecret(db: HechataiDb, session: Session, id: string, secret: string, kind: SecretKind, now: number): Promise<void> {
  requirePermission(session, 'account.manage');
  checkSecret(secret, kind);
  const hashed = await hashWithPolicy(db, secret);
  await withAudit(
    db,
    [db.accounts],
    async () => {
      const row = await db.accounts.get(id);
      if (!row) throw new AccountError(`账号 ${id} 不存在`);
      const { lastFailureAt: _l, ...rest } = row;
      await db.accounts.put({ ...rest, secret: hashed, secretKind: kind, failures: 0, updatedAt: now });
    },
    { at: now, actor: session.login, role: session.role, action: 'account-change', detail: { account: id, fields: 'secret' } },
  );
}

/** Anyone signed in changes their own secret, proving the old one first. */
export async function changeOwnSecret(db: HechataiDb, session: Session, oldSecret: string, secret: string, kind: SecretKind, now: number): Promise<void> {
  const s = requireSignedIn(session);
  checkSecret(secret, kind);
  const row = await db.accounts.get(s.accountId);
  if (!row || !(await verifySecret(oldSecret, row.secret))) throw new AccountError('原密码不正确');
  const hashed = await hashWithPolicy(db, secret);
  await withAudit(
    db,
    [db.accounts],
    async () => {
      await db.accounts.put({ ...row, secret: hashed, secretKind: kind, updatedAt: now });
    },
    { at: now, actor: s.login, role: s.role, action: 'account-change', detail: { account: row.id, fields: 'secret', own: true } },
  );
}

/** Administrators change the workstation's security settings (audited as 'settings'). */
export async function saveSecurity(db: HechataiDb, session: Session, config: SecurityConfig, now: number): Promise<void> {
  requirePermission(session, 'settings.change');
  const parsed = SecurityConfig.parse(config);
  await withAudit(
    db,
    [],
    async () => writeMeta(db, SECURITY_KEY, parsed),
    { at: now, actor: session.login, role: session.role, action: 'settings', detail: { section: 'security', idleLockMinutes: parsed.idleLockMinutes } },
  );
}
