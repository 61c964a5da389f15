import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PermissionDenied } from '../../shared/domain/accounts';
import type { ListRecord } from '../../shared/domain/schemas';
import { addDays } from '../../shared/domain/rules-config';
import { DEFAULT_INSPECTION_CONFIG, inInspectorArea, supervisionClass, type InspectionConfig } from '../../shared/domain/supervision';
import { DEMO, demoRecords } from '../../shared/sample/demo';
import { generateRecords } from '../../shared/sample/generator';
import { openDatabase, type HechataiDb } from './database';
import {
  ATTACHMENT_LIMITS,
  AttachmentRefused,
  attachmentProblem,
  describeSubject,
  inspectionDetail,
  inspectionsBy,
  lastInspections,
  saveInspection,
  sniffMime,
  subjectsInArea,
  type InspectionDraft,
  type InspectionFile,
} from './inspections';
import { endSignedIn, signIn } from './accounts';
import { loadMirror, type BrowseCursor, type Tuning } from './mirror-store';
import { NotSignedIn, type Session } from './session';
import { TEAM_PIN, signedInTeam } from './testing-sessions';
import { subjectIdentifiers } from './record-codec';

const TODAY = '2026-11-21';
const AT = Date.UTC(2026, 10, 21, 2, 0); // 10:00 in China
const SMALL: Partial<Tuning> = { pageRecords: 16, runRecords: 700, flushRecords: 100, indexPageBytes: 512, idPageBytes: 256, inFlight: 2 };
const CONFIG: InspectionConfig = { 重点监管: 6, 一般: 2, 信用良好: 1 };

// Real sessions: the data layer refuses anything it did not issue at sign-in.
let INSPECTOR: Session;
let CLERK: Session;
let ADMIN: Session;
const accountsDb = openDatabase('inspections-accounts');

beforeAll(async () => {
  ({ admin: ADMIN, clerk: CLERK, inspector: INSPECTOR } = await signedInTeam(accountsDb, { admin: '管理员甲', clerk: '王窗口', inspector: '李检查' }));
});
afterAll(() => accountsDb.close());

const MB = 1024 * 1024;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const PDF = [...'%PDF-1.7'].map((c) => c.charCodeAt(0));

function file(name: string, magic: readonly number[], size = 64): InspectionFile {
  const bytes = new Uint8Array(size);
  bytes.set(magic);
  for (let i = magic.length; i < size; i++) bytes[i] = i % 251;
  return { name, bytes };
}

function draft(overrides: Partial<InspectionDraft> = {}): InspectionDraft {
  return {
    id: 'f-1',
    identifier: DEMO.blackCompany.identifier,
    subjectName: DEMO.blackCompany.name,
    at: AT,
    supervisionClass: '重点监管',
    findings: '仓库消防通道堆放货物，账簿与发票存根不一致',
    initiate: { behaviour: '虚开增值税专用发票', evidence: '发票存根照片 2 张，账簿复印件 1 份' },
    ...overrides,
  };
}

let n = 0;
const open: HechataiDb[] = [];
function freshDb(): HechataiDb {
  const db = openDatabase(`inspections-${++n}`);
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function nothingWritten(db: HechataiDb): Promise<void> {
  expect(await db.findings.count()).toBe(0);
  expect(await db.files.count()).toBe(0);
  expect(await db.outbox.count()).toBe(0);
}

describe('saveInspection', () => {
  it('saves the inspection, its files and its outbox entry; the inspector is the signed-in account', async () => {
    const db = freshDb();
    const files = [file('现场照片1.jpg', JPEG, 2_000), file('仓库.png', PNG, 1_500), file('询问笔录.pdf', PDF, 900)];
    const saved = await saveInspection(db, INSPECTOR, draft(), files);

    expect(saved.inspector).toBe('李检查');
    expect(saved.attachments).toEqual([
      { name: '现场照片1.jpg', mime: 'image/jpeg', size: 2_000 },
      { name: '仓库.png', mime: 'image/png', size: 1_500 },
      { name: '询问笔录.pdf', mime: 'application/pdf', size: 900 },
    ]);
    expect(await db.findings.get('f-1')).toEqual(saved);
    const [entry] = await db.outbox.toArray();
    expect(entry).toMatchObject({ id: 'finding:f-1', state: 'pending', createdAt: AT, payload: { kind: 'finding', record: saved } });
    expect(entry?.payload.kind === 'finding' && entry.payload.record.initiate).toEqual({ behaviour: '虚开增值税专用发票', evidence: '发票存根照片 2 张，账簿复印件 1 份' });

    const detail = await inspectionDetail(db, 'f-1');
    expect(detail?.sync).toBe('pending');
    expect(detail?.files.map((f) => [f.owner, f.name, f.mime, f.size])).toEqual([
      ['finding:f-1', '现场照片1.jpg', 'image/jpeg', 2_000],
      ['finding:f-1', '仓库.png', 'image/png', 1_500],
      ['finding:f-1', '询问笔录.pdf', 'application/pdf', 900],
    ]);
    expect([...(detail?.files[1]?.bytes ?? [])]).toEqual([...(files[1]?.bytes ?? [])]);
  });

  it('a window clerk cannot record an inspection, even calling the data layer directly; nothing is written', async () => {
    const db = freshDb();
    await expect(saveInspection(db, CLERK, draft(), [file('a.png', PNG)])).rejects.toThrow(PermissionDenied);
    await expect(saveInspection(db, CLERK, draft(), [])).rejects.toThrow('当前账号（窗口人员）无权录入现场检查');
    // A session made by hand, or one ended by the lock, is refused whatever its role.
    await expect(saveInspection(db, { ...INSPECTOR }, draft(), [])).rejects.toThrow(NotSignedIn);
    const locked = await signIn(accountsDb, 'inspector', TEAM_PIN, 6);
    await endSignedIn(accountsDb, locked, 'lock', 7);
    await expect(saveInspection(db, locked, draft(), [])).rejects.toThrow(NotSignedIn);
    await nothingWritten(db);
  });

  it('an administrator may record one too', async () => {
    const db = freshDb();
    expect((await saveInspection(db, ADMIN, draft({ initiate: undefined }), [])).inspector).toBe('管理员甲');
    expect(await db.outbox.count()).toBe(1);
  });

  it('refuses a tenth file, naming it, and writes nothing', async () => {
    const db = freshDb();
    const files = Array.from({ length: ATTACHMENT_LIMITS.maxFiles + 1 }, (_, i) => file(`照片${i + 1}.png`, PNG));
    await expect(saveInspection(db, INSPECTOR, draft(), files)).rejects.toThrow(new AttachmentRefused('不能添加“照片10.png”：每次检查最多附 9 个文件'));
    await nothingWritten(db);
    await saveInspection(db, INSPECTOR, draft(), files.slice(0, 9));
    expect(await db.files.count()).toBe(9);
  });

  it('refuses a file over 10 MB, naming it and its size; exactly 10 MB is accepted', async () => {
    const db = freshDb();
    const big = file('全景.jpg', JPEG, 10 * MB + 1);
    await expect(saveInspection(db, INSPECTOR, draft(), [file('a.png', PNG), big])).rejects.toThrow('“全景.jpg”大小 10.0 MB，超过单个文件上限 10.0 MB');
    await nothingWritten(db);
    expect(attachmentProblem(file('刚好.jpg', JPEG, 10 * MB), [])).toBeNull();
  });

  it('refuses a file that would take the inspection over 30 MB, naming it and the total', async () => {
    const db = freshDb();
    const files = [1, 2, 3, 4].map((i) => file(`扫描${i}.pdf`, PDF, 8 * MB));
    await expect(saveInspection(db, INSPECTOR, draft(), files)).rejects.toThrow('加上“扫描4.pdf”（8.0 MB）后本次检查材料共 32.0 MB，超过上限 30.0 MB');
    await nothingWritten(db);
  });

  it('judges the type by content: a renamed text file is refused whatever its name', async () => {
    const db = freshDb();
    const fake: InspectionFile = { name: '照片.jpg', bytes: new TextEncoder().encode('not a photo at all') };
    await expect(saveInspection(db, INSPECTOR, draft(), [fake])).rejects.toThrow('“照片.jpg”不是 JPG、PNG 照片或 PDF 文档（按文件内容判断），不能作为检查材料');
    await expect(saveInspection(db, INSPECTOR, draft(), [{ name: '空.png', bytes: new Uint8Array(0) }])).rejects.toThrow('“空.png”是空文件');
    await nothingWritten(db);
    expect(sniffMime(file('x', PNG).bytes)).toBe('image/png');
    expect(sniffMime(file('x', JPEG).bytes)).toBe('image/jpeg');
    expect(sniffMime(file('x', PDF).bytes)).toBe('application/pdf');
  });

  it('refuses an invalid record (no findings text) and writes nothing', async () => {
    const db = freshDb();
    await expect(saveInspection(db, INSPECTOR, draft({ findings: '' }), [file('a.png', PNG)])).rejects.toThrow();
    await nothingWritten(db);
  });

  it('all or nothing: when the outbox entry cannot be written, neither the record nor its files stay', async () => {
    const db = freshDb();
    await saveInspection(db, INSPECTOR, draft(), []);
    // The same id again: the outbox already holds finding:f-1, so the transaction fails.
    await db.findings.delete('f-1');
    await expect(saveInspection(db, INSPECTOR, draft(), [file('a.png', PNG)])).rejects.toThrow();
    expect(await db.findings.count()).toBe(0);
    expect(await db.files.count()).toBe(0);
    expect(await db.outbox.count()).toBe(1);
  });
});

describe('reading inspections', () => {
  it("lists an inspector's own inspections newest first, with their sync state", async () => {
    const db = freshDb();
    await saveInspection(db, INSPECTOR, draft({ id: 'old', at: AT - 86_400_000 }), []);
    await saveInspection(db, INSPECTOR, draft({ id: 'new', at: AT }), []);
    await saveInspection(db, ADMIN, draft({ id: 'other', at: AT }), []);
    await db.outbox.update('finding:old', { state: 'accepted', settledAt: AT });
    await db.outbox.update('finding:new', { state: 'rejected', lastError: '证件号码校验位错误' });

    const rows = await inspectionsBy(db, '李检查');
    expect(rows.map((r) => [r.finding.id, r.sync, r.syncError])).toEqual([
      ['new', 'rejected', '证件号码校验位错误'],
      ['old', 'accepted', undefined],
    ]);
    expect(await inspectionDetail(db, 'missing')).toBeUndefined();
  });

  it('the last inspection of each subject is the latest date recorded here, in China time', async () => {
    const db = freshDb();
    await saveInspection(db, INSPECTOR, draft({ id: 'a', at: Date.UTC(2026, 5, 1, 1) }), []);
    await saveInspection(db, INSPECTOR, draft({ id: 'b', at: Date.UTC(2026, 8, 30, 17) }), []); // 10-01 01:00 in China
    const last = await lastInspections(db, [DEMO.blackCompany.identifier, DEMO.redCompany.identifier]);
    expect([...last]).toEqual([[DEMO.blackCompany.identifier, '2026-10-01']]);
  });
});

describe('subjects in the inspector’s area', () => {
  const db = openDatabase('inspections-area');
  const records: ListRecord[] = [...demoRecords(TODAY), ...generateRecords({ seed: 11, subjects: 500, records: 1_500, today: TODAY })];

  beforeAll(async () => {
    await loadMirror(db, [records.slice(0, 700), records.slice(700)], { tuning: SMALL });
  });
  afterAll(() => db.close());

  /** Every subject of the area, reading page by page as the screen does. */
  async function wholeArea(area: string, limit: number, scanLimit: number) {
    const out: Awaited<ReturnType<typeof subjectsInArea>>['subjects'] = [];
    let after: BrowseCursor | null = null;
    for (let calls = 0; ; calls++) {
      expect(calls).toBeLessThan(1_000);
      const page: Awaited<ReturnType<typeof subjectsInArea>> = await subjectsInArea(db, {
        area, today: TODAY, config: CONFIG, after, limit, scanLimit, skip: new Set(out.map((s) => s.identifier)),
      });
      expect(page.scanned).toBeLessThanOrEqual(scanLimit);
      out.push(...page.subjects);
      if (!page.next) return out;
      after = page.next;
    }
  }

  it('pages through the mirror and finds every subject registered in the area once, with its class from all its records', async () => {
    const area = '临沂市兰山区';
    const subjects = await wholeArea(area, 7, 300);
    const expected = new Set(records.filter((r) => inInspectorArea(r.district, area)).map((r) => subjectIdentifiers(r)[0]));
    expect(subjects.length).toBe(expected.size);
    expect(new Set(subjects.map((s) => s.identifier))).toEqual(expected);
    expect(expected.size).toBeGreaterThan(20);
    for (const s of subjects) {
      const own = records.filter((r) => subjectIdentifiers(r).includes(s.identifier));
      expect(s.records.map((r) => r.id).sort()).toEqual(own.map((r) => r.id).sort());
      expect(s.supervisionClass).toBe(supervisionClass(own, TODAY));
      expect(s.perYear).toBe(CONFIG[s.supervisionClass]);
      expect(s.next).toEqual({ due: TODAY, overdueDays: 0 });
    }
    const byId = new Map(subjects.map((s) => [s.identifier, s]));
    expect(byId.get(DEMO.blackCompany.identifier)?.supervisionClass).toBe('重点监管');
    expect(byId.get(DEMO.redCompany.identifier)?.supervisionClass).toBe('信用良好');
    expect(byId.get(DEMO.expiredCompany.identifier)?.supervisionClass).toBe('一般');
    expect(new Set(subjects.map((s) => s.supervisionClass))).toEqual(new Set(['重点监管', '一般', '信用良好']));
  });

  it('an area no record is registered in yields nothing, however far it reads', async () => {
    expect(await wholeArea('某某县', 50, 400)).toEqual([]);
  });

  it('an empty area means every district', async () => {
    const subjects = await wholeArea('', 50, 2_000);
    expect(subjects.length).toBe(new Set(records.map((r) => subjectIdentifiers(r)[0])).size);
  });

  it('looks up any subject by identifier, listed or not; the next inspection follows the last one recorded here', async () => {
    const black = await describeSubject(db, DEMO.blackCompany.identifier, { today: TODAY, config: DEFAULT_INSPECTION_CONFIG });
    expect(black).toMatchObject({ name: DEMO.blackCompany.name, type: '法人', supervisionClass: '重点监管', perYear: 4, district: '兰山区' });

    await saveInspection(db, INSPECTOR, draft({ id: 'area-1', identifier: DEMO.redCompany.identifier, at: AT - 30 * 86_400_000 }), []);
    const red = await describeSubject(db, DEMO.redCompany.identifier, { today: TODAY, config: DEFAULT_INSPECTION_CONFIG });
    expect(red.supervisionClass).toBe('信用良好');
    expect(red.lastInspected).toBe(addDays(TODAY, -30));
    expect(red.next).toEqual({ due: addDays(TODAY, 730 - 30), overdueDays: 0 });

    const unlisted = await describeSubject(db, DEMO.cleanCompany.identifier, { today: TODAY, config: DEFAULT_INSPECTION_CONFIG });
    expect(unlisted).toMatchObject({ name: '', type: '法人', records: [], supervisionClass: '一般', perYear: 1 });
    const person = await describeSubject(db, '37130219570112066X', { today: TODAY, config: DEFAULT_INSPECTION_CONFIG });
    expect(person.type).toBe('自然人');
  });
});
