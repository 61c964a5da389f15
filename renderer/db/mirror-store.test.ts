import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ListRecord } from '../../shared/domain/schemas';
import { recordState } from '../../shared/domain/verdict';
import { generateRecords } from '../../shared/sample/generator';
import { MIRROR_STATE_KEY, indexKey, mirrorMaintenance, openDatabase, pageKey, type HechataiDb, type MirrorIndexRow } from './database';
import { counterRecords } from './mirror';
import {
  APPLY_READ_CHUNK,
  LOG_ROW_ENTRIES,
  applyChanges,
  browseMirror,
  cleanupMirror,
  compactIfDue,
  compactMirror,
  compactionDue,
  loadMirror,
  pendingCompaction,
  setAutoCompaction,
  lookupIdentifier,
  lookupIdentifiers,
  warmDelta,
  mirrorState,
  searchByName,
  type BrowseFilter,
  type BrowseCursor,
  PAGE_SLOTS,
} from './mirror-store';
import { RunWriter } from './postings';
import { SMALL, TODAY, batches, sample } from './testing-mirror';
import { subjectIdentifiers } from './record-codec';
import { legacyIdKey } from './run-builder';


let n = 0;
const open: HechataiDb[] = [];
function freshDb(): HechataiDb {
  const db = openDatabase(`mirror-test-${++n}`);
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const ids = (rs: readonly ListRecord[]): string[] => rs.map((r) => r.id);
const sortedIds = (rs: readonly ListRecord[]): string[] => ids(rs).sort();
const bruteSubject = (rs: readonly ListRecord[], id: string): ListRecord[] => rs.filter((r) => subjectIdentifiers(r).includes(id));
const bruteRep = (rs: readonly ListRecord[], id: string): ListRecord[] => rs.filter((r) => r.legalRepId === id);

async function browseAll(db: HechataiDb, filter: BrowseFilter, limit = 37): Promise<ListRecord[]> {
  const out: ListRecord[] = [];
  let after: BrowseCursor | null = null;
  for (;;) {
    const page: Awaited<ReturnType<typeof browseMirror>> = await browseMirror(db, { filter, after, limit });
    out.push(...page.records);
    if (!page.next) return out;
    after = page.next;
  }
}

describe('a loaded mirror', () => {
  const loaded = sample(3_000);
  /** The records in mirror order (browse order), which every result list follows. */
  let records: ListRecord[];
  let db: HechataiDb;
  beforeAll(async () => {
    db = openDatabase('mirror-test-loaded');
    const progress: number[] = [];
    // Index pages of 32 bytes: a common bigram's pages of one run do not fit in one.
    const stats = await loadMirror(db, batches(loaded), { tuning: { ...SMALL, indexPageBytes: 32 }, total: loaded.length, onProgress: (done) => progress.push(done) });
    expect(stats.records).toBe(loaded.length);
    expect(stats.runs).toBeGreaterThan(3);
    expect(progress.at(-1)).toBe(loaded.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // The tiny budgets really split common bigrams over several index pages.
    expect(await db.mirrorIndexPages.filter((row) => row.part > 0 && row.first.startsWith('n')).count()).toBeGreaterThan(0);
    records = await browseAll(db, {}, 500);
  });

  it('holds every loaded record exactly once, unchanged, in a stable order', async () => {
    expect(sortedIds(records)).toEqual(sortedIds(loaded));
    const byId = new Map(loaded.map((r) => [r.id, r]));
    for (const r of records) expect(r).toEqual(byId.get(r.id));
    expect(ids(await browseAll(db, {}, 77))).toEqual(ids(records));
  });

  it('keeps a company, its legal representative and the representative\'s other companies together', async () => {
    // Clustering: the records of one legal representative sit in few pages.
    const rep = loaded.find((r) => r.legalRepId && loaded.filter((x) => x.legalRepId === r.legalRepId).length >= 4)?.legalRepId as string;
    const mine = (r: ListRecord): boolean => r.legalRepId === rep || subjectIdentifiers(r).includes(rep);
    // Consecutive stretches of the person's records in mirror order: at most one per run.
    const stretches = records.filter((r, i) => mine(r) && (i === 0 || !mine(records[i - 1] as ListRecord))).length;
    const runs = Math.ceil(loaded.length / (SMALL.runRecords as number));
    expect(records.filter(mine).length).toBeGreaterThan(runs);
    expect(stretches).toBeLessThanOrEqual(runs);
  });

  const allIdentifiers = (): string[] => {
    const set = new Set<string>();
    for (const r of records) {
      for (const id of subjectIdentifiers(r)) set.add(id);
      if (r.legalRepId) set.add(r.legalRepId);
    }
    return [...set];
  };

  it('finds exactly the records naming an identifier, as subject and as legal representative', async () => {
    const every = allIdentifiers();
    expect(every.length).toBeGreaterThan(1_000);
    // Every 3rd identifier plus ones that are not there.
    const probe = [...every.filter((_, i) => i % 3 === 0), '91371300MA00000000', '371302199901010000', ''];
    for (const id of probe) {
      const hits = await lookupIdentifier(db, id);
      expect(ids(hits.subject), id).toEqual(ids(bruteSubject(records, id)));
      expect(ids(hits.legalRep), id).toEqual(ids(bruteRep(records, id)));
    }
    const one = records.find((r) => r.legalRepId && records.filter((x) => x.legalRepId === r.legalRepId).length > 2);
    expect(one).toBeDefined();
    expect((await lookupIdentifier(db, one?.legalRepId as string)).legalRep.length).toBeGreaterThan(2);
  });

  it('returns records equal to what was loaded', async () => {
    const r = records[1_234] as ListRecord;
    const hits = await lookupIdentifier(db, subjectIdentifiers(r)[0] as string);
    expect(hits.subject.find((x) => x.id === r.id)).toEqual(r);
  });

  it('counterRecords sees legal representatives both ways (落实到人)', async () => {
    const company = records.find((r) => r.uscc && r.legalRepId && bruteSubject(records, r.legalRepId).length > 0) as ListRecord;
    expect(company).toBeDefined();
    const { records: own, linked } = await counterRecords(db, '法人', company.uscc as string);
    expect(ids(own)).toEqual(ids(bruteSubject(records, company.uscc as string)));
    const rep = linked.find((p) => p.identifier === company.legalRepId);
    expect(rep?.relation).toBe('法定代表人');
    expect(ids(rep?.records ?? [])).toEqual(ids(bruteSubject(records, company.legalRepId as string)));

    const person = company.legalRepId as string;
    const { records: personal, linked: orgs } = await counterRecords(db, '自然人', person);
    expect(ids(personal)).toEqual(ids(bruteSubject(records, person)));
    const expectedOrgs = new Set(bruteRep(records, person).map((r) => r.uscc ?? r.otherIds[0]?.value));
    expect(new Set(orgs.map((o) => o.identifier))).toEqual(expectedOrgs);
    expect(orgs.every((o) => o.relation === '所代表的组织')).toBe(true);
    for (const o of orgs) expect(ids(o.records)).toEqual(ids(bruteSubject(records, o.identifier)));
  });

  it('lookupIdentifiers answers for each identifier as lookupIdentifier does, once per identifier', async () => {
    const some = records.filter((_, i) => i % 211 === 0).flatMap((r) => [subjectIdentifiers(r)[0] as string, r.legalRepId ?? 'absent']);
    const many = await lookupIdentifiers(db, [...some, ...some.slice(0, 3)]);
    expect(many.size).toBe(new Set(some).size);
    for (const id of some) expect(many.get(id)).toEqual(await lookupIdentifier(db, id));
    expect((await lookupIdentifiers(db, [])).size).toBe(0);
  });

  it('name search equals a brute-force substring filter', async () => {
    const queries = new Set(['有限', '有限公司', '临沂', '公司', '（有限合伙）', '不存在的名字', '恒通达', '临沂恒通达商贸有限公司']);
    // 2–4 character substrings of names in the data.
    for (let i = 0; i < records.length; i += 97) {
      const name = (records[i] as ListRecord).subjectName;
      const len = 2 + (i % 3);
      const at = i % Math.max(1, name.length - len + 1);
      queries.add(name.slice(at, at + len));
    }
    for (const q of queries) {
      const expected = records.filter((r) => r.subjectName.includes(q));
      const all = await searchByName(db, q, { limit: 1_000_000 });
      expect(ids(all.records), q).toEqual(ids(expected));
      expect(all.more).toBe(false);
      const first = await searchByName(db, q, { limit: 5 });
      expect(ids(first.records), q).toEqual(ids(expected.slice(0, 5)));
      expect(first.more).toBe(expected.length > 5);
    }
    expect((await searchByName(db, '临')).records).toEqual([]);
  });

  it('browses in a stable order, filtered by colour and state', async () => {
    const watch = await browseAll(db, { colours: ['watch'] });
    expect(ids(watch)).toEqual(ids(records.filter((r) => r.colour === 'watch')));
    const active = await browseAll(db, { colours: ['black'], states: ['active', 'suspended'], today: TODAY }, 50);
    expect(ids(active)).toEqual(ids(records.filter((r) => r.colour === 'black' && ['active', 'suspended'].includes(recordState(r, TODAY)))));
  });
});

describe('text fidelity', () => {
  it('stores any text exactly: quotes, backslashes, control characters, astral and lone surrogates', async () => {
    const db = freshDb();
    const [a, b] = sample(2, 31) as [ListRecord, ListRecord];
    const odd: ListRecord = { ...a, subjectName: '𠀀"引号"\\斜杠\u0001\ud800孤', reason: '换\n行', district: '\udfff区' };
    await loadMirror(db, [[odd, b]], { tuning: SMALL });
    expect((await lookupIdentifier(db, subjectIdentifiers(odd)[0] as string)).subject).toEqual([odd]);
    expect((await searchByName(db, '\ud800孤')).records).toEqual([odd]);
    expect((await searchByName(db, '𠀀')).records).toEqual([odd]);
  });
});

describe('record codecs', () => {
  it('a mirror written with codec 1 (before 2026-12-03) is still read: look-ups, name search, browsing', async () => {
    const name = `mirror-test-${++n}`;
    const writer = openDatabase(name);
    open.push(writer);
    const records = sample(600, 41);
    await loadMirror(writer, batches(records), { tuning: SMALL });
    const probe = records.slice(0, 60).map((r) => subjectIdentifiers(r)[0] as string);
    const before = await Promise.all(probe.map((id) => lookupIdentifier(writer, id)));
    const browsed = await browseAll(writer, {});
    // Rewrite every page as codec 1 wrote it: closed sets and dates as their texts.
    const colours = ['red', 'black', 'watch'];
    const types = ['法人', '非法人组织', '个体工商户', '自然人'];
    const severities = ['轻微', '一般', '严重'];
    const objections = ['none', 'pending', 'rejected', 'upheld'];
    const day = (v: unknown): unknown => (typeof v === 'number' ? new Date(v * 86_400_000).toISOString().slice(0, 10) : v);
    const pick = (list: string[], v: unknown): unknown => (typeof v === 'number' ? list[v] : v);
    const rows = await writer.mirrorRecordPages.toArray();
    let rewritten = 0;
    for (const row of rows) {
      if (!row.utf8 || !row.ends) continue;
      const text = new TextDecoder().decode(row.utf8);
      const parts: string[] = [];
      row.ends.forEach((end, i) => {
        const t = JSON.parse(text.substring(i === 0 ? 0 : (row.ends?.[i - 1] as number), end)) as unknown[];
        t[3] = pick(colours, t[3]);
        t[5] = pick(types, t[5]);
        for (const k of [15, 16, 17, 18, 19]) t[k] = day(t[k]);
        t[20] = pick(severities, t[20]);
        t[21] = pick(objections, t[21]);
        parts.push(JSON.stringify(t));
      });
      let at = 0;
      const ends = Uint32Array.from(parts, (part) => (at += part.length));
      await writer.mirrorRecordPages.put({ ...row, utf8: new TextEncoder().encode(parts.join('')), ends }, pageKey(row));
      rewritten++;
    }
    expect(rewritten).toBeGreaterThan(10);
    const meta = await writer.meta.get(MIRROR_STATE_KEY);
    await writer.meta.put({ key: MIRROR_STATE_KEY, value: { ...(meta?.value as object), codec: 1 } });
    const reader = openDatabase(name);
    open.push(reader);
    expect((await mirrorState(reader)).codec).toBe(1);
    expect(await Promise.all(probe.map((id) => lookupIdentifier(reader, id)))).toEqual(before);
    expect(await browseAll(reader, {})).toEqual(browsed);
    const someone = records[7] as ListRecord;
    expect((await searchByName(reader, someone.subjectName.slice(2, 5))).records).toContainEqual(someone);

    // A codec this build does not know is refused with a message, not misread.
    await writer.meta.put({ key: MIRROR_STATE_KEY, value: { ...(meta?.value as object), codec: 9 } });
    const third = openDatabase(name);
    open.push(third);
    await expect(lookupIdentifier(third, probe[0] as string)).rejects.toThrow('名单镜像的存储格式（9）');
  });
});

describe('identifier keys', () => {
  it('a mirror whose identifier run holds the identifiers themselves (before 2026-12-04) is still read; records a key does not name are dropped', async () => {
    const name = `mirror-test-${++n}`;
    const writer = openDatabase(name);
    open.push(writer);
    const records = sample(600, 43);
    await loadMirror(writer, batches(records), { tuning: SMALL });
    const probe = records.slice(0, 80).flatMap((r) => [subjectIdentifiers(r)[0] as string, r.legalRepId ?? '']).filter(Boolean);
    const before = await Promise.all(probe.map((id) => lookupIdentifier(writer, id)));
    expect(before.some((h) => h.legalRep.length > 0)).toBe(true);

    // Rewrite the identifier run as loads before hashed keys wrote it: `i` + hash + identifier.
    const state = await mirrorState(writer);
    const byId = new Map(records.map((r) => [r.id, r]));
    const postings = new Map<string, number[]>();
    const post = (key: string, v: number): void => void (postings.get(key) ?? postings.set(key, []).get(key))?.push(v);
    for (const row of await writer.mirrorRecordPages.where(':id').between([state.gen, 0], [state.gen, Infinity]).toArray()) {
      const text = new TextDecoder().decode(row.utf8);
      row.ends?.forEach((end, slot) => {
        const id = (JSON.parse(text.substring(slot === 0 ? 0 : (row.ends?.[slot - 1] as number), end)) as unknown[])[0] as string;
        const r = byId.get(id) as ListRecord;
        const pos = row.page * PAGE_SLOTS + slot;
        for (const x of subjectIdentifiers(r)) post(legacyIdKey(x), pos * 2);
        if (r.legalRepId) post(legacyIdKey(r.legalRepId), pos * 2 + 1);
      });
    }
    // A key that also points at a record of someone else (what a shared hash would do).
    const first = records[0] as ListRecord;
    const stranger = (await lookupIdentifier(writer, subjectIdentifiers(records[1] as ListRecord)[0] as string)).subject[0] as ListRecord;
    const strangerKey = legacyIdKey(subjectIdentifiers(stranger)[0] as string);
    const mine = postings.get(legacyIdKey(subjectIdentifiers(first)[0] as string)) as number[];
    mine.push(...(postings.get(strangerKey) as number[]));
    mine.sort((a, b) => a - b);
    const rows: MirrorIndexRow[] = [];
    const w = new RunWriter(state.gen, state.run, (row) => rows.push(row), SMALL.idPageBytes);
    for (const key of [...postings.keys()].sort()) w.add(key, [...new Set(postings.get(key))]);
    w.finish();
    await writer.mirrorIndexPages.where(':id').between([state.gen, state.run], [state.gen, state.run, []]).delete();
    for (const row of rows) await writer.mirrorIndexPages.put(row, indexKey(row));

    const reader = openDatabase(name);
    open.push(reader);
    expect(await Promise.all(probe.map((id) => lookupIdentifier(reader, id)))).toEqual(before);
    expect(sortedIds((await lookupIdentifier(reader, subjectIdentifiers(first)[0] as string)).subject)).toEqual(sortedIds(bruteSubject(records, subjectIdentifiers(first)[0] as string)));
    // The next load writes hashed keys again.
    await loadMirror(writer, batches(records), { tuning: SMALL });
    const next = await mirrorState(writer);
    expect((await writer.mirrorIndexPages.where(':id').between([next.gen, next.run], [next.gen, next.run, []]).first())?.first).toMatch(/^h[0-9a-f]{16}$/);
    expect(await Promise.all(probe.map((id) => lookupIdentifier(reader, id)))).toEqual(before);
  });
});

/**
 * A reader and a writer connection on one new database holding a mirror of `size` records, and
 * `late(i)`: a record the base does not hold (id `<tag>-i`, a USCC and a name of its own).
 */
async function readerAndWriter(size: number, seed: number, tag: string, nameMark: string) {
  const name = `mirror-test-${++n}`;
  const reader = openDatabase(name);
  const writer = openDatabase(name);
  open.push(reader, writer);
  const records = sample(size, seed);
  await loadMirror(writer, batches(records), { tuning: SMALL });
  const late = (i: number): ListRecord => ({
    ...(records[i] as ListRecord),
    id: `${tag}-${i}`,
    version: 1,
    uscc: `91371300MA${tag}${String(i).padStart(3, '0')}X`,
    subjectName: `临沂${nameMark}${i}号有限公司`,
  });
  return { name, reader, writer, late };
}

describe('sync deltas', () => {
  it('upsert with a higher version replaces, an equal or lower one is ignored, delete removes', async () => {
    const db = freshDb();
    const records = sample(1_500, 11);
    await loadMirror(db, batches(records), { tuning: SMALL });
    const before = await browseAll(db, {}, 400);
    const target = records.find((r) => r.uscc && r.legalRepId) as ListRecord;
    const oldUscc = target.uscc as string;
    const changed: ListRecord = { ...target, version: target.version + 1, subjectName: '临沂新名字科技有限公司', uscc: '91371300MAXXXXXX1X', legalRepId: '371302198001010011' };

    expect(await applyChanges(db, [{ op: 'upsert', record: changed }], { meta: { 'sync.cursor': 42 } })).toEqual({ applied: 1, ignored: 0 });
    expect(ids((await lookupIdentifier(db, oldUscc)).subject)).toEqual(ids(bruteSubject(before, oldUscc).filter((r) => r.id !== target.id)));
    expect((await lookupIdentifier(db, '91371300MAXXXXXX1X')).subject).toEqual([changed]);
    expect((await lookupIdentifier(db, '371302198001010011')).legalRep).toEqual([changed]);
    expect((await searchByName(db, '新名字')).records).toEqual([changed]);
    expect((await db.meta.get('sync.cursor'))?.value).toBe(42);

    // Replays and stale versions change nothing.
    const stale: ListRecord = { ...target, version: target.version, subjectName: '旧版本' };
    expect(await applyChanges(db, [{ op: 'upsert', record: changed }, { op: 'upsert', record: stale }])).toEqual({ applied: 0, ignored: 2 });
    expect((await lookupIdentifier(db, '91371300MAXXXXXX1X')).subject).toEqual([changed]);

    // The changed record keeps its place in browse order.
    const browsed = await browseAll(db, {}, 400);
    expect(ids(browsed)).toEqual(ids(before));
    expect(browsed.find((r) => r.id === target.id)).toEqual(changed);

    // Delete by id: gone everywhere; deleting it again, or an unknown id, changes nothing.
    expect(await applyChanges(db, [{ op: 'delete', id: target.id }])).toEqual({ applied: 1, ignored: 0 });
    expect((await lookupIdentifier(db, '91371300MAXXXXXX1X')).subject).toEqual([]);
    expect((await searchByName(db, '新名字')).records).toEqual([]);
    expect(ids(await browseAll(db, {}, 400))).toEqual(ids(before.filter((r) => r.id !== target.id)));
    expect(await applyChanges(db, [{ op: 'delete', id: target.id }])).toEqual({ applied: 0, ignored: 1 });
    expect(await applyChanges(db, [{ op: 'delete', id: 'no-such-id' }])).toEqual({ applied: 0, ignored: 1 });

    // A base record deleted with an explicit version: lower ignored, higher applied.
    const victim = records[700] as ListRecord;
    expect(await applyChanges(db, [{ op: 'delete', id: victim.id, version: victim.version }])).toEqual({ applied: 0, ignored: 1 });
    expect(await applyChanges(db, [{ op: 'delete', id: victim.id, version: victim.version + 5 }])).toEqual({ applied: 1, ignored: 0 });
    expect((await lookupIdentifier(db, subjectIdentifiers(victim)[0] as string)).subject.map((r) => r.id)).not.toContain(victim.id);
  });

  it('ordered (a sync page): a change for a base record is applied as the platform ordered it, without its version read; the delta still compares', async () => {
    const db = freshDb();
    const records = sample(1_200, 15);
    const at = records.findIndex((r) => r.uscc);
    const target: ListRecord = { ...(records[at] as ListRecord), version: 3 };
    records[at] = target;
    await loadMirror(db, batches(records), { tuning: SMALL });
    // Below the base's version: ignored unordered (an import), applied ordered (the platform decides).
    const lower: ListRecord = { ...target, version: target.version - 1, subjectName: '临沂按序更名有限公司' };
    expect(await applyChanges(db, [{ op: 'upsert', record: lower }])).toEqual({ applied: 0, ignored: 1 });
    expect(await applyChanges(db, [{ op: 'upsert', record: lower }], { ordered: true })).toEqual({ applied: 1, ignored: 0 });
    expect((await lookupIdentifier(db, target.uscc as string)).subject.filter((r) => r.id === target.id)).toEqual([lower]);
    // Now in the delta: a replay of the same version is ignored even ordered.
    expect(await applyChanges(db, [{ op: 'upsert', record: lower }], { ordered: true })).toEqual({ applied: 0, ignored: 1 });
    // A base record deleted without a version, then re-added; an unknown id's delete is ignored.
    const other = records[300] as ListRecord;
    expect(await applyChanges(db, [{ op: 'delete', id: other.id }, { op: 'delete', id: 'no-such-id' }], { ordered: true })).toEqual({ applied: 1, ignored: 1 });
    expect((await lookupIdentifier(db, subjectIdentifiers(other)[0] as string)).subject.map((r) => r.id)).not.toContain(other.id);
    expect(await applyChanges(db, [{ op: 'upsert', record: { ...other, version: 1 } }], { ordered: true })).toEqual({ applied: 1, ignored: 0 });
    expect((await lookupIdentifier(db, subjectIdentifiers(other)[0] as string)).subject.filter((r) => r.id === other.id)).toEqual([{ ...other, version: 1 }]);
    // Compaction keeps what was applied.
    await compactMirror(db, { tuning: SMALL });
    expect((await lookupIdentifier(db, target.uscc as string)).subject.filter((r) => r.id === target.id)).toEqual([lower]);
  });

  it('a new record arrives after the base in browse order and is found by every key', async () => {
    const db = freshDb();
    const records = sample(800, 12);
    await loadMirror(db, batches(records), { tuning: SMALL });
    const fresh: ListRecord = { ...(records[5] as ListRecord), id: 'NEW-1', version: 1, uscc: '91371300MANEWNEW0X', subjectName: '临沂晚到物流有限公司' };
    const base = await browseAll(db, {}, 100);
    await applyChanges(db, [{ op: 'upsert', record: fresh }]);
    expect((await lookupIdentifier(db, '91371300MANEWNEW0X')).subject).toEqual([fresh]);
    expect((await searchByName(db, '晚到物流')).records).toEqual([fresh]);
    expect(ids(await browseAll(db, {}, 100))).toEqual([...ids(base), 'NEW-1']);
    expect((await browseAll(db, { colours: [fresh.colour] })).at(-1)).toEqual(fresh);

    // Compaction folds the delta into a new generation: same content, empty delta.
    const before = await browseAll(db, {}, 300);
    const gen = (await mirrorState(db)).gen;
    await compactMirror(db, { tuning: SMALL });
    const state = await mirrorState(db);
    expect(state.gen).toBeGreaterThan(gen);
    expect(state.deltaCount).toBe(0);
    expect(await db.mirrorDeltaLog.count()).toBe(0);
    const after = await browseAll(db, {}, 300);
    expect(sortedIds(after)).toEqual(sortedIds(before));
    expect(new Map(after.map((r) => [r.id, r]))).toEqual(new Map(before.map((r) => [r.id, r])));
    expect((await lookupIdentifier(db, '91371300MANEWNEW0X')).subject).toEqual([fresh]);
    expect(await db.mirrorRecordPages.where(':id').below([state.gen, -Infinity]).count()).toBe(0);
  });

  it('a reader follows log rows another connection adds (its index extended, not rebuilt), warmed ahead or not', async () => {
    const { reader, writer, late } = await readerAndWriter(600, 21, 'LATE', '后到');
    // Three sync pages written by the other connection (as the sync worker does).
    for (const i of [1, 2, 3]) await applyChanges(writer, [{ op: 'upsert', record: late(i) }]);
    expect((await lookupIdentifier(reader, late(2).uscc as string)).subject).toEqual([late(2)]);
    // Two more, and one that changes an earlier entry: the reader reads only the new rows.
    await applyChanges(writer, [{ op: 'upsert', record: late(4) }]);
    await applyChanges(writer, [{ op: 'upsert', record: { ...late(2), version: 2, subjectName: '临沂后到二号（已更名）有限公司' } }, { op: 'delete', id: 'LATE-1' }]);
    await warmDelta(reader);
    expect((await lookupIdentifier(reader, late(4).uscc as string)).subject).toEqual([late(4)]);
    expect((await lookupIdentifier(reader, late(2).uscc as string)).subject.map((r) => [r.version, r.subjectName])).toEqual([[2, '临沂后到二号（已更名）有限公司']]);
    expect((await lookupIdentifier(reader, late(1).uscc as string)).subject).toEqual([]);
    expect(ids((await searchByName(reader, '后到')).records).sort()).toEqual(['LATE-2', 'LATE-3', 'LATE-4']);
    // Not warmed: the next read extends it by itself.
    await applyChanges(writer, [{ op: 'upsert', record: late(5) }]);
    expect((await lookupIdentifier(reader, late(5).uscc as string)).subject).toEqual([late(5)]);
    // After a compaction (a new generation) the reader starts again from the new log.
    await compactMirror(writer, { tuning: SMALL });
    await applyChanges(writer, [{ op: 'upsert', record: late(6) }]);
    await warmDelta(reader);
    expect((await lookupIdentifier(reader, late(6).uscc as string)).subject).toEqual([late(6)]);
    expect((await lookupIdentifier(reader, late(5).uscc as string)).subject).toEqual([late(5)]);
    expect(ids((await searchByName(reader, '后到')).records).sort()).toEqual(['LATE-2', 'LATE-3', 'LATE-4', 'LATE-5', 'LATE-6']);
  });

  it('warmDelta reads the log a row per transaction; a look-up after it reads no log row', async () => {
    const { name, reader, writer, late } = await readerAndWriter(400, 22, 'WARM', '预热');
    for (const i of [1, 2, 3]) await applyChanges(writer, [{ op: 'upsert', record: late(i) }]);
    const logReads = (spy: { mock: { contexts: unknown[] } }): number => spy.mock.contexts.filter((s) => (s as IDBObjectStore).name === 'mirrorDeltaLog').length;
    const get = vi.spyOn(IDBObjectStore.prototype, 'get');
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    try {
      await warmDelta(reader);
      expect([logReads(get), logReads(getAll)]).toEqual([3, 0]);
      get.mockClear();
      expect((await lookupIdentifier(reader, late(3).uscc as string)).subject).toEqual([late(3)]);
      expect([logReads(get), logReads(getAll)]).toEqual([0, 0]);
      // Current already: nothing read.
      await warmDelta(reader);
      expect([logReads(get), logReads(getAll)]).toEqual([0, 0]);
      // A connection not warmed reads the rows one request each, within the look-up.
      const cold = openDatabase(name);
      open.push(cold);
      expect((await lookupIdentifier(cold, late(2).uscc as string)).subject).toEqual([late(2)]);
      expect([logReads(get), logReads(getAll)]).toEqual([3, 0]);
    } finally {
      get.mockRestore();
      getAll.mockRestore();
    }
  });

  it('a record deleted and later re-added (upsert after the delete, any version) is back; replays of the sequence change nothing', async () => {
    const db = freshDb();
    const records = sample(600, 14);
    await loadMirror(db, batches(records), { tuning: SMALL });
    // In the base, at version 3; deleted; re-added by the platform as a new record at version 1.
    const gone = { ...(records[40] as ListRecord) };
    const v3: ListRecord = { ...gone, version: 3, reason: '第三版' };
    const again: ListRecord = { ...gone, version: 1, reason: '重新列入' };
    const key = subjectIdentifiers(gone)[0] as string;
    expect(await applyChanges(db, [{ op: 'upsert', record: v3 }, { op: 'delete', id: gone.id }])).toEqual({ applied: 2, ignored: 0 });
    expect(ids((await lookupIdentifier(db, key)).subject)).not.toContain(gone.id);
    expect(await applyChanges(db, [{ op: 'upsert', record: again }])).toEqual({ applied: 1, ignored: 0 });
    expect((await lookupIdentifier(db, key)).subject.find((r) => r.id === gone.id)).toEqual(again);
    expect((await browseAll(db, {}, 200)).filter((r) => r.id === gone.id)).toEqual([again]);
    // The same within one page, for a record only the delta holds.
    const fresh: ListRecord = { ...(records[41] as ListRecord), id: 'NEW-RE', version: 2, uscc: '91371300MARE00000X' };
    expect(await applyChanges(db, [{ op: 'upsert', record: fresh }, { op: 'delete', id: 'NEW-RE' }, { op: 'upsert', record: { ...fresh, version: 1 } }])).toEqual({ applied: 3, ignored: 0 });
    expect((await lookupIdentifier(db, '91371300MARE00000X')).subject).toEqual([{ ...fresh, version: 1 }]);
    // Replaying what was applied (the engine drops it by seq; here, applied again) ends in the same mirror.
    const before = await browseAll(db, {}, 200);
    await applyChanges(db, [{ op: 'upsert', record: again }]);
    await applyChanges(db, [{ op: 'upsert', record: fresh }, { op: 'delete', id: 'NEW-RE' }, { op: 'upsert', record: { ...fresh, version: 1 } }]);
    expect(await browseAll(db, {}, 200)).toEqual(before);
  });

  it('applies changes to an empty mirror', async () => {
    const db = freshDb();
    const [a, b] = sample(2, 13) as [ListRecord, ListRecord];
    expect(await applyChanges(db, [{ op: 'upsert', record: a }, { op: 'upsert', record: b }, { op: 'upsert', record: { ...a, version: 2 } }])).toEqual({ applied: 3, ignored: 0 });
    expect((await lookupIdentifier(db, subjectIdentifiers(a)[0] as string)).subject.map((r) => r.version)).toContain(2);
    expect((await browseAll(db, {})).length).toBe(2);
  });
});

describe('generations', () => {
  it('a load aborted midway leaves the previous generation intact and queryable', async () => {
    const db = freshDb();
    const first = sample(1_200, 21);
    await loadMirror(db, batches(first), { tuning: SMALL });
    const before = await mirrorState(db);
    const shownBefore = await browseAll(db, {}, 500);
    const probe = first[100] as ListRecord;
    const probeId = subjectIdentifiers(probe)[0] as string;

    const second = sample(3_000, 22);
    const abort = new AbortController();
    let seen = 0;
    const load = loadMirror(db, batches(second, 100), {
      tuning: SMALL,
      signal: abort.signal,
      onProgress: (done) => {
        seen = done;
        if (done >= 1_500) abort.abort(new DOMException('cancelled by the test', 'AbortError'));
      },
    });
    await expect(load).rejects.toThrow('cancelled by the test');
    expect(seen).toBeGreaterThanOrEqual(1_500);
    expect(await mirrorState(db)).toEqual(before);
    expect(sortedIds((await lookupIdentifier(db, probeId)).subject)).toEqual(sortedIds(bruteSubject(first, probeId)));
    expect(ids(await browseAll(db, {}, 500))).toEqual(ids(shownBefore));
    // Nothing of the abandoned generation is left.
    expect(await db.mirrorRecordPages.where(':id').above([before.gen, Infinity]).count()).toBe(0);
    expect(await db.mirrorIndexPages.where(':id').above([before.gen, Infinity]).count()).toBe(0);
  });

  it('a failing source also leaves the previous generation', async () => {
    const db = freshDb();
    const first = sample(500, 23);
    await loadMirror(db, batches(first), { tuning: SMALL });
    async function* broken(): AsyncGenerator<ListRecord[]> {
      yield sample(600, 24);
      throw new Error('network gone');
    }
    await expect(loadMirror(db, broken(), { tuning: SMALL })).rejects.toThrow('network gone');
    expect(sortedIds(await browseAll(db, {}, 500))).toEqual(sortedIds(first));
  });

  it('a crashed load (abandoned generation) is cleaned at the next open', async () => {
    const name = `mirror-test-crash-${++n}`;
    const db = openDatabase(name);
    const first = sample(400, 25);
    await loadMirror(db, batches(first), { tuning: SMALL });
    const { gen } = await mirrorState(db);
    // What a crash mid-load leaves: a building marker and rows of a newer generation.
    await db.meta.put({ key: 'mirror.building', value: { gen: gen + 1, startedAt: 1 } });
    await db.mirrorRecordPages.put({ gen: gen + 1, page: 0, utf8: new Uint8Array([1, 2, 3]), ends: new Uint32Array([3]) }, [gen + 1, 0]);
    await db.mirrorIndexPages.put({ gen: gen + 1, run: 1, first: 'ix', part: 0, keys: 'ix', kends: new Uint32Array([2]), ends: new Uint32Array([1]), post: new Uint8Array([0]) }, [gen + 1, 1, 'ix', 0]);
    db.close();

    // Opening runs the clean-up by itself.
    const again = openDatabase(name);
    open.push(again);
    await again.open();
    await mirrorMaintenance(again);
    expect(await again.mirrorRecordPages.where(':id').above([gen, Infinity]).count()).toBe(0);
    expect(await again.mirrorIndexPages.where(':id').above([gen, Infinity]).count()).toBe(0);
    expect(await again.meta.get('mirror.building')).toBeUndefined();
    expect(sortedIds(await browseAll(again, {}, 500))).toEqual(sortedIds(first));
    expect(await cleanupMirror(again)).toBe(true);
    // The next load does not reuse the abandoned number's leftovers.
    await loadMirror(again, batches(first.slice(0, 50)), { tuning: SMALL });
    expect((await mirrorState(again)).gen).toBeGreaterThan(gen);
  });

  it('a full load replaces the previous generation and clears the delta', async () => {
    const db = freshDb();
    const a = sample(300, 26);
    const b = sample(300, 27);
    await loadMirror(db, batches(a), { tuning: SMALL });
    await applyChanges(db, [{ op: 'delete', id: (a[0] as ListRecord).id }]);
    await loadMirror(db, batches(b), { tuning: SMALL, meta: { 'mirror.asOf': 5 } });
    expect(sortedIds(await browseAll(db, {}, 500))).toEqual(sortedIds(b));
    expect(await db.mirrorDeltaLog.count()).toBe(0);
    expect((await db.meta.get('mirror.asOf'))?.value).toBe(5);
    const { gen } = await mirrorState(db);
    expect(await db.mirrorRecordPages.where(':id').below([gen, -Infinity]).count()).toBe(0);
  });
});

describe('big imports through the delta log', () => {
  /** A mirror of two runs (SMALL: 700 records a run) with a delta: an update, a tombstone, a new record. */
  async function twoRunMirror(seed: number): Promise<{ db: HechataiDb; base: ListRecord[]; inDelta: ListRecord }> {
    const db = freshDb();
    const base = sample(1_200, seed);
    await loadMirror(db, batches(base), { tuning: SMALL });
    expect((await mirrorState(db)).runs).toBe(2);
    const [c, d] = [base[30], base[40]] as [ListRecord, ListRecord];
    const inDelta: ListRecord = { ...(base[50] as ListRecord), id: 'D-NEW', uscc: '91371300MADELTA01X', version: 4 };
    await applyChanges(db, [{ op: 'upsert', record: { ...c, version: c.version + 1, reason: '同步更新' } }, { op: 'delete', id: d.id }, { op: 'upsert', record: inDelta }]);
    return { db, base, inDelta };
  }

  /** More records than one read round (APPLY_READ_CHUNK) and one log row (LOG_ROW_ENTRIES): new ids plus the base's. */
  function bigImport(base: readonly ListRecord[], inDelta: ListRecord, seed: number): ListRecord[] {
    const [a, b, c, d] = [base[10], base[20], base[30], base[40]] as [ListRecord, ListRecord, ListRecord, ListRecord];
    const fresh = [...generateRecords({ seed, subjects: 4_000, records: APPLY_READ_CHUNK + 1_000, today: TODAY })].map((r) => ({ ...r, id: `I-${r.id}` }));
    return [
      { ...a, version: a.version + 1, reason: '导入更新' }, // newer than the base: applied
      { ...b, reason: '同版本' }, // same version as the base: ignored
      { ...c, version: c.version + 1, reason: '与同步同版本' }, // as new as the delta's entry: ignored
      { ...d, version: 1, reason: '重新列入' }, // deleted by sync: back, whatever its version
      { ...inDelta, version: 3 }, // older than the delta's entry: ignored
      ...base.slice(100, 700).map((r) => ({ ...r, version: r.version + 1, reason: '批量更新' })), // the base's, both runs
      ...fresh,
    ];
  }

  it('reads the base in rounds with progress, writes log rows of at most LOG_ROW_ENTRIES, version rule as for sync', async () => {
    const { db, base, inDelta } = await twoRunMirror(31);
    const before = await mirrorState(db);
    const imported = bigImport(base, inDelta, 41);
    const progress: [number, number][] = [];
    const r = await applyChanges(
      db,
      imported.map((record) => ({ op: 'upsert' as const, record })),
      { meta: { 'import.last.list': { rows: imported.length } }, onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(r).toEqual({ applied: imported.length - 3, ignored: 3 });
    // Two rounds over the ids the delta does not hold (all but c, d and inDelta).
    expect(progress).toEqual([
      [3 + APPLY_READ_CHUNK, imported.length],
      [imported.length, imported.length],
    ]);
    const state = await mirrorState(db);
    expect(state.gen).toBe(before.gen);
    expect(state.deltaPages - before.deltaPages).toBe(Math.ceil((imported.length - 3) / LOG_ROW_ENTRIES));
    for (const row of await db.mirrorDeltaLog.toArray()) expect((JSON.parse(row.text) as unknown[]).length).toBeLessThanOrEqual(LOG_ROW_ENTRIES);
    expect((await db.meta.get('import.last.list'))?.value).toEqual({ rows: imported.length });

    const [a, b, c, d] = [base[10], base[20], base[30], base[40]] as [ListRecord, ListRecord, ListRecord, ListRecord];
    const all = new Map((await browseAll(db, {}, 500)).map((x) => [x.id, x]));
    expect(all.size).toBe(base.length + 1 + APPLY_READ_CHUNK + 1_000);
    expect(all.get(a.id)?.reason).toBe('导入更新');
    expect(all.get(b.id)).toEqual(b);
    expect(all.get(c.id)?.reason).toBe('同步更新');
    expect(all.get(d.id)).toEqual(imported[3]);
    expect(all.get('D-NEW')).toEqual(inDelta);
    expect(all.get((base[650] as ListRecord).id)?.reason).toBe('批量更新');
    const last = imported.at(-1) as ListRecord;
    expect((await lookupIdentifier(db, subjectIdentifiers(last)[0] as string)).subject.map((x) => x.id)).toContain(last.id);
    expect((await lookupIdentifier(db, subjectIdentifiers(a)[0] as string)).subject.find((x) => x.id === a.id)?.reason).toBe('导入更新');

    // The same file again: everything ignored, nothing written.
    const again = await applyChanges(db, imported.map((record) => ({ op: 'upsert' as const, record })));
    expect(again).toEqual({ applied: 0, ignored: imported.length });
    expect((await mirrorState(db)).deltaPages).toBe(state.deltaPages);

    // Compaction folds it all into a new generation: the same records, by every key.
    const probes = [a, d, inDelta, last, base[650] as ListRecord].map((x) => subjectIdentifiers(x)[0] as string);
    const answers = await Promise.all(probes.map((k) => lookupIdentifier(db, k)));
    const stats = await compactMirror(db, { tuning: SMALL });
    expect(stats.records).toBe(all.size);
    const after = await mirrorState(db);
    expect(after).toMatchObject({ deltaCount: 0, deltaPages: 0, records: all.size });
    expect(after.gen).toBeGreaterThan(state.gen);
    expect(new Map((await browseAll(db, {}, 500)).map((x) => [x.id, x]))).toEqual(all);
    const sorted = (h: Awaited<ReturnType<typeof lookupIdentifier>>): [string[], string[]] => [sortedIds(h.subject), sortedIds(h.legalRep)];
    expect((await Promise.all(probes.map((k) => lookupIdentifier(db, k)))).map(sorted)).toEqual(answers.map(sorted));
  });

  it('a cancelled import leaves the mirror and its delta exactly as they were', async () => {
    const { db, base, inDelta } = await twoRunMirror(32);
    const before = await mirrorState(db);
    const shown = await browseAll(db, {}, 500);
    const logBefore = await db.mirrorDeltaLog.toArray();
    const changes = bigImport(base, inDelta, 42).map((record) => ({ op: 'upsert' as const, record }));
    const abort = new AbortController();
    let rounds = 0;
    const run = applyChanges(db, changes, {
      meta: { 'import.last.list': { rows: 1 } },
      signal: abort.signal,
      onProgress: () => {
        rounds++;
        abort.abort(new DOMException('导入已取消', 'AbortError'));
      },
    });
    await expect(run).rejects.toThrow('导入已取消');
    expect(rounds).toBe(1);
    expect(await mirrorState(db)).toEqual(before);
    expect(await db.mirrorDeltaLog.toArray()).toEqual(logBefore);
    expect(await db.meta.get('import.last.list')).toBeUndefined();
    expect(await browseAll(db, {}, 500)).toEqual(shown);
    // Already aborted: refused before anything is read.
    await expect(applyChanges(db, changes, { signal: abort.signal })).rejects.toThrow('导入已取消');
  });
});

describe('automatic compaction', () => {
  afterEach(() => setAutoCompaction(null));

  it('is due past the policy and never for an empty delta', () => {
    expect(compactionDue({ records: 1_000_000, deltaCount: 49_999 })).toBe(false);
    expect(compactionDue({ records: 1_000_000, deltaCount: 50_000 })).toBe(true);
    expect(compactionDue({ records: 0, deltaCount: 9_999 })).toBe(false);
    expect(compactionDue({ records: 0, deltaCount: 10_000 })).toBe(true);
    expect(compactionDue({ records: 0, deltaCount: 0 }, { minDelta: 0, share: 0 })).toBe(false);
  });

  it('follows the sync page that makes the delta too big; readers keep their answers throughout', async () => {
    const db = freshDb();
    const base = sample(1_000, 34);
    await loadMirror(db, batches(base), { tuning: SMALL });
    setAutoCompaction({ minDelta: 20, share: 0.01 });
    const changed = base.slice(100, 119).map((r) => ({ ...r, version: r.version + 1, reason: '第二版' }));
    await applyChanges(db, changed.map((record) => ({ op: 'upsert' as const, record })));
    expect(await pendingCompaction(db)).toBeNull();
    expect((await mirrorState(db)).deltaCount).toBe(19);

    const gen = (await mirrorState(db)).gen;
    const probe = changed[0] as ListRecord;
    const key = subjectIdentifiers(probe)[0] as string;
    const expected = await lookupIdentifier(db, key);
    const shown = new Map((await browseAll(db, {}, 500)).map((x) => [x.id, x]));
    await applyChanges(db, [{ op: 'delete', id: (base[5] as ListRecord).id }, { op: 'upsert', record: { ...(base[6] as ListRecord), id: 'S-NEW', version: 1 } }]);
    shown.delete((base[5] as ListRecord).id);
    shown.set('S-NEW', { ...(base[6] as ListRecord), id: 'S-NEW', version: 1 });
    // Started, not awaited by the sync page: a look-up meanwhile still answers.
    const running = pendingCompaction(db);
    expect(await lookupIdentifier(db, key)).toEqual(expected);
    const stats = await running;
    // One deleted, one new.
    expect(stats?.records).toBe(base.length);
    const state = await mirrorState(db);
    expect(state.gen).toBeGreaterThan(gen);
    expect(state.deltaCount).toBe(0);
    expect(new Map((await browseAll(db, {}, 500)).map((x) => [x.id, x]))).toEqual(shown);
    expect(await lookupIdentifier(db, key)).toEqual(expected);
  });

  it('waits for room on disk: without it the delta keeps serving and nothing is written', async () => {
    const db = freshDb();
    const base = sample(500, 41);
    await loadMirror(db, batches(base), { tuning: SMALL });
    await applyChanges(db, base.slice(0, 60).map((r) => ({ op: 'upsert' as const, record: { ...r, version: r.version + 1 } })));
    const before = await mirrorState(db);
    const policy = { minDelta: 50, share: 0 };
    const quota = { usage: 0, quota: 10_000 };
    vi.stubGlobal('navigator', { storage: { estimate: () => Promise.resolve(quota) } });
    try {
      expect(await compactIfDue(db, policy, { tuning: SMALL })).toBeNull();
      expect(await mirrorState(db)).toEqual(before);
      expect((await lookupIdentifier(db, subjectIdentifiers(base[0] as ListRecord)[0] as string)).subject.find((r) => r.id === base[0]?.id)?.version).toBe((base[0] as ListRecord).version + 1);
      quota.quota = 1e12;
      expect((await compactIfDue(db, policy, { tuning: SMALL }))?.records).toBe(before.records);
      expect((await mirrorState(db)).deltaCount).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a compaction the app did not finish is started again at the next open (maintainMirror)', async () => {
    const name = `mirror-test-reopen-${++n}`;
    const db = openDatabase(name);
    const base = sample(900, 36);
    await loadMirror(db, batches(base), { tuning: SMALL });
    // Applied where compaction is off (the page), or by a worker ended before it compacted.
    await applyChanges(db, base.slice(0, 40).map((r) => ({ op: 'upsert' as const, record: { ...r, version: r.version + 1, reason: '未整理' } })));
    const shown = new Map((await browseAll(db, {}, 500)).map((x) => [x.id, x]));
    const { gen } = await mirrorState(db);
    db.close();

    setAutoCompaction({ minDelta: 30, share: 0 });
    const again = openDatabase(name);
    open.push(again);
    await again.open();
    await mirrorMaintenance(again);
    expect((await pendingCompaction(again))?.records).toBe(shown.size);
    const state = await mirrorState(again);
    expect(state.gen).toBeGreaterThan(gen);
    expect(state.deltaCount).toBe(0);
    expect(new Map((await browseAll(again, {}, 500)).map((x) => [x.id, x]))).toEqual(shown);

    // Not due: opening does nothing more.
    again.close();
    const third = openDatabase(name);
    open.push(third);
    await third.open();
    await mirrorMaintenance(third);
    expect(await pendingCompaction(third)).toBeNull();
    expect((await mirrorState(third)).gen).toBe(state.gen);
  });

  it('a compaction that fails midway leaves the previous generation and the delta current', async () => {
    const db = freshDb();
    const base = sample(1_500, 35);
    await loadMirror(db, batches(base), { tuning: SMALL });
    await applyChanges(db, base.slice(0, 30).map((r) => ({ op: 'upsert' as const, record: { ...r, version: r.version + 1 } })));
    const before = await mirrorState(db);
    const shown = await browseAll(db, {}, 500);
    const abort = new AbortController();
    const run = compactIfDue(db, { minDelta: 10, share: 0 }, {
      tuning: SMALL,
      signal: abort.signal,
      onProgress: (done) => {
        if (done >= 800) abort.abort(new Error('进程退出'));
      },
    });
    await expect(run).rejects.toThrow('进程退出');
    expect(await mirrorState(db)).toEqual(before);
    expect(await browseAll(db, {}, 500)).toEqual(shown);
    expect(await db.mirrorRecordPages.where(':id').above([before.gen, Infinity]).count()).toBe(0);
    // Not due: nothing happens.
    expect(await compactIfDue(db, { minDelta: 31, share: 0 })).toBeNull();
    expect(await mirrorState(db)).toEqual(before);
  });
});
