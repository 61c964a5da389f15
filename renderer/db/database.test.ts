import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { CheckRecord, ListRecord } from '../../shared/domain/schemas';
import { generateRecords } from '../../shared/sample/generator';
import {
  MIRROR_STATE_KEY,
  NEW_ORDER_BASE,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
  SCHEMA_V4,
  SCHEMA_V5,
  deltaRowOf,
  openDatabase,
  outboxInState,
  tombstoneRow,
  type StoredRecordV1,
} from './database';
import { counterRecords } from './mirror';
import { applyChanges, browseMirror, compactMirror, loadMirror, lookupIdentifier, mirrorState, searchByName } from './mirror-store';
import { subjectIdentifiers } from './record-codec';

const TODAY = '2026-11-21';

describe('migration v1 → v2', () => {
  it('keeps every v1 list record findable and every local record in place', async () => {
    const name = 'migration-v1';
    const records = [...generateRecords({ seed: 3, subjects: 600, records: 2_000, today: TODAY })];
    const check: CheckRecord = {
      id: 'c1', createdAt: 1, clerk: '张三', department: '市场监管局', district: '', matterId: 'm1', subjectType: '法人',
      identifier: records[0]?.uscc ?? 'x', headline: 'clear', hits: [], decisions: [], mirrorAsOf: null, stale: false,
      online: false, fastTrack: false, greenChannel: false,
    };

    // A database exactly as version 1 wrote it.
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_V1);
    await v1.table<StoredRecordV1>('records').bulkPut(records.map((r) => ({ ...r, ids: subjectIdentifiers(r) })));
    await v1.table('checks').put(check);
    await v1.table('meta').put({ key: 'mirror.asOf', value: 123 });
    v1.close();

    const db = openDatabase(name);
    await db.open();
    expect(db.verno).toBe(6);
    expect(db.backendDB().objectStoreNames.contains('records')).toBe(false);
    expect(await db.checks.get('c1')).toEqual(check);
    expect((await db.meta.get('mirror.asOf'))?.value).toBe(123);
    expect((await mirrorState(db)).deltaCount).toBe(records.length);

    const byId = (a: ListRecord, b: ListRecord): number => (a.id < b.id ? -1 : 1);
    for (const r of records.slice(0, 300)) {
      const id = subjectIdentifiers(r)[0] as string;
      expect((await lookupIdentifier(db, id)).subject.sort(byId)).toEqual(records.filter((x) => subjectIdentifiers(x).includes(id)).sort(byId));
    }
    const withRep = records.find((r) => r.legalRepId) as ListRecord;
    expect((await lookupIdentifier(db, withRep.legalRepId as string)).legalRep.map((r) => r.id).sort()).toEqual(
      records.filter((r) => r.legalRepId === withRep.legalRepId).map((r) => r.id).sort(),
    );
    const { linked } = await counterRecords(db, '自然人', withRep.legalRepId as string);
    expect(linked.length).toBeGreaterThan(0);
    const q = withRep.subjectName.slice(2, 5);
    expect((await searchByName(db, q, { limit: 10_000 })).records.map((r) => r.id).sort()).toEqual(
      records.filter((r) => r.subjectName.includes(q)).map((r) => r.id).sort(),
    );
    const all = await browseMirror(db, { limit: 5_000 });
    expect(all.records.map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());

    // Later versions and compaction work on migrated data.
    const first = records[0] as ListRecord;
    expect(await applyChanges(db, [{ op: 'upsert', record: { ...first, version: 2 } }])).toEqual({ applied: 1, ignored: 0 });
    expect(await applyChanges(db, [{ op: 'upsert', record: first }])).toEqual({ applied: 0, ignored: 1 });
    await compactMirror(db);
    const state = await mirrorState(db);
    expect(state.deltaCount).toBe(0);
    expect(state.records).toBe(records.length);
    expect((await lookupIdentifier(db, subjectIdentifiers(first)[0] as string)).subject.find((r) => r.id === first.id)?.version).toBe(2);
    db.close();
  });

  it('a fresh database starts at the latest version with an empty mirror', async () => {
    const db = openDatabase('fresh-v2');
    await db.open();
    expect(db.verno).toBe(6);
    expect((await lookupIdentifier(db, '91371300MA00000000')).subject).toEqual([]);
    expect((await browseMirror(db)).records).toEqual([]);
    expect((await searchByName(db, '有限')).records).toEqual([]);
    db.close();
  });
});

describe('migration v2 → v3', () => {
  it('keeps outbox and findings rows, and the new indexes find them', async () => {
    const name = 'migration-v2';
    const v2 = new Dexie(name);
    v2.version(1).stores(SCHEMA_V1);
    v2.version(2).stores(SCHEMA_V2);
    const entry = (id: string, seq: number, state: string) => ({ id, seq, state, createdAt: 1, attempts: 0, payload: { kind: 'check' } });
    await v2.table('outbox').bulkPut([entry('a', 3, 'pending'), entry('b', 1, 'accepted'), entry('c', 2, 'pending')]);
    await v2.table('findings').put({ id: 'f1', identifier: 'x', at: 5, inspector: '李四' });
    v2.close();

    const db = openDatabase(name);
    await db.open();
    expect(db.verno).toBe(6);
    const pending = await db.outbox.where('[state+seq]').between(['pending', 0], ['pending', Infinity]).toArray();
    expect(pending.map((e) => e.id)).toEqual(['c', 'a']);
    expect((await db.findings.where('inspector').equals('李四').toArray()).map((f) => f.id)).toEqual(['f1']);
    expect(await db.accounts.count()).toBe(0);
    expect(await db.audit.count()).toBe(0);
    expect(await db.files.count()).toBe(0);
    db.close();
  });
});

describe('migration v5 → v6', () => {
  it('keeps every outbox entry; the one index left finds each state in seq order', async () => {
    const name = 'migration-v5';
    const v5 = new Dexie(name);
    [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5].forEach((schema, i) => v5.version(i + 1).stores(schema));
    const entry = (id: string, seq: number, state: string) => ({ id, seq, state, createdAt: 1, attempts: 0, payload: { kind: 'check' } });
    await v5.table('outbox').bulkPut([entry('a', 3, 'pending'), entry('b', 1, 'accepted'), entry('c', 2, 'pending'), entry('d', 4, 'rejected')]);
    v5.close();

    const db = openDatabase(name);
    await db.open();
    expect(db.verno).toBe(6);
    expect(db.outbox.schema.indexes.map((i) => i.name)).toEqual(['[state+seq]']);
    expect(await db.outbox.count()).toBe(4);
    expect((await outboxInState(db, 'pending').toArray()).map((e) => e.id)).toEqual(['c', 'a']);
    expect((await outboxInState(db, 'pending', 2).toArray()).map((e) => e.id)).toEqual(['a']);
    expect(await outboxInState(db, 'rejected').count()).toBe(1);
    expect(await outboxInState(db, 'withdrawn').count()).toBe(0);
    db.close();
  });
});

const TWO_A_PAGE = { pageRecords: 2 };

describe('migration v3 → v4 → v5', () => {
  it('turns the v3 delta rows into log pages: every delta record and tombstone still counts, over a base generation', async () => {
    const name = 'migration-v3';
    // A v4 database with a base generation, then rolled back by hand to the v3 delta layout.
    const base = [...generateRecords({ seed: 7, subjects: 400, records: 1_200, today: TODAY })];
    const setup = openDatabase(`${name}-base`);
    await setup.open();
    // Pages of 2 records: more rows than one step of the v5 copy.
    await loadMirror(setup, [base], { tuning: TWO_A_PAGE });
    const baseState = await mirrorState(setup);
    const pages = await setup.mirrorRecordPages.toArray();
    const index = await setup.mirrorIndexPages.toArray();
    setup.close();
    await Dexie.delete(`${name}-base`);

    const v3 = new Dexie(name);
    v3.version(1).stores(SCHEMA_V1);
    v3.version(2).stores(SCHEMA_V2);
    v3.version(3).stores(SCHEMA_V3);
    await v3.table('mirrorPages').bulkPut(pages);
    await v3.table('mirrorIndex').bulkPut(index);
    // 2,500 new records (two log pages), one changed base record, one deleted base record.
    const fresh = [...generateRecords({ seed: 8, subjects: 900, records: 2_500, today: TODAY })].map((r) => ({ ...r, id: `N-${r.id}` }));
    const changed: ListRecord = { ...(base[10] as ListRecord), version: (base[10] as ListRecord).version + 1, reason: '迁移前的修改' };
    const gone = base[20] as ListRecord;
    // Positions as the base holds them (same load, same layout).
    const probe = openDatabase(`${name}-pos`);
    await probe.open();
    await loadMirror(probe, [base], { tuning: TWO_A_PAGE });
    await applyChanges(probe, [{ op: 'upsert', record: changed }, { op: 'delete', id: gone.id }]);
    const log = JSON.parse((await probe.mirrorDeltaLog.toArray())[0]?.text ?? '[]') as { id: string; base: number; ord: number }[];
    probe.close();
    await Dexie.delete(`${name}-pos`);
    const at = (id: string) => log.find((e) => e.id === id) as { base: number; ord: number };
    await v3.table('mirrorDelta').bulkPut([
      ...fresh.map((r, i) => deltaRowOf(r, -1, NEW_ORDER_BASE + i)),
      deltaRowOf(changed, at(changed.id).base, at(changed.id).ord),
      tombstoneRow(gone.id, gone.version, at(gone.id).base, at(gone.id).ord),
    ]);
    const { deltaPages: _p, ...v3State } = { ...baseState, deltaCount: fresh.length + 2, deltaSeq: fresh.length };
    await v3.table('meta').put({ key: MIRROR_STATE_KEY, value: v3State });
    v3.close();

    const db = openDatabase(name);
    await db.open();
    expect(db.verno).toBe(6);
    expect(db.backendDB().objectStoreNames.contains('mirrorDelta')).toBe(false);
    // v5 moved the pages to stores keyed out of line, every row.
    expect(['mirrorPages', 'mirrorIndex'].filter((s) => db.backendDB().objectStoreNames.contains(s))).toEqual([]);
    expect(pages.length).toBeGreaterThan(500);
    expect(await db.mirrorRecordPages.count()).toBe(pages.length);
    expect(await db.mirrorIndexPages.count()).toBe(index.length);
    expect(await db.mirrorRecordPages.get([baseState.gen, 3])).toEqual(pages.find((p) => p.gen === baseState.gen && p.page === 3));
    const state = await mirrorState(db);
    expect(state).toMatchObject({ gen: baseState.gen, deltaCount: fresh.length + 2, deltaSeq: fresh.length, deltaPages: 2 });
    expect(await db.mirrorDeltaLog.count()).toBe(2);

    const r0 = fresh[0] as ListRecord;
    const hits = await lookupIdentifier(db, subjectIdentifiers(r0)[0] as string);
    expect(hits.subject.map((r) => r.id)).toContain(r0.id);
    expect((await searchByName(db, r0.subjectName, { limit: 5_000 })).records.map((r) => r.id)).toContain(r0.id);
    const all = await browseAll(db);
    expect(all.length).toBe(base.length - 1 + fresh.length);
    expect(all.find((r) => r.id === changed.id)?.reason).toBe('迁移前的修改');
    expect(all.some((r) => r.id === gone.id)).toBe(false);
    // Browse order: base records first (the changed one in its place), then the new ones in arrival order.
    expect(all.slice(base.length - 1).map((r) => r.id)).toEqual(fresh.map((r) => r.id));
    // The next sync page goes on from there.
    await applyChanges(db, [{ op: 'delete', id: r0.id }]);
    expect((await mirrorState(db)).deltaPages).toBe(3);
    expect((await lookupIdentifier(db, subjectIdentifiers(r0)[0] as string)).subject.map((r) => r.id)).not.toContain(r0.id);
    db.close();
  });
});

async function browseAll(db: Parameters<typeof browseMirror>[0]): Promise<ListRecord[]> {
  const out: ListRecord[] = [];
  let after: Awaited<ReturnType<typeof browseMirror>>['next'] = null;
  for (;;) {
    const page = await browseMirror(db, { after, limit: 1_000, scanLimit: 1_000 });
    out.push(...page.records);
    if (!page.next) return out;
    after = page.next;
  }
}
