import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionDenied } from '../../shared/domain/accounts';
import type { AuditEntry } from '../../shared/domain/audit';
import * as XLSX from 'xlsx';
import {
  AccountError,
  SECURITY_KEY,
  accountCount,
  changeAccount,
  createAccount,
  endSignedIn,
  listAccounts,
  resetSecret,
  setUpAdministrator,
  signIn,
} from './accounts';
import { listAudit, verifyAuditTrail } from './audit-log';
import { openDatabase, type HechataiDb } from './database';
import { exportWorkbook, idCell, resolveExportRows, revealIdentifier } from './disclosure';
import { writeMeta } from './meta';
import { NotSignedIn, type Session } from './session';
import { saveCheck } from './local-records';
import type { CheckRecord } from '../../shared/domain/schemas';

const T0 = Date.UTC(2026, 10, 21, 1, 0, 0);
const ADMIN = { name: '王管理', login: 'admin', department: '市发展改革委', district: '示例区', secretKind: 'password' as const };
const PERSON_ID = '371302195803150173';

let db: HechataiDb;
let n = 0;

beforeEach(async () => {
  db = openDatabase(`accounts-${n++}`);
  await db.open();
  // Cheap hashing for tests; the default cost is in shared/domain/accounts.ts.
  await writeMeta(db, SECURITY_KEY, { pbkdf2Iterations: 1_000 });
});
afterEach(() => db.close());

async function withClerk(): Promise<{ admin: Session; clerk: Session }> {
  const admin = await setUpAdministrator(db, ADMIN, 'Admin2026', T0);
  await createAccount(db, admin, { name: '李窗口', login: 'lichuang', role: '窗口人员', department: '市市场监管局', secretKind: 'pin' }, '240817', T0 + 1);
  const clerk = await signIn(db, 'lichuang', '240817', T0 + 2);
  return { admin, clerk };
}

describe('first run and sign-in', () => {
  it('sets up the administrator once, then only signs in', async () => {
    expect(await accountCount(db)).toBe(0);
    const admin = await setUpAdministrator(db, ADMIN, 'Admin2026', T0);
    expect(admin.role).toBe('管理员');
    await expect(setUpAdministrator(db, { ...ADMIN, login: 'other' }, 'Other2026', T0)).rejects.toThrow('本机已设置管理员');
    expect(await accountCount(db)).toBe(1);
    const s = await signIn(db, 'ADMIN', 'Admin2026', T0 + 5);
    expect(s.login).toBe('admin');
    const stored = await db.accounts.toArray();
    expect(JSON.stringify(stored)).not.toContain('Admin2026');
  });

  it('refuses a weak secret with the reason', async () => {
    await expect(setUpAdministrator(db, ADMIN, 'short1', T0)).rejects.toThrow('密码至少 8 个字符');
    await expect(setUpAdministrator(db, { ...ADMIN, secretKind: 'pin' }, '123456', T0)).rejects.toThrow('PIN 不能是相同或连续的数字');
  });

  it('gives the same message for an unknown login and a wrong secret, and audits both', async () => {
    await setUpAdministrator(db, ADMIN, 'Admin2026', T0);
    await expect(signIn(db, 'nobody', 'x', T0 + 1)).rejects.toThrow('登录名或密码不正确');
    await expect(signIn(db, 'admin', 'wrong', T0 + 2)).rejects.toThrow('登录名或密码不正确');
    const trail = await db.audit.orderBy('seq').toArray();
    expect(trail.map((e) => [e.action, e.actor, e.role])).toEqual([
      ['account-create', 'admin', '管理员'],
      ['sign-in-failed', 'nobody', null],
      ['sign-in-failed', 'admin', '管理员'],
    ]);
  });

  it('makes the account wait after five failures, even for the right secret', async () => {
    await setUpAdministrator(db, ADMIN, 'Admin2026', T0);
    for (let i = 0; i < 5; i += 1) await expect(signIn(db, 'admin', `bad${i}`, T0 + i)).rejects.toThrow(AccountError);
    const err = await signIn(db, 'admin', 'Admin2026', T0 + 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AccountError);
    expect((err as AccountError).message).toContain('连续 5 次登录失败');
    expect((err as AccountError).retryAt).toBe(T0 + 4 + 5 * 60_000);
    // After the wait the right secret works and the count starts again.
    const s = await signIn(db, 'admin', 'Admin2026', T0 + 4 + 5 * 60_000);
    expect(s.login).toBe('admin');
    expect((await db.accounts.toArray())[0]?.failures).toBe(0);
  });

  it('refuses a disabled account, and will not disable the last administrator', async () => {
    const { admin } = await withClerk();
    const clerkRow = (await listAccounts(db, admin)).find((a) => a.login === 'lichuang');
    await changeAccount(db, admin, clerkRow!.id, { disabled: true }, T0 + 3);
    await expect(signIn(db, 'lichuang', '240817', T0 + 4)).rejects.toThrow('已停用');
    await expect(changeAccount(db, admin, admin.accountId, { role: '窗口人员' }, T0 + 5)).rejects.toThrow('唯一的管理员');
    await resetSecret(db, admin, clerkRow!.id, '739105', 'pin', T0 + 6);
    await changeAccount(db, admin, clerkRow!.id, { disabled: false }, T0 + 7);
    expect((await signIn(db, 'lichuang', '739105', T0 + 8)).role).toBe('窗口人员');
  });
});

describe('permissions in the data layer', () => {
  it('a window clerk cannot manage accounts, unmask or export unmasked', async () => {
    const { clerk } = await withClerk();
    await expect(listAccounts(db, clerk)).rejects.toThrow(PermissionDenied);
    await expect(createAccount(db, clerk, { ...ADMIN, login: 'x2', role: '管理员' }, 'Admin2026', T0)).rejects.toThrow('无权管理账号');
    await expect(revealIdentifier(db, clerk, idCell('自然人', PERSON_ID), { screen: 'lists', recordId: 'r1' }, T0)).rejects.toThrow(
      '无权查看未脱敏的证件号码',
    );
    const spec = { what: '核查记录', sheet: '核查记录', header: ['证件号码'], rows: [[idCell('自然人', PERSON_ID)]] };
    await expect(exportWorkbook(db, clerk, { ...spec, unmasked: true }, T0)).rejects.toThrow('无权导出未脱敏数据');

    // The masked export works and holds no full ID number.
    const bytes = await exportWorkbook(db, clerk, spec, T0);
    const sheet = XLSX.read(bytes).Sheets['核查记录']!;
    const cells = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1 });
    expect(cells[1]?.[0]).not.toBe(PERSON_ID);
    expect(cells[1]?.[0]).toMatch(/^371302\*+0173$/);
    const exported = (await db.audit.orderBy('seq').toArray()).at(-1);
    expect(exported).toMatchObject({ action: 'export', actor: 'lichuang', detail: { what: '核查记录', rows: 1, unmasked: false } });
  });

  it('an administrator may unmask and export unmasked, and each is audited', async () => {
    const { admin } = await withClerk();
    expect(await revealIdentifier(db, admin, idCell('自然人', PERSON_ID), { screen: 'lists', recordId: 'r1' }, T0 + 9)).toBe(PERSON_ID);
    expect(resolveExportRows(admin, { rows: [[idCell('自然人', PERSON_ID)]], unmasked: true })).toEqual([[PERSON_ID]]);
    const last = (await db.audit.orderBy('seq').toArray()).at(-1);
    expect(last).toMatchObject({ action: 'unmask', actor: 'admin', detail: { record: 'r1' } });
    expect(JSON.stringify(await db.audit.toArray())).not.toContain(PERSON_ID);
  });

  it('a hand-made or ended session is refused, whatever role it claims', async () => {
    const { admin, clerk } = await withClerk();
    const forged = { ...clerk, role: '管理员' as const };
    await expect(revealIdentifier(db, forged, idCell('自然人', PERSON_ID), { screen: 'x', recordId: 'r' }, T0)).rejects.toThrow(NotSignedIn);
    expect(() => resolveExportRows(forged, { rows: [], unmasked: true })).toThrow(NotSignedIn);
    await endSignedIn(db, admin, 'lock', T0 + 20, 10);
    await expect(listAccounts(db, admin)).rejects.toThrow(NotSignedIn);
    await expect(revealIdentifier(db, admin, idCell('自然人', PERSON_ID), { screen: 'x', recordId: 'r' }, T0)).rejects.toThrow(NotSignedIn);
  });
});

describe('the audit trail', () => {
  async function trailOfSix(): Promise<Session> {
    const { admin } = await withClerk(); // account-create, account-create, sign-in
    await revealIdentifier(db, admin, idCell('自然人', PERSON_ID), { screen: 'lists', recordId: 'r1' }, T0 + 10);
    await exportWorkbook(db, admin, { what: '红黑名单', sheet: 's', header: ['a'], rows: [[1]] }, T0 + 11);
    await endSignedIn(db, admin, 'sign-out', T0 + 12);
    return signIn(db, 'admin', 'Admin2026', T0 + 13);
  }

  it('verifies an untouched trail and queues every entry for the platform', async () => {
    const admin = await trailOfSix();
    const v = await verifyAuditTrail(db, admin);
    expect(v.ok).toBe(true);
    const count = await db.audit.count();
    expect(count).toBe(7);
    const queued = await db.outbox.where('id').startsWith('audit:').toArray();
    expect(queued.map((e) => (e.payload.kind === 'audit' ? e.payload.record.entry.seq : 0)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await listAudit(db, admin, 0, 3)).entries.map((e) => e.seq)).toEqual([7, 6, 5]);
  });

  it('detects an edit of any field of any entry', async () => {
    const admin = await trailOfSix();
    const entries = await db.audit.orderBy('seq').toArray();
    const edits: [keyof AuditEntry, (e: AuditEntry) => unknown][] = [
      ['at', (e) => e.at + 1],
      ['actor', () => 'someone'],
      ['role', (e) => (e.role === '管理员' ? '窗口人员' : '管理员')],
      ['action', (e) => (e.action === 'export' ? 'import' : 'export')],
      ['detail', (e) => ({ ...e.detail, rows: 999 })],
    ];
    for (const original of entries) {
      for (const [field, change] of edits) {
        await db.audit.put({ ...original, [field]: change(original) } as AuditEntry);
        const v = await verifyAuditTrail(db, admin);
        expect(v.ok, `edit of ${field} in entry ${original.seq}`).toBe(false);
        if (!v.ok) expect(v.seq).toBe(original.seq);
        await db.audit.put(original);
      }
    }
    expect((await verifyAuditTrail(db, admin)).ok).toBe(true);
  });

  it('detects a deleted entry, and a cut tail once the platform has acknowledged it', async () => {
    const admin = await trailOfSix();
    const third = (await db.audit.get(3))!;
    await db.audit.delete(3);
    expect(await verifyAuditTrail(db, admin)).toMatchObject({ ok: false, seq: 3 });
    await db.audit.put(third);

    // The platform accepted up to seq 6; cutting 6 and 7 leaves a chain consistent in itself.
    const accepted = await db.outbox.where('id').startsWith('audit:').toArray();
    for (const e of accepted) if (e.payload.kind === 'audit' && e.payload.record.entry.seq <= 6) await db.outbox.update(e.id, { state: 'accepted' });
    await db.audit.bulkDelete([6, 7]);
    const v = await verifyAuditTrail(db, admin);
    expect(v).toMatchObject({ ok: false, seq: 6 });
  });

  it('only administrators read or verify the trail', async () => {
    const { clerk } = await withClerk();
    await expect(verifyAuditTrail(db, clerk)).rejects.toThrow('无权校验审计日志');
    await expect(listAudit(db, clerk)).rejects.toThrow(PermissionDenied);
  });
});

describe('records carry who made them', () => {
  const check = (clerk: string): CheckRecord => ({
    id: `c-${clerk}`, createdAt: T0, clerk, department: '市场监管局', district: '', matterId: 'm1', subjectType: '法人',
    identifier: '91371302MD0B1A0190', headline: 'clear', hits: [], decisions: [], mirrorAsOf: null, stale: false,
    online: false, fastTrack: false, greenChannel: false,
  });

  it('saves a check only for a live session that may do counter checks, signed with its name', async () => {
    const { admin, clerk } = await withClerk();
    await saveCheck(db, clerk, check('李窗口'), []);
    expect(await db.checks.count()).toBe(1);
    await expect(saveCheck(db, clerk, check('王管理'), [])).rejects.toThrow('与当前登录账号（李窗口）不符');
    await createAccount(db, admin, { name: '赵检查', login: 'zhao', role: '检查人员', department: '市场监管局', secretKind: 'pin' }, '240817', T0 + 3);
    const inspector = await signIn(db, 'zhao', '240817', T0 + 4);
    await expect(saveCheck(db, inspector, check('赵检查'), [])).rejects.toThrow('无权办理窗口核查');
    await endSignedIn(db, clerk, 'sign-out', T0 + 5);
    await expect(saveCheck(db, clerk, check('李窗口'), [])).rejects.toThrow(NotSignedIn);
    expect(await db.checks.count()).toBe(1);
  });
});
