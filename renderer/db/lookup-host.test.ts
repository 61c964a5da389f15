import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListRecord } from '../../shared/domain/schemas';
import { openDatabase, type HechataiDb } from './database';
import { LookupFile, MemoryFile, writeLookupFile, type RandomAccessFile } from './lookup-file';
import { LOOKUP_FILE_BYTES_PER_RECORD, LookupHost, type FileStore } from './lookup-host';
import {
  applyChanges,
  buildLookupFile,
  loadMirror,
  lookupFromFile,
  lookupIdentifiers,
  lookupInHere,
  mirrorChannelName,
  mirrorState,
  routeLookups,
  sameMirrorState,
  type IdentifierHits,
  type MirrorState,
} from './mirror-store';
import { SMALL, batches, sample } from './testing-mirror';
import { subjectIdentifiers } from './record-codec';


let n = 0;
const open: HechataiDb[] = [];
function connect(name: string): HechataiDb {
  const db = openDatabase(name);
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A database holding `records` as its mirror (a second connection to it: `connect(db.name)`). */
async function loaded(records: readonly ListRecord[]): Promise<HechataiDb> {
  const db = connect(`lookup-host-test-${++n}`);
  await loadMirror(db, batches(records), { tuning: SMALL, total: records.length });
  return db;
}

const MISSES = ['91371300MA00000000', '371302199901010000', '', '不存在的标识'];

/** Every 5th identifier the records name (as subject or legal representative), and some they do not. */
function probeOf(records: readonly ListRecord[]): string[] {
  const set = new Set<string>();
  for (const r of records) {
    for (const id of subjectIdentifiers(r)) set.add(id);
    if (r.legalRepId) set.add(r.legalRepId);
  }
  return [...[...set].filter((_, i) => i % 5 === 0), ...MISSES];
}

const idsOf = (rs: readonly ListRecord[]): string[] => rs.map((r) => r.id).sort();
const bruteSubject = (rs: readonly ListRecord[], id: string): string[] => idsOf(rs.filter((r) => subjectIdentifiers(r).includes(id)));
const bruteRep = (rs: readonly ListRecord[], id: string): string[] => idsOf(rs.filter((r) => r.legalRepId === id));

/** Checks `hits` against a brute-force filter of `records`, and that the probe is not trivially empty. */
function expectHitsOf(hits: Map<string, IdentifierHits>, records: readonly ListRecord[], probe: readonly string[]): void {
  expect([...hits.keys()].sort()).toEqual([...new Set(probe)].sort());
  for (const id of probe) {
    const h = hits.get(id) as IdentifierHits;
    expect(idsOf(h.subject), `subject ${id}`).toEqual(bruteSubject(records, id));
    expect(idsOf(h.legalRep), `legal representative ${id}`).toEqual(bruteRep(records, id));
  }
  const withSubject = probe.filter((id) => (hits.get(id)?.subject.length ?? 0) > 0).length;
  const withRep = probe.filter((id) => (hits.get(id)?.legalRep.length ?? 0) > 0).length;
  expect(withSubject).toBeGreaterThan(30);
  expect(withRep, `${withSubject}`).toBeGreaterThan(10);
}

/** A record with a subject identifier, and one that is some person's company (both found by a probe). */
function targets(records: readonly ListRecord[]): { changed: ListRecord; removed: ListRecord } {
  const changed = records.find((r, i) => i > 40 && subjectIdentifiers(r).length > 0) as ListRecord;
  const removed = records.find((r, i) => i > 60 && r.legalRepId && subjectIdentifiers(r).length > 0 && r.id !== changed.id) as ListRecord;
  expect(changed).toBeDefined();
  expect(removed).toBeDefined();
  return { changed: { ...changed, version: changed.version + 1, reason: '（已变更）列入事由' }, removed };
}

/** The records after `changes`, as a brute-force reference. */
function after(records: readonly ListRecord[], upserts: readonly ListRecord[], deleted: readonly string[]): ListRecord[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const r of upserts) byId.set(r.id, r);
  for (const id of deleted) byId.delete(id);
  return [...byId.values()];
}

describe('announcements', () => {
  it('each commit of a load or a delta is announced on the mirror\'s channel, once', async () => {
    const records = sample(300, 48);
    const db = connect(`lookup-host-test-${++n}`);
    const heard: unknown[] = [];
    const channel = new BroadcastChannel(mirrorChannelName(db.name));
    channel.onmessage = (e: MessageEvent) => heard.push(e.data);
    try {
      await loadMirror(db, batches(records), { tuning: SMALL, total: records.length });
      await vi.waitFor(() => expect(heard).toEqual(['changed']));
      const { changed } = targets(records);
      await applyChanges(db, [{ op: 'upsert', record: changed }]);
      await vi.waitFor(() => expect(heard).toEqual(['changed', 'changed']));
      // Reads announce nothing.
      await lookupInHere(db, probeOf(records));
      await mirrorState(db);
      await new Promise((r) => setTimeout(r, 50));
      expect(heard).toHaveLength(2);
    } finally {
      channel.close();
    }
  });
});

describe('lookupFromFile', () => {
  it('answers as lookupInHere does, from a file buildLookupFile wrote, once the caches are warm', async () => {
    const records = sample(2_000, 31);
    const db = await loaded(records);
    const state = await mirrorState(db);
    const { changed, removed } = targets(records);
    const probe = [...probeOf(records), ...subjectIdentifiers(changed), ...subjectIdentifiers(removed), removed.legalRepId as string];

    // Small chunks, so the copy goes over many read transactions.
    const raw = new MemoryFile();
    const header = await buildLookupFile(db, raw, 7);
    expect(header).toMatchObject({ gen: state.gen, builtAt: state.builtAt, run: state.run });
    expect(header?.idPages).toBeGreaterThan(10);
    expect(header?.recordPages).toBeGreaterThan(50);
    const file = LookupFile.open(raw) as LookupFile;
    expect(file.header).toEqual(header);

    // Caches not yet filled (a connection that has not looked anything up): no answer.
    expect(lookupFromFile(db, probe, state, file)).toBeUndefined();
    const expected = await lookupInHere(db, probe);
    expectHitsOf(expected, records, probe);
    const fromFile = lookupFromFile(db, probe, state, file);
    expect(fromFile).toEqual(expected);
    // One identifier at a time too, and repeated identifiers answered once.
    for (const id of probe.slice(0, 50)) expect(lookupFromFile(db, [id, id], state, file)).toEqual(new Map([[id, expected.get(id)]]));
    expect(lookupFromFile(db, [], state, file)).toEqual(new Map());

    // Without the file, or with the file of another build of the generation: no answer.
    expect(lookupFromFile(db, probe, state, undefined)).toBeUndefined();
    const other = new MemoryFile();
    await writeLookupFile(other, { gen: state.gen, builtAt: state.builtAt + 1, run: state.run }, (async function* () {})(), (async function* () {})());
    expect(lookupFromFile(db, probe, state, LookupFile.open(other))).toBeUndefined();

    // A delta: one record changed, one deleted, in this connection.
    await applyChanges(db, [
      { op: 'upsert', record: changed },
      { op: 'delete', id: removed.id },
    ]);
    const state2 = await mirrorState(db);
    expect(sameMirrorState(state, state2)).toBe(false);
    expect(state2.gen).toBe(state.gen);
    const records2 = after(records, [changed], [removed.id]);
    // The state the caller vouches for is still answered as it was (the delta of `state` is empty).
    expect(lookupFromFile(db, probe, state, file)).toEqual(expected);
    const expected2 = await lookupInHere(db, probe);
    expectHitsOf(expected2, records2, probe);
    expect(lookupFromFile(db, probe, state2, file)).toEqual(expected2);
    // The change is there: the removed record is gone, the changed one has its new version.
    for (const id of subjectIdentifiers(removed)) expect(idsOf(expected2.get(id)?.subject ?? [])).not.toContain(removed.id);
    expect(idsOf(expected2.get(removed.legalRepId as string)?.legalRep ?? [])).not.toContain(removed.id);
    expect(idsOf(expected.get(removed.legalRepId as string)?.legalRep ?? [])).toContain(removed.id);
    const changedHits = expected2.get(subjectIdentifiers(changed)[0] as string)?.subject.filter((r) => r.id === changed.id);
    expect(changedHits).toEqual([changed]);

    // Another connection (the sync worker) adds a log row: this context's delta is behind it.
    const writer = connect(db.name);
    const fresh: ListRecord = { ...changed, id: 'LOOKUP-NEW-1', version: 1, uscc: '91371300MANEWFILE1', otherIds: [] };
    await applyChanges(writer, [{ op: 'upsert', record: fresh }]);
    const state3 = await mirrorState(db);
    expect(lookupFromFile(db, probe, state3, file)).toBeUndefined();
    expect(lookupFromFile(db, probe, state2, file)).toEqual(expected2);
    const probe3 = [...probe, fresh.uscc as string];
    const expected3 = await lookupInHere(db, probe3);
    expect(expected3.get(fresh.uscc as string)?.subject).toEqual([fresh]);
    expect(lookupFromFile(db, probe3, state3, file)).toEqual(expected3);
    // The cache moved on: the state before is no longer answered.
    expect(lookupFromFile(db, probe3, state2, file)).toBeUndefined();

    // A new generation: the old file no longer serves, a new one does.
    const next = sample(1_200, 32);
    await loadMirror(db, batches(next), { tuning: SMALL });
    const state4 = await mirrorState(db);
    expect(state4.gen).toBeGreaterThan(state.gen);
    const probe4 = probeOf(next);
    const expected4 = await lookupInHere(db, probe4);
    expectHitsOf(expected4, next, probe4);
    expect(lookupFromFile(db, probe4, state4, file)).toBeUndefined();
    const raw4 = new MemoryFile();
    await buildLookupFile(db, raw4);
    expect(lookupFromFile(db, probe4, state4, LookupFile.open(raw4))).toEqual(expected4);
  });

  it('refuses a file whose index pages are not those of the generation', async () => {
    const records = sample(600, 33);
    const db = await loaded(records);
    const state = await mirrorState(db);
    const probe = probeOf(records);
    await lookupInHere(db, probe);
    // The right header over a file without index pages: a look-up of a key finds no page.
    const raw = new MemoryFile();
    await writeLookupFile(raw, { gen: state.gen, builtAt: state.builtAt, run: state.run }, (async function* () {})(), (async function* () {})());
    expect(() => lookupFromFile(db, probe, state, LookupFile.open(raw))).toThrow('查询文件损坏');
  });

  it('answers a mirror holding only delta rows without a file', async () => {
    const db = connect(`lookup-host-test-${++n}`);
    const [a, b] = sample(10, 34).slice(-2) as [ListRecord, ListRecord];
    await applyChanges(db, [
      { op: 'upsert', record: a },
      { op: 'upsert', record: b },
    ]);
    const state = await mirrorState(db);
    expect(state.gen).toBe(0);
    expect(await buildLookupFile(db, new MemoryFile())).toBeUndefined();
    const probe = [...subjectIdentifiers(a), ...subjectIdentifiers(b), ...MISSES];
    const expected = await lookupInHere(db, probe);
    expect(expected.get(subjectIdentifiers(a)[0] as string)?.subject).toEqual([a]);
    expect(lookupFromFile(db, probe, state, undefined)).toEqual(expected);
  });
});

describe('sameMirrorState', () => {
  const base: MirrorState = { gen: 3, run: 5, runs: 4, records: 100, pages: 7, codec: 2, builtAt: 1_000, deltaCount: 0, deltaPages: 0, deltaSeq: 0 };
  it('compares the generation and the delta log, not the counts', () => {
    expect(sameMirrorState(base, { ...base })).toBe(true);
    expect(sameMirrorState(base, { ...base, deltaCount: 3, deltaSeq: 2 })).toBe(true);
    for (const diff of [{ gen: 4 }, { run: 6 }, { runs: 5 }, { builtAt: 1_001 }, { deltaPages: 1 }]) {
      expect(sameMirrorState(base, { ...base, ...diff }), JSON.stringify(diff)).toBe(false);
    }
  });
});

/** A handle over a MemoryFile of the store: closing it leaves the bytes (as closing an OPFS access handle does). */
class Handle implements RandomAccessFile {
  closed = false;
  constructor(
    readonly name: string,
    private readonly data: MemoryFile,
  ) {}
  private live(): MemoryFile {
    if (this.closed) throw new Error(`${this.name} 已关闭`);
    return this.data;
  }
  read(buffer: Uint8Array, options: { at: number }): number {
    return this.live().read(buffer, options);
  }
  write(buffer: Uint8Array, options: { at: number }): number {
    return this.live().write(buffer, options);
  }
  truncate(size: number): void {
    this.live().truncate(size);
  }
  getSize(): number {
    return this.live().getSize();
  }
  flush(): void {
    this.live().flush();
  }
  close(): void {
    this.closed = true;
  }
}

/** A FileStore in memory: named MemoryFiles, each opened as a fresh Handle. */
class MemoryStore implements FileStore {
  readonly files = new Map<string, MemoryFile>();
  readonly handles: Handle[] = [];
  creates = 0;
  private handle(name: string, file: MemoryFile): Handle {
    const h = new Handle(name, file);
    this.handles.push(h);
    return h;
  }
  async open(name: string): Promise<RandomAccessFile | undefined> {
    const file = this.files.get(name);
    return file && this.handle(name, file);
  }
  async create(name: string): Promise<RandomAccessFile | undefined> {
    this.creates++;
    const file = new MemoryFile();
    this.files.set(name, file);
    return this.handle(name, file);
  }
  async remove(name: string): Promise<void> {
    this.files.delete(name);
  }
  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
  /** Handles not closed, by file name. */
  openNames(): string[] {
    return this.handles.filter((h) => !h.closed).map((h) => h.name);
  }
}

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('LookupHost', () => {
  it('answers through the database first, then from the file it built; follows changes it is told of, and ones it finds by rechecking', async () => {
    const records = sample(2_000, 41);
    const db = await loaded(records);
    const state = await mirrorState(db);
    const { changed, removed } = targets(records);
    const probe = [...probeOf(records), ...subjectIdentifiers(changed), ...subjectIdentifiers(removed), removed.legalRepId as string];
    const store = new MemoryStore();
    const time = clock();
    const host = new LookupHost(db, store, { recheckMs: 1_000, now: time.now });

    const first = await host.lookup(probe);
    expectHitsOf(first, records, probe);
    expect(host.stats).toMatchObject({ fromFile: 0, fromDatabase: 1, staleFound: 0 });
    await host.settled();
    expect(host.stats.buildError).toBeUndefined();
    const [name] = [...store.files.keys()];
    expect(store.files.size).toBe(1);
    expect(name).toBe(`lookup-${db.name}@${state.gen}-${state.builtAt}.bin`);
    expect(host.stats.file).toMatchObject({ gen: state.gen, builtAt: state.builtAt, bytes: store.files.get(name as string)?.getSize() });
    expect(host.stats.file?.bytes).toBeGreaterThan(10_000);
    // The writing handle was closed; the host keeps one reading handle open.
    expect(store.openNames()).toEqual([name]);

    // From the file now, without a single IndexedDB request.
    const get = vi.spyOn(IDBObjectStore.prototype, 'get');
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    try {
      expect(await host.lookup(probe)).toEqual(first);
      for (const id of probe.slice(0, 30)) expect(await host.lookup([id])).toEqual(new Map([[id, first.get(id)]]));
      expect(get).not.toHaveBeenCalled();
      expect(getAll).not.toHaveBeenCalled();
    } finally {
      get.mockRestore();
      getAll.mockRestore();
    }
    expect(host.stats).toMatchObject({ fromFile: 31, fromDatabase: 1, staleFound: 0 });
    expect(await host.lookup(probe)).toEqual(await lookupInHere(db, probe));

    // A change the host is told of (as after an import): the next look-up reads the state afresh.
    await applyChanges(db, [
      { op: 'upsert', record: changed },
      { op: 'delete', id: removed.id },
    ]);
    host.invalidate();
    const records2 = after(records, [changed], [removed.id]);
    const second = await host.lookup(probe);
    expect(host.stats).toMatchObject({ fromFile: 32, fromDatabase: 2 });
    expectHitsOf(second, records2, probe);
    expect(idsOf(second.get(removed.legalRepId as string)?.legalRep ?? [])).not.toContain(removed.id);
    expect(second.get(subjectIdentifiers(changed)[0] as string)?.subject.filter((r) => r.id === changed.id)).toEqual([changed]);
    // Then from the same file again (same generation: nothing rebuilt), the delta merged.
    await host.settled();
    expect(await host.lookup(probe)).toEqual(second);
    expect(host.stats).toMatchObject({ fromFile: 33, fromDatabase: 2 });
    expect(store.creates).toBe(1);
    expect(store.openNames()).toEqual([name]);

    // A change it is not told of (announcement lost), by another connection: answered from the
    // file as before until a recheck, due once `recheckMs` have passed, notices it.
    const writer = connect(db.name);
    const fresh: ListRecord = { ...changed, id: 'HOST-NEW-1', version: 1, uscc: '91371300MAHOSTNEW1', otherIds: [] };
    await applyChanges(writer, [
      { op: 'upsert', record: fresh },
      { op: 'delete', id: changed.id },
    ]);
    const records3 = after(records2, [fresh], [changed.id]);
    const probe3 = [...probe, fresh.uscc as string];
    const stale = await host.lookup(probe3);
    expect(stale.get(fresh.uscc as string)?.subject).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(host.stats).toMatchObject({ fromFile: 34, fromDatabase: 2, staleFound: 0 });
    time.advance(1_001);
    expect(await host.lookup(probe3)).toEqual(stale);
    expect(host.stats.fromFile).toBe(35);
    await vi.waitFor(() => expect(host.stats.staleFound).toBe(1));
    const third = await host.lookup(probe3);
    expect(host.stats).toMatchObject({ fromFile: 35, fromDatabase: 3, staleFound: 1 });
    expectHitsOf(third, records3, probe3);
    expect(third.get(fresh.uscc as string)?.subject).toEqual([fresh]);
    expect(third).toEqual(await lookupInHere(db, probe3));
    // From the file again, and a recheck that finds the same state counts nothing.
    time.advance(5_000);
    expect(await host.lookup(probe3)).toEqual(third);
    await new Promise((r) => setTimeout(r, 50));
    expect(await host.lookup(probe3)).toEqual(third);
    expect(host.stats).toMatchObject({ fromFile: 37, fromDatabase: 3, staleFound: 1 });

    // A new full load (a new generation): a new file, the old one removed and its handle closed.
    const next = sample(1_200, 42);
    await loadMirror(db, batches(next), { tuning: SMALL });
    host.invalidate();
    const state4 = await mirrorState(db);
    const probe4 = probeOf(next);
    const fourth = await host.lookup(probe4);
    expect(host.stats.fromDatabase).toBe(4);
    expectHitsOf(fourth, next, probe4);
    await host.settled();
    const name4 = `lookup-${db.name}@${state4.gen}-${state4.builtAt}.bin`;
    expect([...store.files.keys()]).toEqual([name4]);
    expect(store.openNames()).toEqual([name4]);
    expect(host.stats.file).toMatchObject({ gen: state4.gen, builtAt: state4.builtAt });
    expect(await host.lookup(probe4)).toEqual(fourth);
    expect(host.stats).toMatchObject({ fromFile: 38, fromDatabase: 4 });
    // The records of the previous generation are not found any more.
    expect((await host.lookup([fresh.uscc as string])).get(fresh.uscc as string)).toEqual({ subject: [], legalRep: [] });

    host.close();
    expect(store.openNames()).toEqual([]);
  });

  it('uses a complete file it finds ready, and rebuilds one whose build was cut short', async () => {
    const records = sample(800, 43);
    const db = await loaded(records);
    const state = await mirrorState(db);
    const probe = probeOf(records);
    const name = `lookup-${db.name}@${state.gen}-${state.builtAt}.bin`;
    const expected = await lookupInHere(db, probe);

    // Built by another context before.
    const store = new MemoryStore();
    const ready = new MemoryFile();
    await buildLookupFile(db, ready);
    store.files.set(name, ready);
    const host = new LookupHost(db, store);
    expect(await host.lookup(probe)).toEqual(expected);
    await host.settled();
    expect(store.creates).toBe(0);
    expect(host.stats.file).toMatchObject({ gen: state.gen, buildMs: 0 });
    expect(await host.lookup(probe)).toEqual(expected);
    expect(host.stats).toMatchObject({ fromFile: 1, fromDatabase: 1 });
    host.close();

    // Cut short: pages without a header.
    const broken = new MemoryStore();
    const cut = new MemoryFile();
    await buildLookupFile(db, cut);
    cut.write(new Uint8Array(64), { at: 0 });
    broken.files.set(name, cut);
    const host2 = new LookupHost(db, broken);
    expect(await host2.lookup(probe)).toEqual(expected);
    await host2.settled();
    expect(broken.creates).toBe(1);
    expect(host2.stats.buildError).toBeUndefined();
    expect(await host2.lookup(probe)).toEqual(expected);
    expect(host2.stats).toMatchObject({ fromFile: 1, fromDatabase: 1 });
    host2.close();
  });

  it('without a file store (or a file it cannot create) answers every look-up through the database', async () => {
    const records = sample(800, 44);
    const db = await loaded(records);
    const probe = probeOf(records);
    const expected = await lookupInHere(db, probe);
    expectHitsOf(expected, records, probe);

    const host = new LookupHost(db, undefined);
    for (let i = 0; i < 3; i++) {
      expect(await host.lookup(probe)).toEqual(expected);
      await host.settled();
    }
    expect(host.stats).toMatchObject({ fromFile: 0, fromDatabase: 3, staleFound: 0 });
    expect(host.stats.file).toBeUndefined();
    const { changed, removed } = targets(records);
    await applyChanges(db, [
      { op: 'upsert', record: changed },
      { op: 'delete', id: removed.id },
    ]);
    host.invalidate();
    expectHitsOf(await host.lookup(probe), after(records, [changed], [removed.id]), probe);
    expect(host.stats).toMatchObject({ fromFile: 0, fromDatabase: 4 });

    // A store whose files are all held elsewhere.
    const held: FileStore = {
      open: async () => undefined,
      create: async () => undefined,
      remove: async () => undefined,
      list: async () => [],
    };
    const host2 = new LookupHost(db, held);
    const now = await lookupInHere(db, probe);
    for (let i = 0; i < 2; i++) {
      expect(await host2.lookup(probe)).toEqual(now);
      await host2.settled();
    }
    expect(host2.stats).toMatchObject({ fromFile: 0, fromDatabase: 2 });
    expect(host2.stats.buildError).toBeUndefined();
  });

  it('drops a file whose pages turn out damaged, answers through the database, and builds it again', async () => {
    const records = sample(800, 46);
    const db = await loaded(records);
    const probe = probeOf(records);
    const expected = await lookupInHere(db, probe);
    const store = new MemoryStore();
    const host = new LookupHost(db, store);
    expect(await host.lookup(probe)).toEqual(expected);
    await host.settled();
    const [name] = [...store.files.keys()];
    const file = store.files.get(name as string) as MemoryFile;
    // Damage the first identifier index page's lengths (the header stays whole).
    file.write(new Uint8Array(24).fill(0xff), { at: 64 });
    expect(await host.lookup(probe)).toEqual(expected);
    expect(host.stats.buildError).toMatch(/查询文件损坏/);
    expect(host.stats).toMatchObject({ fromFile: 0, fromDatabase: 2 });
    await host.settled();
    expect(store.creates).toBe(2);
    expect(host.stats.buildError).toBeUndefined();
    expect(await host.lookup(probe)).toEqual(expected);
    expect(host.stats).toMatchObject({ fromFile: 1, fromDatabase: 2 });
    host.close();
  });

  it('leaves the files of a database whose name starts with its own', async () => {
    const records = sample(600, 47);
    const db = await loaded(records);
    const store = new MemoryStore();
    const theirs = [`lookup-${encodeURIComponent(`${db.name}@1`)}@3-17.bin`, `lookup-${db.name}-x@3-17.bin`];
    for (const other of theirs) store.files.set(other, new MemoryFile());
    const mine = `lookup-${db.name}@1-2.bin`;
    store.files.set(mine, new MemoryFile());
    const host = new LookupHost(db, store);
    await host.lookup(probeOf(records));
    await host.settled();
    const state = await mirrorState(db);
    expect([...store.files.keys()].sort()).toEqual([...theirs, `lookup-${db.name}@${state.gen}-${state.builtAt}.bin`].sort());
    host.close();
  });

  it('builds no file where the storage left is short of it, says so, and answers through the database', async () => {
    const records = sample(600, 49);
    const db = await loaded(records);
    const probe = probeOf(records);
    const expected = await lookupInHere(db, probe);
    const state = await mirrorState(db);
    let free = state.records * LOOKUP_FILE_BYTES_PER_RECORD - 1;
    const store = new (class extends MemoryStore {
      async free(): Promise<number> {
        return free;
      }
    })();
    const host = new LookupHost(db, store);
    expect(await host.lookup(probe)).toEqual(expected);
    await host.settled();
    expect(store.creates).toBe(0);
    expect(host.stats.buildError).toMatch(/^存储空间不足：查询文件约需 \d+ MB，可用约 \d+ MB$/);
    expect(await host.lookup(probe)).toEqual(expected);
    expect(host.stats).toMatchObject({ fromFile: 0, fromDatabase: 2 });
    // Room enough: the next look-up through the database builds it.
    free += 1;
    host.invalidate();
    expect(await host.lookup(probe)).toEqual(expected);
    await host.settled();
    expect(store.creates).toBe(1);
    expect(host.stats.buildError).toBeUndefined();
    expect(await host.lookup(probe)).toEqual(expected);
    expect(host.stats.fromFile).toBe(1);
    host.close();
  });

  it('can take over lookupIdentifiers (routeLookups), and give it back', async () => {
    const records = sample(600, 45);
    const db = await loaded(records);
    const probe = probeOf(records);
    const expected = await lookupInHere(db, probe);
    const host = new LookupHost(db, new MemoryStore());
    routeLookups(db, (ids) => host.lookup(ids));
    try {
      expect(await lookupIdentifiers(db, probe)).toEqual(expected);
      await host.settled();
      expect(await lookupIdentifiers(db, probe)).toEqual(expected);
      expect(host.stats).toMatchObject({ fromFile: 1, fromDatabase: 1 });
    } finally {
      routeLookups(db, undefined);
    }
    expect(await lookupIdentifiers(db, probe)).toEqual(expected);
    expect(host.stats).toMatchObject({ fromFile: 1, fromDatabase: 1 });
    host.close();
  });
});
