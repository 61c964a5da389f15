import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PermissionDenied } from '../../shared/domain/accounts';
import type { ListRecord, Matter, Measure } from '../../shared/domain/schemas';
import { generateRecords } from '../../shared/sample/generator';
import type { ImportOk } from '../../shared/import/validate';
import { openDatabase, type HechataiDb } from '../db/database';
import { applyChanges, loadMirror, lookupIdentifier, mirrorState } from '../db/mirror-store';
import { SECURITY_KEY, endSignedIn, setUpAdministrator } from '../db/accounts';
import { writeMeta } from '../db/meta';
import type { Session } from '../db/session';
import { NotSignedIn } from '../db/session';
import { signedInTeam } from '../db/testing-sessions';
import { PENDING_AUDIT_PREFIX, appendPendingAudits, verifyAuditTrail } from '../db/audit-log';
import { applyImport, applyListImport, lastImportKey, type ListImportJob, type ListWriter } from './apply';

// Real sessions: the data layer refuses anything it did not issue at sign-in.
let ADMIN: Session;
let CLERK: Session;
let INSPECTOR: Session;

let n = 0;
const open: HechataiDb[] = [];
function freshDb(): HechataiDb {
  const db = openDatabase(`import-apply-${++n}`);
  open.push(db);
  return db;
}

beforeAll(async () => {
  ({ admin: ADMIN, clerk: CLERK, inspector: INSPECTOR } = await signedInTeam(freshDb()));
});
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const preview = (rows: number) => ({ rows, warnings: [], moreWarnings: 0 });
const listImport = (records: ListRecord[]): ImportOk => ({ ok: true, kind: 'list', sheet: '名单', records, preview: preview(records.length) });
const records = [...generateRecords({ seed: 3, records: 40, today: '2026-11-21' })];

const measure: Measure = {
  id: 'M-1', edition: '2024版', level: '市级', category: '行政性', kind: 'punishment', title: '从严审核', content: '内容', basis: '依据',
  initiatingDept: '发改委', implementingDepts: ['*'], mandatory: true, matters: ['*'], listTypes: ['*'], colours: ['black'], minSeverity: '轻微', target: 'subject',
};
const matter: Matter = { id: 'SX-1', name: '食品经营许可', department: '市场监督管理局', statutoryDays: 20, secondaryMaterials: [], subjectTypes: ['法人'] };

describe('applyImport', () => {
  it('refuses anyone but an administrator, and writes nothing', async () => {
    const db = freshDb();
    await expect(applyImport(db, CLERK, listImport(records))).rejects.toThrow(PermissionDenied);
    await expect(applyImport(db, INSPECTOR, { ok: true, kind: 'measure', sheet: 's', records: [measure], preview: preview(1) })).rejects.toThrow('无权导入名单');
    // A window clerk calling the data layer with a hand-made administrator is refused too.
    await expect(applyImport(db, { ...CLERK, role: '管理员' }, listImport(records))).rejects.toThrow(NotSignedIn);
    // A session ended by the lock or sign-out is refused, whatever its role.
    const other = freshDb();
    await writeMeta(other, SECURITY_KEY, { pbkdf2Iterations: 1_000 });
    const admin2 = await setUpAdministrator(other, { name: '钱管理', login: 'admin2', department: '发改委', secretKind: 'password' }, 'Admin2026', 1);
    await endSignedIn(other, admin2, 'lock', 2);
    await expect(applyImport(other, admin2, listImport(records))).rejects.toThrow(NotSignedIn);
    expect((await mirrorState(db)).deltaCount).toBe(0);
    expect(await db.measures.count()).toBe(0);
  });

  it('list records become mirror records; importing again changes nothing; a higher version replaces', async () => {
    const db = freshDb();
    const first = await applyImport(db, ADMIN, listImport(records), { now: 1_000, fileName: '名单.xlsx' });
    expect(first).toMatchObject({ kind: 'list', rows: 40, applied: 40, ignored: 0 });
    expect(first.audit).toMatchObject({ at: 1_000, actor: 'admin', role: '管理员', action: 'import', detail: { kind: '名单', rows: 40, applied: 40, file: '名单.xlsx' } });
    const r0 = records[0] as ListRecord;
    const id = (r0.uscc ?? r0.idNumber) as string;
    expect((await lookupIdentifier(db, id)).subject.map((r) => r.id)).toContain(r0.id);
    expect((await db.meta.get(lastImportKey('list')))?.value).toMatchObject({ at: 1_000, login: 'admin', rows: 40 });
    expect(await db.audit.orderBy('seq').last()).toMatchObject({ action: 'import', actor: 'admin', detail: { rows: 40, applied: 40 } });

    expect(await applyImport(db, ADMIN, listImport(records))).toMatchObject({ applied: 0, ignored: 40 });
    const changed = { ...r0, reason: '更正后的事由', version: 2 };
    expect(await applyImport(db, ADMIN, listImport([changed]))).toMatchObject({ applied: 1, ignored: 0 });
    expect((await lookupIdentifier(db, id)).subject.find((r) => r.id === r0.id)?.reason).toBe('更正后的事由');
  });

  it('a list import into a populated mirror is written to its delta log, with the same version rules, meta and audit', async () => {
    const db = freshDb();
    const base = [...generateRecords({ seed: 4, records: 300, today: '2026-11-21' })];
    await loadMirror(db, [base]);
    await applyChanges(db, [{ op: 'delete', id: (base[1] as ListRecord).id }]);
    const before = await mirrorState(db);
    const file = [{ ...(base[0] as ListRecord), version: 9 }, base[1] as ListRecord, base[2] as ListRecord, ...records.map((r) => ({ ...r, id: `F-${r.id}` }))];
    const progress: number[] = [];
    // Where the page's worker would apply it: the writer gets the job, and checks it again itself.
    const jobs: ListImportJob[] = [];
    const writer: ListWriter = async (rs, job) => {
      jobs.push(job);
      return applyListImport(db, job.actor, rs, job);
    };
    const summary = await applyImport(db, ADMIN, listImport(file), { now: 2_000, fileName: '大名单.xlsx', writer, onProgress: (d) => progress.push(d) });
    expect(summary).toMatchObject({ kind: 'list', rows: 43, applied: 42, ignored: 1 });
    expect(summary.mirrorReorganised).toBeUndefined();
    expect(jobs).toMatchObject([{ actor: { login: 'admin', role: '管理员' }, meta: { [lastImportKey('list')]: { at: 2_000, rows: 43 } } }]);
    expect(summary.audit.detail).toMatchObject({ rows: 43, applied: 42, ignored: 1, file: '大名单.xlsx' });
    const after = await mirrorState(db);
    expect(after).toMatchObject({ gen: before.gen, records: 300, deltaCount: 1 + 41, deltaPages: before.deltaPages + 1 });
    expect(progress.at(-1)).toBe(43);
    expect((await db.meta.get(lastImportKey('list')))?.value).toMatchObject({ at: 2_000, login: 'admin', rows: 43 });
    const r0 = records[0] as ListRecord;
    expect((await lookupIdentifier(db, (r0.uscc ?? r0.idNumber) as string)).subject.map((r) => r.id)).toContain(`F-${r0.id}`);

    // The same checks where it is applied: permission, schema; nothing written.
    await expect(applyListImport(db, { login: 'c', role: '窗口人员' }, file, { meta: {} })).rejects.toThrow(PermissionDenied);
    const bad = [...file.slice(1), { ...(records[3] as ListRecord), id: 'BAD', designatedOn: '2023-02-30' }];
    await expect(applyImport(db, ADMIN, listImport(bad), { writer })).rejects.toThrow(/未导入任何数据/);
    // A cancelled import leaves the mirror as it was.
    const abort = new AbortController();
    abort.abort(new DOMException('导入已取消', 'AbortError'));
    await expect(applyImport(db, ADMIN, listImport(bad.slice(0, -1).map((r) => ({ ...r, version: r.version + 1 }))), { writer, signal: abort.signal })).rejects.toThrow('导入已取消');
    expect(await mirrorState(db)).toEqual(after);
  });

  it('the audit entry of a list import is stored in the import\'s own transaction: a crash before it is appended cannot lose it', async () => {
    const db = freshDb();
    await loadMirror(db, [[...generateRecords({ seed: 6, records: 100, today: '2026-11-21' })]]);
    const admin = await setUpAdministrator(db, { name: '孙管理', login: 'boss', department: '发改委', secretKind: 'password' }, 'Admin2026', 1);
    const file = records.map((r) => ({ ...r, id: `P-${r.id}` }));
    // The app closes right after the import's transaction (before applyImport appends the entry).
    let stored: ListImportJob | undefined;
    const crashing: ListWriter = async (rs, job) => {
      stored = job;
      await applyListImport(db, job.actor, rs, job);
      throw new Error('窗口已关闭');
    };
    await expect(applyImport(db, admin, listImport(file), { now: 3_000, fileName: '补充名单.xlsx', writer: crashing })).rejects.toThrow('窗口已关闭');
    expect((await mirrorState(db)).deltaCount).toBe(40);
    const key = stored?.audit?.key as string;
    expect(key.startsWith(PENDING_AUDIT_PREFIX)).toBe(true);
    expect((await db.audit.toArray()).some((e) => e.action === 'import')).toBe(false);
    // The next start appends it, with the counts the transaction knew, once.
    expect(await appendPendingAudits(db)).toBe(1);
    expect(await appendPendingAudits(db)).toBe(0);
    expect(await db.meta.get(key)).toBeUndefined();
    const entries = (await db.audit.toArray()).filter((e) => e.action === 'import');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'boss', role: '管理员', at: 3_000, detail: { rows: 40, applied: 40, ignored: 0, file: '补充名单.xlsx' } });
    expect((await verifyAuditTrail(db, admin)).ok).toBe(true);
    // Without a crash the entry is appended at once and nothing is left pending.
    const again = await applyImport(db, admin, listImport(file.map((r) => ({ ...r, version: r.version + 1 }))), { now: 4_000 });
    expect(again.audit.detail).toMatchObject({ applied: 40, ignored: 0 });
    expect(await db.meta.where('key').startsWith(PENDING_AUDIT_PREFIX).count()).toBe(0);
    expect((await db.audit.toArray()).filter((e) => e.action === 'import')).toHaveLength(2);
  });

  it('records that fail their schema, or repeat an id, are refused as a whole', async () => {
    const db = freshDb();
    const bad = { ...records[1], designatedOn: '2023-02-30' } as ListRecord;
    // The schema words the refusal (the fast check only says it is unsure): row and field.
    await expect(applyImport(db, ADMIN, listImport([records[0] as ListRecord, bad]))).rejects.toThrow(/第 2 条 designatedOn：.*未导入任何数据/);
    await expect(applyImport(db, ADMIN, listImport([records[0] as ListRecord, records[0] as ListRecord]))).rejects.toThrow(/重复/);
    expect((await mirrorState(db)).deltaCount).toBe(0);
  });

  it('measures and matters: added, updated, unchanged, in one transaction', async () => {
    const db = freshDb();
    const m = (records: Measure[]): ImportOk => ({ ok: true, kind: 'measure', sheet: '措施清单', records, preview: preview(records.length) });
    expect(await applyImport(db, ADMIN, m([measure]))).toMatchObject({ applied: 1, added: 1, updated: 0, unchanged: 0 });
    const summary = await applyImport(db, ADMIN, m([measure, { ...measure, id: 'M-2' }, { ...measure, id: 'M-3' }].map((x, i) => (i === 0 ? x : { ...x, title: `措施${i}` }))));
    expect(summary).toMatchObject({ rows: 3, applied: 2, added: 2, updated: 0, unchanged: 1 });
    expect(await applyImport(db, ADMIN, m([{ ...measure, mandatory: false }]))).toMatchObject({ added: 0, updated: 1 });
    expect((await db.measures.get('M-1'))?.mandatory).toBe(false);

    const t = (records: Matter[]): ImportOk => ({ ok: true, kind: 'matter', sheet: '审批事项', records, preview: preview(records.length) });
    expect(await applyImport(db, ADMIN, t([matter]))).toMatchObject({ added: 1 });
    expect(await db.matters.get('SX-1')).toEqual(matter);
    // A record that fails its schema: nothing of the batch is written.
    await expect(applyImport(db, ADMIN, t([{ ...matter, id: 'SX-2' }, { ...matter, id: 'SX-3', statutoryDays: 0 }]))).rejects.toThrow();
    expect(await db.matters.count()).toBe(1);
    // One audit entry per applied import, written with it; none for the refused one.
    const imports = (await db.audit.toArray()).filter((e) => e.action === 'import');
    expect(imports.map((e) => [e.detail.kind, e.detail.applied])).toEqual([['措施清单', 1], ['措施清单', 2], ['措施清单', 1], ['审批事项目录', 1]]);
  });
});
