/**
 * For tests: a workstation with an administrator, a window clerk and an inspector, each
 * signed in for real (the data layer accepts only sessions issued at sign-in). Hashing is set
 * cheap in this database; the app's default cost is in shared/domain/accounts.ts.
 * Logins: admin / clerk / inspector; PIN of the two others: 240817.
 */
import { SECURITY_KEY, createAccount, setUpAdministrator, signIn } from './accounts';
import type { HechataiDb } from './database';
import { writeMeta } from './meta';
import type { Session } from './session';

export interface TeamNames {
  admin: string;
  clerk: string;
  inspector: string;
}

export const TEAM_PIN = '240817';

export async function signedInTeam(
  db: HechataiDb,
  names: TeamNames = { admin: '王管理', clerk: '李窗口', inspector: '赵检查' },
): Promise<{ admin: Session; clerk: Session; inspector: Session }> {
  await writeMeta(db, SECURITY_KEY, { pbkdf2Iterations: 1_000 });
  const admin = await setUpAdministrator(db, { name: names.admin, login: 'admin', department: '发改委', secretKind: 'password' }, 'Admin2026', 1);
  await createAccount(db, admin, { name: names.clerk, login: 'clerk', role: '窗口人员', department: '市场监管局', secretKind: 'pin' }, TEAM_PIN, 2);
  await createAccount(db, admin, { name: names.inspector, login: 'inspector', role: '检查人员', department: '市场监管局', secretKind: 'pin' }, TEAM_PIN, 3);
  const clerk = await signIn(db, 'clerk', TEAM_PIN, 4);
  const inspector = await signIn(db, 'inspector', TEAM_PIN, 5);
  return { admin, clerk, inspector };
}
