import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { CheckRecord, ListRecord } from '../../shared/domain/schemas';
import { generateRecords } from '../../shared/sample/generator';
import { SCHEMA_V1, SCHEMA_V2, openDatabase, type StoredRecordV1 } from './database';
import { linkedParties, recordsFor } from './mirror';
import { applyChanges, browseMirror, compactMirror, lookupIdentifier, mirrorState, searchByName } from './mirror-store';
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
    expect(db.verno).toBe(3);
    expect(db.backendDB().objectStoreNames.contains('records')).toBe(false);
    expect(await db.checks.get('c1')).toEqual(check);
    expect((await db.meta.get('mirror.asOf'))?.value).toBe(123);
    expect((await mirrorState(db)).deltaCount).toBe(records.length);

    const byId = (a: ListRecord, b: ListRecord): number => (a.id < b.id ? -1 : 1);
    for (const r of records.slice(0, 300)) {
      const id = subjectIdentifiers(r)[0] as string;
      expect((await recordsFor(db, id)).sort(byId)).toEqual(records.filter((x) => subjectIdentifiers(x).includes(id)).sort(byId));
    }
    const withRep = records.find((r) => r.legalRepId) as ListRecord;
    expect((await lookupIdentifier(db, withRep.legalRepId as string)).legalRep.map((r) => r.id).sort()).toEqual(
      records.filter((r) => r.legalRepId === withRep.legalRepId).map((r) => r.id).sort(),
    );
    const parties = await linkedParties(db, '自然人', withRep.legalRepId as string, []);
    expect(parties.length).toBeGreaterThan(0);
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
    expect((await recordsFor(db, subjectIdentifiers(first)[0] as string)).find((r) => r.id === first.id)?.version).toBe(2);
    db.close();
  });

  it('a fresh database starts at the latest version with an empty mirror', async () => {
    const db = openDatabase('fresh-v2');
    await db.open();
    expect(db.verno).toBe(3);
    expect(await recordsFor(db, '91371300MA00000000')).toEqual([]);
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
    expect(db.verno).toBe(3);
    const pending = await db.outbox.where('[state+seq]').between(['pending', 0], ['pending', Infinity]).toArray();
    expect(pending.map((e) => e.id)).toEqual(['c', 'a']);
    expect((await db.findings.where('inspector').equals('李四').toArray()).map((f) => f.id)).toEqual(['f1']);
    expect(await db.accounts.count()).toBe(0);
    expect(await db.audit.count()).toBe(0);
    expect(await db.files.count()).toBe(0);
    db.close();
  });
});
