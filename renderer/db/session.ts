/**
 * Sessions: the proof, inside the data layer, that someone signed in.
 *
 * A Session is issued only by renderer/db/accounts.ts after a password or PIN was verified
 * against the stored hash, and it is remembered here in a module-private WeakSet. Data-layer
 * functions that need a permission call `requirePermission(session, permission)`, which refuses
 * an object that was not issued here (a screen, or a script, that builds `{ role: '管理员' }`
 * by hand gets nothing), a session that was ended by sign-out or the idle lock, and a role
 * without the permission (shared/domain/accounts.ts ROLE_PERMISSIONS).
 */
import { PermissionDenied, assertCan, type Permission, type Role } from '../../shared/domain/accounts';

export interface Session {
  readonly accountId: string;
  /** The account's login: the audit trail's actor. */
  readonly login: string;
  /** 姓名, printed on every record this session makes (经办人 / 检查人员). */
  readonly name: string;
  readonly role: Role;
  readonly department: string;
  readonly district: string;
  readonly issuedAt: number;
}

const live = new WeakSet<Session>();

/** For renderer/db/accounts.ts only: a verified sign-in becomes a session. */
export function issueSession(fields: Session): Session {
  const session: Session = Object.freeze({ ...fields });
  live.add(session);
  return session;
}

/** Sign-out and lock end a session: every later data-layer call with it is refused. */
export function endSession(session: Session): void {
  live.delete(session);
}

export function isLiveSession(session: unknown): session is Session {
  return typeof session === 'object' && session !== null && live.has(session as Session);
}

export class NotSignedIn extends Error {
  override readonly name = 'NotSignedIn';
  constructor() {
    super('未登录或登录已失效（已锁定或已退出），请重新登录');
  }
}

/** Throws NotSignedIn or PermissionDenied unless `session` is live and its role may do this. */
export function requirePermission(session: unknown, permission: Permission): Session {
  if (!isLiveSession(session)) throw new NotSignedIn();
  assertCan(session, permission);
  return session;
}

/** Throws NotSignedIn unless `session` is live (for what every role may do, e.g. change one's own PIN). */
export function requireSignedIn(session: unknown): Session {
  if (!isLiveSession(session)) throw new NotSignedIn();
  if ((session as { disabled?: boolean }).disabled === true) throw new NotSignedIn();
  return session;
}

/** True when the session is live and its role has the permission (for showing controls). */
export function sessionCan(session: Session, permission: Permission): boolean {
  try {
    requirePermission(session, permission);
    return true;
  } catch (e) {
    if (e instanceof PermissionDenied || e instanceof NotSignedIn) return false;
    throw e;
  }
}
