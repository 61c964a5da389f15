/**
 * The local mirror of the red / black / watch lists: bulk load, look-up by identifier (as
 * subject and as legal representative), search by part of a name, paged browsing, and sync
 * deltas (upsert by id and version, delete = tombstone). The one module that decides how the
 * lists are laid out in IndexedDB; features call the functions exported here (or mirror.ts).
 *
 * ## Why this layout (measured in headless Chromium 156 on the 2-core build machine)
 * - IndexedDB's cost is per row and per index entry, not per byte: one row per record with four
 *   secondary indexes ingests ~7,000 records/s (the bench's baseline), a put costs ~30–40 µs
 *   of the page's thread whatever its size, while a few large values go at >100,000 records/s
 *   (test/bench/page/explore-layouts.ts). Values above 64 KB become separate blob files.
 * - A look-up's latency is its round trips (a page `get` p50 0.2–0.5 ms) and the number of
 *   pages it touches: with 64–128-record pages in load order, a subject with 30 records meant
 *   30 page reads and a p99 of 15–25 ms; pages of 32 records clustered by legal representative
 *   brought the record-weighted p99 to ~2–4 ms.
 * - A load of 1,000,000 records is bound by CPU time on the loading thread (the generator alone
 *   takes 3–4 s of it), so no object is created per index entry: ~16 million postings as Map
 *   entries and arrays cost more than everything else together (first version: 26 s; now
 *   14–17 s at load average ~2, 18–25 s when other jobs push it to 4–5; baseline 5–7.5k/s).
 *
 * ## Layout
 * - **Records in pages** (`mirrorRecordPages`, key [gen, page]): `pageRecords` (32) records per row,
 *   each a JSON tuple whose long repeated texts point into a per-generation dictionary
 *   (record-codec.ts), concatenated as UTF-8: ~5 KB a page, no secondary index. A record's
 *   *position* is page × PAGE_SLOTS + slot. Within each run the records are placed clustered by
 *   legal representative (or own identifier), so a company, its representative and his other
 *   companies share pages: a look-up reads about one page per run.
 * - **Index as sorted immutable runs** (`mirrorIndexPages`, key [gen, run, first, part]), LSM-style:
 *   each `runRecords` (131,072) records of a load collect their keys in typed arrays
 *   (run-builder.ts), radix-sorted at the end of the run and written as one run of ~16 KB pages
 *   (postings.ts: varint deltas). `n<bigram>` → pages holding a name with those 2 characters;
 *   `r<record id>` → position. Identifier keys `h<64-bit hash>` → position·2 + (0 subject |
 *   1 legal representative) are collected over the whole load in typed arrays (12 bytes an
 *   occurrence) and, at its end, sorted into one more run of 4 KB pages: a look-up is ONE
 *   index-page `get` plus the record pages, in one transaction, and keeps the records that name
 *   the identifier. (Until 2026-12-04 the keys held the identifier itself, spilled per hash
 *   partition while loading: 3 s of the page thread's `put` calls at 1,000,000 records.) The
 *   page boundaries of all runs stay in memory (a few thousand strings at 1M records).
 * - **Name search**: the query's bigrams are looked up (one page per run, in parallel), the
 *   rarest page list is intersected with the other small ones, and the candidate pages'
 *   records are verified by substring match in mirror order until `limit` hits. Queries under
 *   2 characters return nothing.
 * - **Generations**: a load writes a new generation beside the current one and switches the
 *   `mirror.state` pointer (meta) in one small strict transaction at the end; the old
 *   generation is deleted afterwards. A cancelled or failed load leaves the previous mirror
 *   untouched and removes its partial rows; after a crash, `cleanupMirror` (run at every open,
 *   see database.ts) removes them.
 * - **Deltas** (`mirrorDeltaLog`, database v4): each applied sync page is ONE row (a bigger batch,
 *   e.g. a list import, rows of at most LOG_ROW_ENTRIES in the same transaction), its changes
 *   as a JSON text (DeltaEntry: the record's state after the change or a tombstone, the base
 *   position it replaces, its browse order). Until v3 every changed record was its own row with
 *   multi-entry indexes (identifiers, name bigrams): ~20 index entries per change, ~300 ms of
 *   IndexedDB per page of 2,000; a log row costs ~30 ms. Readers replay the log into an
 *   in-memory index (DeltaIndex: by id, identifier, legal representative, base position, and
 *   the records the base lacks in arrival order; name search scans its names), extended by
 *   the rows added since when the log grows (`deltaPages` in the state; rebuilt only for a new
 *   generation), and the writer extends its copy after each commit. The page brings its copy
 *   up to date in small steps right after an import or sync (`warmDelta`), so a look-up never
 *   stops the counter to replay 100,000 entries. Compaction waits while the storage estimate
 *   says the new generation would not fit. A delta entry overrides the base record of the same id (found through the `r` keys,
 *   each index page read once per sync page); reads merge base and delta; an entry keeps its
 *   base record's place in browse order, new records come after the base. The delta stays
 *   small: when it grows past `compactionDue` (10,000 ids or 5 % of the base), applyChanges in
 *   a worker starts `compactIfDue` by itself (the delta folded into a new generation; never on
 *   the page thread), and so does `maintainMirror` at the next open when the app closed before
 *   a compaction finished.
 * - **Big imports** go through applyChanges too: the current versions of the base are read in
 *   rounds of APPLY_READ_CHUNK ids (one read-only transaction, under the write lock) and the
 *   entries written as log rows in one strict transaction, so the import costs what it holds,
 *   not what the mirror holds, and look-ups wait only for the write; the whole-mirror rewrite is
 *   the compaction that follows in the worker, while readers keep reading base + delta.
 * - Bulk writes use relaxed durability; the generation switch and sync pages strict.
 * - **The look-up file** (lookup-file.ts, since 2026-12-04): in the app, look-ups go to a worker
 *   (lookup-service.ts) that copies the current generation's identifier index pages and record
 *   pages into a file of the origin-private file system and answers from it through a
 *   synchronous access handle, no IndexedDB round trip (`lookupFromFile`; p99 ~3 ms against
 *   ~6–8 ms through IndexedDB at 1,000,000 here). Writers announce every state commit on a
 *   BroadcastChannel (`announceChange`) so that it never answers from a state gone by.
 *
 * Everything here works in a Web Worker (mirror-worker.ts); loads, deltas and compaction are
 * serialised by a Web Lock per database, so two windows or workers cannot interleave them.
 * Figures and how to reproduce them: test/bench/README.md (`npm run bench`).
 */
import { z } from 'zod';
import type { ListColour, ListRecord, Matter, Measure } from '../../shared/domain/schemas';
import { recordState, type RecordState } from '../../shared/domain/verdict';
import {
  MIRROR_STATE_KEY,
  NEW_ORDER_BASE,
  indexKey,
  pageKey,
  type DeltaEntry,
  type HechataiDb,
  type MetaRow,
  type MirrorDeltaLogRow,
  type MirrorIndexRow,
  type MirrorPageRow,
} from './database';
import { quotaProblem } from '../app/storage';
import { abortError, rawDb, req, tx, txDone } from './idb';
import { INDEX_PAGE_BYTES, RunWriter, fenceOf, intersect, pagesFor, postingsIn, type Fence } from './postings';
import { Dictionary, READABLE_CODECS, RECORD_CODEC, bigrams, decodeRecord, encodeRecord, subjectIdentifiers } from './record-codec';
import { IdCollector, RunBuilder, gramKey, idKey, legacyIdKey, recordKey } from './run-builder';
import { LookupFileError, writeLookupFile, type LookupFile, type LookupFileHeader, type PageSlots, type RandomAccessFile } from './lookup-file';

const META = 'meta';
const PAGES = 'mirrorRecordPages';
const INDEX = 'mirrorIndexPages';
const DELTA = 'mirrorDeltaLog';
const BUILDING_KEY = 'mirror.building';

/** Position = page × PAGE_SLOTS + slot. */
export const PAGE_SLOTS = 256;

export interface Tuning {
  /** Records per page (≤ PAGE_SLOTS). */
  pageRecords: number;
  /** Records per sorted index run while loading: bounds the loader's memory. */
  runRecords: number;
  /** Records per page-write transaction. */
  flushRecords: number;
  /** Byte budget of an index page of the runs (name bigrams, record ids). */
  indexPageBytes: number;
  /** Byte budget of an index page of the merged identifier run: small, as a look-up reads one. */
  idPageBytes: number;
  /** Write transactions in flight while loading (overlaps our CPU work with the database's). */
  inFlight: number;
}

export const DEFAULT_TUNING: Tuning = {
  pageRecords: 32,
  runRecords: 131_072,
  flushRecords: 8_192,
  indexPageBytes: INDEX_PAGE_BYTES,
  idPageBytes: 4_096,
  inFlight: 8,
};

// ---------------------------------------------------------------- state

export const MirrorState = z.object({
  /** Current generation; 0 = no base generation (empty, or only delta rows). */
  gen: z.number().int().nonnegative(),
  /** The run of `gen` that holds the merged identifier keys. */
  run: z.number().int().nonnegative(),
  /** Runs 1 … runs of `gen` hold the name-bigram and record-id keys. */
  runs: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  codec: z.number().int(),
  builtAt: z.number(),
  /** Record ids the delta holds (records and tombstones). */
  deltaCount: z.number().int().nonnegative(),
  /** Pages in the delta log (the next page's number). */
  deltaPages: z.number().int().nonnegative(),
  /** Arrival counter of delta rows for records the base does not hold (browse order). */
  deltaSeq: z.number().int().nonnegative(),
});
export type MirrorState = z.infer<typeof MirrorState>;

const EMPTY_STATE: MirrorState = { gen: 0, run: 0, runs: 0, records: 0, pages: 0, codec: RECORD_CODEC, builtAt: 0, deltaCount: 0, deltaPages: 0, deltaSeq: 0 };

const Building = z.object({ gen: z.number().int().positive(), startedAt: z.number() });

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The state row, checked by hand: it is read on every look-up, and a schema parse costs more than the look-up's own work. */
function stateOf(row: MetaRow | undefined): MirrorState {
  const v = row?.value as Partial<Record<keyof MirrorState, unknown>> | undefined;
  if (!v || typeof v !== 'object') return EMPTY_STATE;
  const { gen, run, runs = 0, records, pages, codec, builtAt, deltaCount, deltaPages = 0, deltaSeq } = v;
  if (![gen, run, runs, records, pages, deltaCount, deltaPages, deltaSeq].every(isCount) || typeof codec !== 'number' || typeof builtAt !== 'number') return EMPTY_STATE;
  return { gen, run, runs, records, pages, codec, builtAt, deltaCount, deltaPages, deltaSeq } as MirrorState;
}

export class MirrorFormatError extends Error {
  constructor(codec: number) {
    super(`名单镜像的存储格式（${codec}）与本程序（${RECORD_CODEC}）不符，请重新同步名单`);
    this.name = 'MirrorFormatError';
  }
}

export class MirrorChangedError extends Error {
  constructor() {
    super('名单镜像已更新，请重新浏览');
    this.name = 'MirrorChangedError';
  }
}

// ---------------------------------------------------------------- the in-memory view of a generation

interface View {
  gen: number;
  run: number;
  runs: number;
  /** Page boundaries of run `run` (identifier keys). */
  idFence: Fence;
  /** The identifier keys of this generation: hashed (`h…`), or with the identifier (`i…`, older). */
  idKey: (identifier: string) => string;
  /** Page boundaries of runs 1 … runs (index r − 1). */
  runFences: Fence[];
  dict: string[];
}
const views = new WeakMap<HechataiDb, View>();

async function viewFor(db: HechataiDb, index: IDBObjectStore, pages: IDBObjectStore, state: MirrorState): Promise<View> {
  const cached = views.get(db);
  if (cached && cached.gen === state.gen && cached.run === state.run && cached.runs === state.runs) return cached;
  if (state.gen > 0 && !READABLE_CODECS.includes(state.codec)) throw new MirrorFormatError(state.codec);
  const { gen } = state;
  const [keys, dictRows] =
    gen === 0
      ? [[], []]
      : await Promise.all([
          req(index.getAllKeys(IDBKeyRange.bound([gen], [gen, []]))),
          req(pages.getAll(IDBKeyRange.bound([gen, -Infinity], [gen, 0], false, true)) as IDBRequest<MirrorPageRow[]>),
        ]);
  const byRun = new Map<number, IDBValidKey[]>();
  for (const k of keys) {
    const run = (k as [number, number])[1];
    let list = byRun.get(run);
    if (!list) byRun.set(run, (list = []));
    list.push(k);
  }
  const dict: string[] = [];
  for (const row of [...dictRows].sort((a, b) => (a.dictFrom ?? 0) - (b.dictFrom ?? 0))) dict.push(...(row.dict ?? []));
  const runFences: Fence[] = [];
  for (let r = 1; r <= state.runs; r++) runFences.push(fenceOf(byRun.get(r) ?? []));
  const idFence = fenceOf(byRun.get(state.run) ?? []);
  const legacy = idFence.firsts[0]?.startsWith('i') ?? false;
  const view: View = { gen, run: state.run, runs: state.runs, idFence, idKey: legacy ? legacyIdKey : idKey, runFences, dict };
  views.set(db, view);
  return view;
}

// ---------------------------------------------------------------- the in-memory index of the delta

/**
 * What the delta log holds, replayed in order (the last entry of an id wins), with the keys
 * readers ask by. Built once per generation (a few tens of ms per 10,000 entries) and then
 * extended by the log rows added since (the log of a generation only grows); the writer extends
 * its copy after each page it commits.
 */
interface DerivedMaps {
  subject: Map<string, DeltaEntry[]>;
  rep: Map<string, DeltaEntry[]>;
  fresh: DeltaEntry[];
}

class DeltaIndex {
  readonly byId = new Map<string, DeltaEntry>();
  /** Live entries by subject identifier / legal representative's identifier. */
  private bySubjectKey = new Map<string, DeltaEntry[]>();
  private byRepKey = new Map<string, DeltaEntry[]>();
  /** Entries (tombstones too) by the base position they replace. */
  readonly byBase = new Map<number, DeltaEntry>();
  /** Entries of records the base does not hold, by browse order. */
  private fresh: DeltaEntry[] = [];
  private derived = false;

  /** `base`: the generation it replays the log of (deltaBase); `pages`: the log rows replayed. */
  constructor(
    public base: string,
    public pages: number,
  ) {}

  get key(): string {
    return `${this.base}:${this.pages}`;
  }

  /**
   * Builds the lookup maps now (else the first look-up does), `step` entries at a time with
   * `pause()` between: 100,000 entries held the thread ~250 ms in one go. Given up, for the
   * next look-up to do, if entries are added meanwhile.
   */
  async prepare(pause: () => Promise<void>, step = 5_000): Promise<void> {
    if (this.derived) return;
    const version = this.version;
    const maps = this.emptyMaps();
    let i = 0;
    for (const e of [...this.byId.values()]) {
      this.index(maps, e);
      if (++i % step === 0) {
        await pause();
        if (this.version !== version || this.derived) return;
      }
    }
    this.use(maps);
  }

  /** Bumped by every add (a prepare in steps notices it was overtaken). */
  private version = 0;

  add(entries: readonly DeltaEntry[]): void {
    for (const e of entries) {
      this.byId.set(e.id, e);
      if (e.base >= 0) this.byBase.set(e.base, e);
    }
    this.version++;
    this.derived = false;
  }

  private emptyMaps(): DerivedMaps {
    return { subject: new Map(), rep: new Map(), fresh: [] };
  }

  private index(maps: DerivedMaps, e: DeltaEntry): void {
    const push = (m: Map<string, DeltaEntry[]>, k: string): void => {
      const list = m.get(k);
      if (list) list.push(e);
      else m.set(k, [e]);
    };
    if (e.base < 0) maps.fresh.push(e);
    if (!e.record) return;
    for (const k of new Set(subjectIdentifiers(e.record))) push(maps.subject, k);
    if (e.record.legalRepId) push(maps.rep, e.record.legalRepId);
  }

  private use(maps: DerivedMaps): void {
    this.bySubjectKey = maps.subject;
    this.byRepKey = maps.rep;
    this.fresh = maps.fresh.sort((a, b) => a.ord - b.ord);
    this.derived = true;
  }

  private derive(): void {
    if (this.derived) return;
    const maps = this.emptyMaps();
    for (const e of this.byId.values()) this.index(maps, e);
    this.use(maps);
  }

  subject(identifier: string): DeltaEntry[] {
    this.derive();
    return this.bySubjectKey.get(identifier) ?? [];
  }

  rep(identifier: string): DeltaEntry[] {
    this.derive();
    return this.byRepKey.get(identifier) ?? [];
  }

  /** Live records whose subject name contains `q`. */
  names(q: string): DeltaEntry[] {
    const out: DeltaEntry[] = [];
    for (const e of this.byId.values()) if (e.record?.subjectName.includes(q)) out.push(e);
    return out;
  }

  /** Entries of records the base does not hold with ord > `after`, in browse order. */
  freshAfter(after: number): DeltaEntry[] {
    this.derive();
    let lo = 0;
    let hi = this.fresh.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.fresh[mid] as DeltaEntry).ord <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.fresh.slice(lo);
  }
}

const deltaBase = (state: MirrorState): string => `${state.gen}:${state.builtAt}`;
const deltaKey = (state: MirrorState): string => `${deltaBase(state)}:${state.deltaPages}`;
const deltas = new WeakMap<HechataiDb, DeltaIndex>();
const EMPTY_DELTA = new DeltaIndex('', 0);

/**
 * The index to extend for `state` and the first log row it lacks: this context's copy when it
 * replays the same generation's log up to an earlier row, else a new one from row 0.
 */
function deltaStart(db: HechataiDb, state: MirrorState): { index: DeltaIndex; from: number } {
  const cached = deltas.get(db);
  if (cached && cached.base === deltaBase(state) && cached.pages <= state.deltaPages) return { index: cached, from: cached.pages };
  return { index: new DeltaIndex(deltaBase(state), 0), from: 0 };
}

/** Adds log row `n` to `index` unless another read added it meanwhile. */
function extendWith(index: DeltaIndex, n: number, row: MirrorDeltaLogRow): void {
  if (index.pages !== n) return;
  index.add(JSON.parse(row.text) as DeltaEntry[]);
  index.pages = n + 1;
}

/** The delta of `state`, from the cache or read from the log in the caller's transaction. */
async function deltaFor(db: HechataiDb, log: IDBObjectStore, state: MirrorState): Promise<DeltaIndex> {
  if (state.deltaPages === 0) {
    // A compaction or load emptied the log: let the replayed index go.
    deltas.delete(db);
    return EMPTY_DELTA;
  }
  const { index, from } = deltaStart(db, state);
  if (from === state.deltaPages) return index;
  // Shared at once, so a warm-up or another read goes on from where this one has got to.
  deltas.set(db, index);
  // A row a request: each is deserialised and parsed in a task of its own (one getAll of a
  // big import's 20 rows held the page's thread 1–2 s in one task); the transaction stays
  // active from one request to the next.
  while (index.pages < state.deltaPages) {
    const n = index.pages;
    const row = (await req(log.get(n))) as MirrorDeltaLogRow | undefined;
    if (row === undefined) throw new MirrorChangedError();
    extendWith(index, n, row);
  }
  return index;
}

/**
 * Brings this context's index of the delta log up to date ahead of the next read, a log row at
 * a time with a pause after each, so the thread is never held for long: after a big import the
 * log holds 100,000 entries in 20 rows, ~1 s of parsing that the first look-up on the page
 * would otherwise wait for with the page frozen. Each row is read in a transaction of its own:
 * one getAll of the 20 rows was deserialised in a single task (~1 s of the page's thread on
 * the machine of 2026-12-03). Call it after an import or a sync (the app does, in
 * refreshMirror). Returns without reading when the index is current.
 */
export async function warmDelta(db: HechataiDb): Promise<void> {
  const idb = await rawDb(db);
  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
  let warmed: DeltaIndex | undefined;
  for (;;) {
    const t = tx(idb, [META, DELTA], 'readonly');
    const state = await readState(t.objectStore(META));
    if (state.deltaPages === 0) {
      deltas.delete(db);
      return;
    }
    const { index, from } = deltaStart(db, state);
    if (from === state.deltaPages) {
      warmed = index;
      break;
    }
    // Shared at once: a read meanwhile extends this one from where it has got to.
    deltas.set(db, index);
    const row = (await req(t.objectStore(DELTA).get(from))) as MirrorDeltaLogRow | undefined;
    // Gone: a compaction switched generations meanwhile; the next read starts on the new one.
    if (row === undefined) return;
    extendWith(index, from, row);
    await pause();
  }
  await warmed.prepare(pause);
}

/** Postings of `key` in one run (its pages fetched in parallel). */
async function readPostingsIn(index: IDBObjectStore, gen: number, run: number, fence: Fence, key: string): Promise<number[]> {
  const at = pagesFor(fence, key);
  if (at.length === 0) return [];
  const rows = await Promise.all(
    at.map((i) => req(index.get([gen, run, fence.firsts[i] as string, fence.parts[i] as number]) as IDBRequest<MirrorIndexRow | undefined>)),
  );
  const out: number[] = [];
  for (const row of rows) if (row) postingsIn(row, key, out);
  return out;
}

/** Postings of an `i` key (the merged run). */
function readIdPostings(index: IDBObjectStore, view: View, key: string): Promise<number[]> {
  if (view.run === 0) return Promise.resolve([]);
  return readPostingsIn(index, view.gen, view.run, view.idFence, key);
}

/** Postings of an `n` or `r` key: every run in parallel, concatenated in run (= position) order. */
async function readRunPostings(index: IDBObjectStore, view: View, key: string): Promise<number[]> {
  const lists = await Promise.all(view.runFences.map((fence, i) => readPostingsIn(index, view.gen, i + 1, fence, key)));
  return lists.flat();
}

/**
 * Postings of many `n` or `r` keys at once (applying a sync page asks for thousands of record
 * ids): each index page is fetched once however many keys fall in it. Result per key as
 * readRunPostings gives it.
 */
async function readRunPostingsMany(index: IDBObjectStore, view: View, keys: readonly string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(keys.map((k) => [k, []]));
  const perRun = await Promise.all(
    view.runFences.map(async (fence, r) => {
      const wanted = new Map<number, string[]>();
      for (const key of keys) {
        for (const i of pagesFor(fence, key)) {
          let list = wanted.get(i);
          if (!list) wanted.set(i, (list = []));
          list.push(key);
        }
      }
      const at = [...wanted.keys()].sort((a, b) => a - b);
      const rows = await Promise.all(
        at.map((i) => req(index.get([view.gen, r + 1, fence.firsts[i] as string, fence.parts[i] as number]) as IDBRequest<MirrorIndexRow | undefined>)),
      );
      const found = new Map<string, number[]>();
      rows.forEach((row, n) => {
        if (!row) return;
        for (const key of wanted.get(at[n] as number) as string[]) {
          let list = found.get(key);
          if (!list) found.set(key, (list = []));
          postingsIn(row, key, list);
        }
      });
      return found;
    }),
  );
  // Runs in order (= position order), as readRunPostings concatenates them.
  for (const found of perRun) for (const [key, list] of found) (out.get(key) as number[]).push(...list);
  return out;
}

const utf8Decoder = new TextDecoder();

const pageTexts = new WeakMap<MirrorPageRow, string>();

/** Whether JSON.stringify writes `s` other than as it is (quotes, backslash, control chars, surrogates). */
function jsonEscapes(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** A page's records as one text (decoded once per row object). */
function pageText(row: MirrorPageRow): string {
  let text = pageTexts.get(row);
  if (text === undefined) pageTexts.set(row, (text = row.utf8 ? utf8Decoder.decode(row.utf8) : ''));
  return text;
}

/** The encoded record in `slot` of a page, if any. */
function recordText(row: MirrorPageRow | undefined, slot: number): string | undefined {
  if (!row?.ends || !row.utf8 || slot >= row.ends.length) return undefined;
  return pageText(row).substring(slot === 0 ? 0 : (row.ends[slot - 1] as number), row.ends[slot] as number);
}

/** Decodes the records at `positions` (one `get` per distinct page). */
async function readRecords(pages: IDBObjectStore, view: View, positions: readonly number[]): Promise<Map<number, ListRecord>> {
  const pageNos = [...new Set(positions.map((p) => Math.floor(p / PAGE_SLOTS)))];
  const rows = await Promise.all(pageNos.map((n) => req(pages.get([view.gen, n]) as IDBRequest<MirrorPageRow | undefined>)));
  const byPage = new Map(pageNos.map((n, i) => [n, rows[i]]));
  return decodeAt(view, positions, (n) => {
    const row = byPage.get(n);
    return row?.ends && row.utf8 ? { text: pageText(row), ends: row.ends } : undefined;
  });
}

/** The records at `positions`, their pages given by `page` (page number → its text and slot ends). */
function decodeAt(view: View, positions: readonly number[], page: (n: number) => PageSlots | undefined): Map<number, ListRecord> {
  const byPage = new Map<number, PageSlots | undefined>();
  const out = new Map<number, ListRecord>();
  for (const p of positions) {
    const n = Math.floor(p / PAGE_SLOTS);
    if (!byPage.has(n)) byPage.set(n, page(n));
    const slots = byPage.get(n);
    const slot = p % PAGE_SLOTS;
    if (!slots || slot >= slots.ends.length) throw new MirrorChangedError();
    out.set(p, decodeRecord(slots.text.substring(slot === 0 ? 0 : (slots.ends[slot - 1] as number), slots.ends[slot] as number), view.dict));
  }
  return out;
}

/** Positions whose base record a delta entry replaces. */
function overrides(delta: DeltaIndex, positions: readonly number[]): Set<number> {
  const out = new Set<number>();
  for (const p of positions) if (delta.byBase.has(p)) out.add(p);
  return out;
}

interface Ordered {
  ord: number;
  record: ListRecord;
}
const byOrd = (a: Ordered, b: Ordered): number => a.ord - b.ord;

interface ReadStores {
  meta: IDBObjectStore;
  index: IDBObjectStore;
  pages: IDBObjectStore;
  delta: IDBObjectStore;
}

function openRead(idb: IDBDatabase): ReadStores {
  const t = tx(idb, [META, INDEX, PAGES, DELTA], 'readonly');
  return { meta: t.objectStore(META), index: t.objectStore(INDEX), pages: t.objectStore(PAGES), delta: t.objectStore(DELTA) };
}

function readState(meta: IDBObjectStore): Promise<MirrorState> {
  return req(meta.get(MIRROR_STATE_KEY) as IDBRequest<MetaRow | undefined>).then(stateOf);
}

/** Marks a rejection as handled for a promise we may end up not awaiting. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

// ---------------------------------------------------------------- look-up

export interface IdentifierHits {
  /** Records naming the identifier as their subject (USCC, ID number, old codes). */
  subject: ListRecord[];
  /** Records naming it as legal representative (法定代表人): the organisations a person represents. */
  legalRep: ListRecord[];
}

/**
 * Every current record naming `identifier`, as subject and as legal representative: one
 * read-only transaction, two round trips (index page, then record pages) once the view of the
 * generation is cached.
 */
export async function lookupIdentifier(db: HechataiDb, identifier: string): Promise<IdentifierHits> {
  return (await lookupIdentifiers(db, [identifier])).get(identifier) as IdentifierHits;
}

/**
 * lookupIdentifier for several identifiers at once (a subject's linked parties): still one
 * transaction and two round trips, every index page and then every record page requested
 * together, a record page shared by several of them read once.
 */
export async function lookupIdentifiers(db: HechataiDb, identifiers: readonly string[]): Promise<Map<string, IdentifierHits>> {
  const route = routes.get(db);
  return route ? route(identifiers) : lookupInHere(db, identifiers);
}

type LookupRoute = (identifiers: readonly string[]) => Promise<Map<string, IdentifierHits>>;
const routes = new WeakMap<HechataiDb, LookupRoute>();

/**
 * Sends this context's look-ups on `db` elsewhere (the look-up worker, lookup-service.ts), or
 * back here with undefined.
 */
export function routeLookups(db: HechataiDb, route: LookupRoute | undefined): void {
  if (route) routes.set(db, route);
  else routes.delete(db);
}

/** lookupIdentifiers in this context, through IndexedDB. */
export async function lookupInHere(db: HechataiDb, identifiers: readonly string[]): Promise<Map<string, IdentifierHits>> {
  const ids = [...new Set(identifiers)];
  const out = new Map<string, IdentifierHits>();
  if (ids.length === 0) return out;
  const idb = await rawDb(db);
  const s = openRead(idb);
  const statePromise = quiet(readState(s.meta));
  const cached = views.get(db);
  // Speculate that the generation has not changed since the last look-up (checked below).
  const speculative = cached ? quiet(Promise.all(ids.map((id) => readIdPostings(s.index, cached, cached.idKey(id))))) : undefined;

  const state = await statePromise;
  const view = await viewFor(db, s.index, s.pages, state);
  const deltaPromise = quiet(deltaFor(db, s.delta, state));
  const postings =
    speculative && view === cached ? await speculative : await Promise.all(ids.map((id) => readIdPostings(s.index, view, view.idKey(id))));

  // Second round trip: the record pages.
  const records = await readRecords(s.pages, view, positionsOf(postings));
  return hitsOf(ids, postings, records, await deltaPromise);
}

/** The base positions `postings` point at (each posting is position · 2 + role). */
function positionsOf(postings: readonly number[][]): number[] {
  return [...new Set(postings.flat().map((v) => Math.floor(v / 2)))];
}

/** Each identifier's hits: its base records (unless the delta replaced them) and its delta entries, in mirror order. */
function hitsOf(ids: readonly string[], postings: readonly number[][], records: Map<number, ListRecord>, delta: DeltaIndex): Map<string, IdentifierHits> {
  const out = new Map<string, IdentifierHits>();
  const replaced = overrides(delta, [...records.keys()]);
  ids.forEach((identifier, i) => {
    const subject: Ordered[] = [];
    const legalRep: Ordered[] = [];
    for (const v of postings[i] as number[]) {
      const pos = Math.floor(v / 2);
      if (replaced.has(pos)) continue;
      const record = records.get(pos) as ListRecord;
      const asSubject = v % 2 === 0;
      // A hashed key may be shared by another identifier: keep the records that name this one.
      if (asSubject ? !subjectIdentifiers(record).includes(identifier) : record.legalRepId !== identifier) continue;
      (asSubject ? subject : legalRep).push({ ord: pos, record });
    }
    for (const e of delta.subject(identifier)) subject.push({ ord: e.ord, record: e.record as ListRecord });
    for (const e of delta.rep(identifier)) legalRep.push({ ord: e.ord, record: e.record as ListRecord });
    out.set(identifier, { subject: subject.sort(byOrd).map((o) => o.record), legalRep: legalRep.sort(byOrd).map((o) => o.record) });
  });
  return out;
}

/** Whether two states name the same mirror content (generation and delta log). */
export function sameMirrorState(a: MirrorState, b: MirrorState): boolean {
  return a.gen === b.gen && a.run === b.run && a.runs === b.runs && deltaKey(a) === deltaKey(b);
}

/**
 * lookupIdentifiers answered without IndexedDB, synchronously: the identifier index pages and
 * record pages read from `file` (the look-up file of `state`'s generation, lookup-file.ts), the
 * view and the delta from this context's caches. Undefined when they are not those of `state`
 * (the caller then looks up through IndexedDB, which fills them). The caller vouches that
 * `state` is the current one (lookup-host.ts: told of every commit, checked in the background).
 */
export function lookupFromFile(db: HechataiDb, identifiers: readonly string[], state: MirrorState, file: LookupFile | undefined): Map<string, IdentifierHits> | undefined {
  const view = views.get(db);
  if (!view || view.gen !== state.gen || view.run !== state.run || view.runs !== state.runs) return undefined;
  const h = file?.header;
  if (view.run !== 0 && !(h && h.gen === state.gen && h.builtAt === state.builtAt && h.run === state.run)) return undefined;
  const delta = state.deltaPages === 0 ? EMPTY_DELTA : deltas.get(db);
  if (!delta || (state.deltaPages > 0 && delta.key !== deltaKey(state))) return undefined;
  const ids = [...new Set(identifiers)];
  const postings = ids.map((id) => {
    const out: number[] = [];
    if (view.run === 0 || !file) return out;
    const key = view.idKey(id);
    for (const i of pagesFor(view.idFence, key)) {
      const row = file.idPage(i);
      if (!row || row.first !== view.idFence.firsts[i] || row.part !== view.idFence.parts[i]) throw new LookupFileError(`标识索引第 ${i} 页与名单镜像不符`);
      postingsIn(row, key, out);
    }
    return out;
  });
  const records = decodeAt(view, positionsOf(postings), (n) => file?.recordSlots(n));
  return hitsOf(ids, postings, records, delta);
}

/**
 * Copies the current generation's identifier index pages and record pages into `file`
 * (writeLookupFile), reading them in chunks of `step` rows, a read-only transaction each.
 * Undefined when there is no generation, or when another became current meanwhile (the file
 * is then of no use).
 */
export async function buildLookupFile(db: HechataiDb, file: RandomAccessFile, step = 512): Promise<LookupFileHeader | undefined> {
  const idb = await rawDb(db);
  const state = await mirrorState(db);
  if (state.gen === 0 || state.run === 0) return undefined;
  const { gen, run } = state;
  async function* chunks<T>(store: string, lower: IDBValidKey, upper: IDBValidKey, keyOf: (row: T) => IDBValidKey): AsyncGenerator<T[]> {
    let range = IDBKeyRange.bound(lower, upper);
    for (;;) {
      const rows = (await req(tx(idb, [store], 'readonly').objectStore(store).getAll(range, step))) as T[];
      if (rows.length > 0) yield rows;
      if (rows.length < step) return;
      range = IDBKeyRange.bound(keyOf(rows[rows.length - 1] as T), upper, true);
    }
  }
  const header = await writeLookupFile(
    file,
    { gen, builtAt: state.builtAt, run },
    chunks<MirrorIndexRow>(INDEX, [gen, run], [gen, run, []], (r) => [r.gen, r.run, r.first, r.part]),
    chunks<MirrorPageRow>(PAGES, [gen, 0], [gen, Infinity], (r) => [r.gen, r.page]),
  );
  const now = await mirrorState(db);
  return now.gen === gen && now.builtAt === state.builtAt ? header : undefined;
}

/** The channel on which writers announce each committed change of the mirror's state. */
export const mirrorChannelName = (dbName: string): string => `hechatai-mirror:${dbName}`;

/** Tells every context of this origin that the state of `idb`'s mirror changed. */
function announceChange(idb: IDBDatabase): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(mirrorChannelName(idb.name));
  channel.postMessage('changed');
  channel.close();
}

// ---------------------------------------------------------------- name search

export interface NameSearchResult {
  /** Matching records in mirror order (stable), at most `limit`. */
  records: ListRecord[];
  /** True when more records match than were returned. */
  more: boolean;
}

/**
 * Records whose subject name contains `query` (trimmed; exact substring, at least 2
 * characters). Results come in mirror order; `more` says whether the limit cut them.
 */
export async function searchByName(db: HechataiDb, query: string, opts: { limit?: number } = {}): Promise<NameSearchResult> {
  const q = query.trim();
  const limit = opts.limit ?? 50;
  const grams = bigrams(q);
  if (grams.length === 0 || limit <= 0) return { records: [], more: false };
  const idb = await rawDb(db);
  const s = openRead(idb);
  const state = await readState(s.meta);
  const deltaPromise = quiet(deltaFor(db, s.delta, state));
  const view = await viewFor(db, s.index, s.pages, state);
  const delta = await deltaPromise;

  // Plan: a bigram held in at most one page per run is read at once; a bigger (common) one lazily.
  const keys = grams.map(gramKey);
  const spans = keys.map((k) => view.runFences.map((fence) => pagesFor(fence, k)));
  const isSmall = (i: number): boolean => (spans[i] as number[][]).every((sp) => sp.length <= 1);
  const pageCount = (i: number): number => (spans[i] as number[][]).reduce((n, sp) => n + sp.length, 0);
  const smallKeys = keys.filter((_, i) => isSmall(i));
  let commonAt = -1;
  keys.forEach((_, i) => {
    if (!isSmall(i) && (commonAt < 0 || pageCount(i) < pageCount(commonAt))) commonAt = i;
  });
  const small = await Promise.all(smallKeys.map((k) => readRunPostings(s.index, view, k)));

  const hits: Ordered[] = [];
  const want = limit + 1;
  // The page's raw text can rule a page out when the query needs no JSON escaping.
  const rawCheck = !jsonEscapes(q);
  /** Verifies the records of candidate pages, in page order, until `want` hits. */
  const verify = async (pageNos: readonly number[]): Promise<void> => {
    for (let i = 0; i < pageNos.length && hits.length < want; ) {
      const chunk = pageNos.slice(i, i + Math.max(4, Math.ceil((want - hits.length) / 4)));
      i += chunk.length;
      const rows = await Promise.all(chunk.map((n) => req(s.pages.get([view.gen, n]) as IDBRequest<MirrorPageRow | undefined>)));
      const found: { pos: number; record: ListRecord }[] = [];
      rows.forEach((row, c) => {
        const count = row?.ends?.length ?? 0;
        if (!row || count === 0) return;
        if (rawCheck && !pageText(row).includes(q)) return;
        for (let slot = 0; slot < count; slot++) {
          const text = recordText(row, slot) as string;
          if (rawCheck && !text.includes(q)) continue;
          const record = decodeRecord(text, view.dict);
          if (record.subjectName.includes(q)) found.push({ pos: (chunk[c] as number) * PAGE_SLOTS + slot, record });
        }
      });
      const replaced = overrides(delta, found.map((f) => f.pos));
      for (const f of found) {
        if (hits.length >= want) break;
        if (!replaced.has(f.pos)) hits.push({ ord: f.pos, record: f.record });
      }
    }
  };

  if (small.length > 0) {
    small.sort((a, b) => a.length - b.length);
    let candidates = small[0] as number[];
    for (let i = 1; i < small.length && candidates.length > 0; i++) candidates = intersect(candidates, small[i] as number[]);
    await verify(candidates);
  } else if (commonAt >= 0) {
    // Every bigram is common: walk the shortest list page by page, run by run.
    const key = keys[commonAt] as string;
    const span = spans[commonAt] as number[][];
    for (let r = 0; r < span.length && hits.length < want; r++) {
      const fence = view.runFences[r] as Fence;
      for (const i of span[r] as number[]) {
        if (hits.length >= want) break;
        const row = (await req(s.index.get([view.gen, r + 1, fence.firsts[i] as string, fence.parts[i] as number]))) as MirrorIndexRow | undefined;
        if (row) await verify(postingsIn(row, key));
      }
    }
  }

  if (state.deltaPages > 0) {
    for (const e of delta.names(q)) hits.push({ ord: e.ord, record: e.record as ListRecord });
    hits.sort(byOrd);
  }
  return { records: hits.slice(0, limit).map((h) => h.record), more: hits.length > limit };
}

// ---------------------------------------------------------------- browsing

export interface BrowseFilter {
  colours?: readonly ListColour[];
  /** Record states (verdict.ts recordState) as of `today`; requires `today`. */
  states?: readonly RecordState[];
  today?: string;
  /** Part of the designating department's name (认定部门). */
  department?: string;
  /** Designation date range, inclusive (YYYY-MM-DD). */
  designatedFrom?: string;
  designatedTo?: string;
}

/** Whether a record passes a browse filter (also used by the lists screen on search results). */
export function matchesBrowseFilter(r: ListRecord, f: BrowseFilter): boolean {
  return (
    (!f.colours || f.colours.includes(r.colour)) &&
    (!f.states || f.states.includes(recordState(r, f.today as string))) &&
    (!f.department || r.deptName.includes(f.department)) &&
    (!f.designatedFrom || r.designatedOn >= f.designatedFrom) &&
    (!f.designatedTo || r.designatedOn <= f.designatedTo)
  );
}

/** Continue after this point; only valid for the generation it was made in. */
export interface BrowseCursor {
  gen: number;
  ord: number;
}

export interface BrowsePage {
  records: ListRecord[];
  /** null at the end of the mirror. */
  next: BrowseCursor | null;
}

/**
 * A page of records in the mirror's stable order (load order, then records that arrived by
 * sync), filtered by colour and record state. Scans at most `scanLimit` records per call; a
 * page may then hold fewer than `limit` records with `next` set. Throws MirrorChangedError
 * when the cursor belongs to a replaced generation.
 */
export async function browseMirror(
  db: HechataiDb,
  opts: { filter?: BrowseFilter; after?: BrowseCursor | null; limit?: number; scanLimit?: number } = {},
): Promise<BrowsePage> {
  const limit = opts.limit ?? 50;
  const scanLimit = opts.scanLimit ?? 20_000;
  const f = opts.filter ?? {};
  if (f.states && !f.today) throw new RangeError('browseMirror: filtering by state needs `today`');
  const keep = (r: ListRecord): boolean => matchesBrowseFilter(r, f);

  const idb = await rawDb(db);
  const s = openRead(idb);
  const state = await readState(s.meta);
  if (opts.after && opts.after.gen !== state.gen) throw new MirrorChangedError();
  const view = await viewFor(db, s.index, s.pages, state);
  const delta = await deltaFor(db, s.delta, state);
  const after = opts.after?.ord ?? -1;
  const out: ListRecord[] = [];
  let scanned = 0;
  let last = after;
  const full = (): boolean => out.length >= limit || scanned >= scanLimit;

  // 1. The base generation, page by page from the cursor.
  if (after < NEW_ORDER_BASE && state.gen > 0) {
    let page = after < 0 ? 0 : Math.floor(after / PAGE_SLOTS);
    while (!full()) {
      const rows = (await req(s.pages.getAll(IDBKeyRange.bound([state.gen, page], [state.gen, Infinity]), 4))) as MirrorPageRow[];
      if (rows.length === 0) break;
      const replaced = delta.byBase;
      for (const row of rows) {
        const count = row.ends?.length ?? 0;
        for (let slot = 0; slot < count && !full(); slot++) {
          const ord = row.page * PAGE_SLOTS + slot;
          if (ord <= after) continue;
          const d = replaced.get(ord);
          const r = d ? d.record : decodeRecord(recordText(row, slot) as string, view.dict);
          scanned++;
          last = ord;
          if (r && keep(r)) out.push(r);
        }
        page = row.page + 1;
        if (full()) return { records: out, next: { gen: state.gen, ord: last } };
      }
    }
  }

  // 2. Records that only the delta holds, in arrival order.
  const fresh = delta.freshAfter(Math.max(after, NEW_ORDER_BASE - 1));
  for (let i = 0; i < fresh.length; i++) {
    if (full()) return { records: out, next: { gen: state.gen, ord: last } };
    const d = fresh[i] as DeltaEntry;
    last = d.ord;
    scanned++;
    if (d.record && keep(d.record)) out.push(d.record);
  }
  return { records: out, next: full() && fresh.length > 0 ? { gen: state.gen, ord: last } : null };
}

/** The whole mirror in browse order, in batches (for compaction and export). */
export async function* iterateMirror(db: HechataiDb, batch = 4_096): AsyncGenerator<ListRecord[], void, undefined> {
  let after: BrowseCursor | null = null;
  for (;;) {
    const page: BrowsePage = await browseMirror(db, { after, limit: batch, scanLimit: batch });
    if (page.records.length > 0) yield page.records;
    if (!page.next) return;
    after = page.next;
  }
}

// ---------------------------------------------------------------- write lock

const localLocks = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` holding the mirror's write lock: a Web Lock where the platform has them (shared by
 * windows and workers of the origin), else an in-process queue. With `ifAvailable`, returns
 * undefined at once when someone else holds it.
 */
async function withWriteLock<T>(db: HechataiDb, fn: () => Promise<T>, ifAvailable = false): Promise<T | undefined> {
  const name = `hechatai:mirror-write:${db.name}`;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks) return locks.request(name, { ifAvailable }, async (lock) => (lock ? fn() : undefined));
  const prev = localLocks.get(name);
  if (prev && ifAvailable) return undefined;
  const run = (prev ?? Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => undefined);
  localLocks.set(name, tail);
  void tail.then(() => {
    if (localLocks.get(name) === tail) localLocks.delete(name);
  });
  return run;
}

// ---------------------------------------------------------------- bulk load

export interface LoadOptions {
  /** Called after every source batch: records stored so far, and the expected total if known. */
  onProgress?: (done: number, total?: number) => void;
  signal?: AbortSignal;
  /** Expected number of records, passed through to onProgress. */
  total?: number;
  /** meta entries written in the same transaction as the switch (e.g. mirror.asOf, a sync cursor). */
  meta?: Readonly<Record<string, unknown>>;
  /** Replaces the measure and matter catalogue in the same transaction as the switch. */
  catalogue?: { measures: readonly Measure[]; matters: readonly Matter[] };
  /**
   * Called once the source is exhausted, before the switch: more `meta` entries and the
   * catalogue, for a caller that learns them only while the source runs (a first load that
   * builds while it downloads: the final cursor).
   */
  atSwitch?: () => Promise<{ meta?: Readonly<Record<string, unknown>>; catalogue?: { measures: readonly Measure[]; matters: readonly Matter[] } }>;
  tuning?: Partial<Tuning>;
}

export interface LoadStats {
  gen: number;
  records: number;
  pages: number;
  runs: number;
  indexPages: number;
  /** Milliseconds: storing records and runs, merging identifier keys, switching, cleaning up. */
  ms: { records: number; merge: number; switch: number; cleanup: number };
  /** Where the time went: waiting for IndexedDB, inside put() (serialisation), building runs, reading the source. */
  profile: { waitMs: number; putMs: number; runBuildMs: number; sourceMs: number };
}

/** The record batches a load takes: arrays of records, from a sync or an async source. */
export type RecordBatches = AsyncIterable<readonly ListRecord[]> | Iterable<readonly ListRecord[]>;

/**
 * Replaces the mirror with the records of `source` (ids unique), as a new generation: the
 * current mirror stays readable, and is what readers see, until the final switch. Rejects with
 * the signal's reason when aborted, after removing the partial generation.
 */
export async function loadMirror(db: HechataiDb, source: RecordBatches, opts: LoadOptions = {}): Promise<LoadStats> {
  return (await withWriteLock(db, () => loadUnlocked(db, source, opts))) as LoadStats;
}

async function nextGeneration(idb: IDBDatabase): Promise<number> {
  const t = tx(idb, [META, PAGES, INDEX], 'readwrite', 'strict');
  const meta = t.objectStore(META);
  const [stateRow, buildingRow, lastPage, lastIndex] = await Promise.all([
    req(meta.get(MIRROR_STATE_KEY) as IDBRequest<MetaRow | undefined>),
    req(meta.get(BUILDING_KEY) as IDBRequest<MetaRow | undefined>),
    req(t.objectStore(PAGES).openKeyCursor(null, 'prev')),
    req(t.objectStore(INDEX).openKeyCursor(null, 'prev')),
  ]);
  const building = Building.safeParse(buildingRow?.value);
  const gen =
    Math.max(
      stateOf(stateRow).gen,
      building.success ? building.data.gen : 0,
      lastPage ? ((lastPage.key as number[])[0] as number) : 0,
      lastIndex ? ((lastIndex.key as number[])[0] as number) : 0,
    ) + 1;
  meta.put({ key: BUILDING_KEY, value: { gen, startedAt: Date.now() } } satisfies MetaRow);
  await txDone(t);
  return gen;
}

/** Writes transactions without waiting for each: at most `limit` in flight. */
class WritePipe {
  private inflight: Promise<void>[] = [];
  waitMs = 0;
  putMs = 0;
  constructor(
    private readonly idb: IDBDatabase,
    private readonly limit: number,
  ) {}
  /** Puts `rows` under their keys (the mirror's stores key out of line: a key path costs Chromium a copy of each value). */
  async put<R>(store: string, rows: readonly R[], keyOf: (row: R) => IDBValidKey): Promise<void> {
    if (rows.length === 0) return;
    const t0 = performance.now();
    const t = tx(this.idb, [store], 'readwrite', 'relaxed');
    const st = t.objectStore(store);
    // IndexedDB serialises each value here, on this thread.
    for (const row of rows) st.put(row, keyOf(row));
    this.inflight.push(quiet(txDone(t)));
    const t1 = performance.now();
    this.putMs += t1 - t0;
    if (this.inflight.length > this.limit) {
      while (this.inflight.length > this.limit) await this.inflight.shift();
      this.waitMs += performance.now() - t1;
    }
  }
  async drain(): Promise<void> {
    const all = this.inflight;
    this.inflight = [];
    const t0 = performance.now();
    await Promise.all(all);
    this.waitMs += performance.now() - t0;
  }
}

/**
 * Streams records into runs; at the end of each run writes its pages and its sorted keys
 * (run-builder.ts: typed arrays, no object per key, records clustered by legal representative).
 */
class Loader {
  readonly tuning: Tuning;
  readonly dict = new Dictionary();
  private dictWritten = 0;
  private dictChunks = 0;
  private page = 0;
  private run = 0;
  private readonly keys = new RunBuilder();
  /** The identifier postings of every run, for the identifier run at the end. */
  readonly ids = new IdCollector();
  records = 0;
  indexPages = 0;
  runBuildMs = 0;
  readonly runs: number[] = [];

  constructor(
    private readonly gen: number,
    private readonly pipe: WritePipe,
    tuning: Tuning,
  ) {
    this.tuning = tuning;
    if (tuning.pageRecords > PAGE_SLOTS || tuning.pageRecords < 1) throw new RangeError(`pageRecords 1…${PAGE_SLOTS}`);
  }

  async add(batch: readonly ListRecord[]): Promise<void> {
    for (const r of batch) {
      this.keys.add({
        encoded: encodeRecord(r, this.dict),
        id: r.id,
        subjectName: r.subjectName,
        subjectIds: subjectIdentifiers(r),
        legalRepId: r.legalRepId,
      });
      this.records++;
      if (this.keys.size >= this.tuning.runRecords) await this.flushRun();
    }
  }

  /** Ends the current run: writes its pages and its index run. */
  async flushRun(): Promise<void> {
    if (this.keys.size === 0) return;
    const t0 = performance.now();
    const io0 = this.pipe.waitMs + this.pipe.putMs;
    const run = ++this.run;
    this.runs.push(run);
    let pages: MirrorPageRow[] = [];
    let pageRecords = 0;
    let rows: MirrorIndexRow[] = [];
    // New dictionary entries go with the first pages that use them.
    if (this.dict.list.length > this.dictWritten) {
      pages.push({ gen: this.gen, page: -(++this.dictChunks), dictFrom: this.dictWritten, dict: this.dict.list.slice(this.dictWritten) });
      this.dictWritten = this.dict.list.length;
    }
    const writer = new RunWriter(this.gen, run, (row) => rows.push(row), this.tuning.indexPageBytes);
    const flush = async (): Promise<void> => {
      if (pages.length > 0) {
        const out = pages;
        pages = [];
        pageRecords = 0;
        await this.pipe.put(PAGES, out, pageKey);
      }
      if (rows.length > 0) {
        const out = rows;
        rows = [];
        await this.pipe.put(INDEX, out, indexKey);
      }
    };
    const it = this.keys.emit(
      this.gen,
      this.page,
      this.tuning.pageRecords,
      PAGE_SLOTS,
      (row) => {
        pages.push(row);
        pageRecords += row.ends?.length ?? 0;
      },
      this.ids,
      writer,
      () => pageRecords >= this.tuning.flushRecords || rows.length >= 64,
    );
    for (let step = it.next(); ; step = it.next()) {
      await flush();
      if (step.done) {
        this.page += step.value;
        break;
      }
    }
    this.indexPages += writer.pages;
    this.keys.clear();
    this.runBuildMs += performance.now() - t0 - (this.pipe.waitMs + this.pipe.putMs - io0);
  }

  get pages(): number {
    return this.page;
  }
}

/** Writes the generation's identifier run `out` from the postings the loader collected. */
async function writeIdRun(pipe: WritePipe, gen: number, out: number, tuning: Tuning, ids: IdCollector, signal?: AbortSignal): Promise<number> {
  let rows: MirrorIndexRow[] = [];
  const writer = new RunWriter(gen, out, (row) => rows.push(row), tuning.idPageBytes);
  const flush = async (): Promise<void> => {
    const batch = rows;
    rows = [];
    await pipe.put(INDEX, batch, indexKey);
  };
  for (const _ of ids.write(writer)) {
    signal?.throwIfAborted();
    if (rows.length >= 64) await flush();
  }
  writer.finish();
  await flush();
  ids.clear();
  return writer.pages;
}

async function deleteGeneration(idb: IDBDatabase, gen: number): Promise<void> {
  const t = tx(idb, [PAGES, INDEX, META], 'readwrite', 'relaxed');
  t.objectStore(PAGES).delete(IDBKeyRange.bound([gen], [gen, []]));
  t.objectStore(INDEX).delete(IDBKeyRange.bound([gen], [gen, []]));
  t.objectStore(META).delete(BUILDING_KEY);
  await txDone(t);
}

async function loadUnlocked(db: HechataiDb, source: RecordBatches, opts: LoadOptions): Promise<LoadStats> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const idb = await rawDb(db);
  const previous = await readState(tx(idb, [META], 'readonly').objectStore(META));
  const gen = await nextGeneration(idb);
  const tuning = { ...DEFAULT_TUNING, ...opts.tuning };
  const pipe = new WritePipe(idb, tuning.inFlight);
  const t0 = performance.now();
  let sourceMs = 0;
  try {
    const loader = new Loader(gen, pipe, tuning);
    let ts = performance.now();
    for await (const batch of source) {
      sourceMs += performance.now() - ts;
      if (signal?.aborted) throw abortError(signal);
      await loader.add(batch);
      opts.onProgress?.(loader.records, opts.total);
      ts = performance.now();
    }
    if (signal?.aborted) throw abortError(signal);
    await loader.flushRun();
    await pipe.drain();
    const t1 = performance.now();
    const runs = loader.runs.length;
    let run = 0;
    let indexPages = loader.indexPages;
    if (runs > 0) {
      run = runs + 1;
      indexPages += await writeIdRun(pipe, gen, run, tuning, loader.ids, signal);
      await pipe.drain();
    }
    if (signal?.aborted) throw abortError(signal);
    const late = (await opts.atSwitch?.()) ?? {};
    const metaEntries = { ...opts.meta, ...late.meta };
    const catalogue = late.catalogue ?? opts.catalogue;
    const t2 = performance.now();

    // The switch: one small transaction makes the new generation current.
    const state: MirrorState = {
      gen,
      run,
      runs,
      records: loader.records,
      pages: loader.pages,
      codec: RECORD_CODEC,
      builtAt: Date.now(),
      deltaCount: 0,
      deltaPages: 0,
      deltaSeq: 0,
    };
    const stores = catalogue ? [META, DELTA, 'measures', 'matters'] : [META, DELTA];
    const t = tx(idb, stores, 'readwrite', 'strict');
    const meta = t.objectStore(META);
    meta.put({ key: MIRROR_STATE_KEY, value: state } satisfies MetaRow);
    meta.delete(BUILDING_KEY);
    for (const [key, value] of Object.entries(metaEntries)) meta.put({ key, value } satisfies MetaRow);
    // A full load is a complete snapshot: deltas before it are in it.
    t.objectStore(DELTA).clear();
    if (catalogue) {
      const measures = t.objectStore('measures');
      const matters = t.objectStore('matters');
      measures.clear();
      matters.clear();
      for (const m of catalogue.measures) measures.put(m);
      for (const m of catalogue.matters) matters.put(m);
    }
    await txDone(t);
    announceChange(idb);
    const t3 = performance.now();
    await deleteInSteps(idb, previous);
    await cleanupUnlocked(idb, state);
    const t4 = performance.now();
    return {
      gen,
      records: loader.records,
      pages: loader.pages,
      runs,
      indexPages,
      ms: { records: t1 - t0, merge: t2 - t1, switch: t3 - t2, cleanup: t4 - t3 },
      profile: { waitMs: pipe.waitMs, putMs: pipe.putMs, runBuildMs: loader.runBuildMs, sourceMs },
    };
  } catch (e) {
    await pipe.drain().catch(() => undefined);
    await deleteGeneration(idb, gen).catch(() => undefined);
    throw e;
  }
}

// ---------------------------------------------------------------- clean-up

/** Pages of a replaced generation deleted per transaction (about 5 MB). */
const DELETE_STEP_PAGES = 256;

/**
 * Deletes the generation `old` described (replaced by a load) in small transactions: one
 * transaction over all its rows holds every look-up for as long as it takes (~1 s at 1M records).
 */
async function deleteInSteps(idb: IDBDatabase, old: MirrorState): Promise<void> {
  if (old.gen === 0) return;
  const step = async (store: string, range: IDBKeyRange): Promise<void> => {
    const t = tx(idb, [store], 'readwrite', 'relaxed');
    t.objectStore(store).delete(range);
    await txDone(t);
  };
  const { gen } = old;
  for (let from = 0; from < old.pages; from += DELETE_STEP_PAGES) {
    await step(PAGES, IDBKeyRange.bound([gen, from === 0 ? -Infinity : from], [gen, from + DELETE_STEP_PAGES], false, true));
  }
  for (let run = 0; run <= Math.max(old.run, old.runs); run++) await step(INDEX, IDBKeyRange.bound([gen, run], [gen, run, []]));
}

/** Deletes every generation but the current one, and what its merge made redundant. */
async function cleanupUnlocked(idb: IDBDatabase, state: MirrorState): Promise<void> {
  const t = tx(idb, [PAGES, INDEX, META], 'readwrite', 'relaxed');
  const pages = t.objectStore(PAGES);
  const index = t.objectStore(INDEX);
  if (state.gen > 0) {
    const { gen, run, runs } = state;
    pages.delete(IDBKeyRange.upperBound([gen], true));
    pages.delete(IDBKeyRange.lowerBound([gen + 1]));
    index.delete(IDBKeyRange.upperBound([gen], true));
    index.delete(IDBKeyRange.lowerBound([gen, Math.max(run, runs) + 1]));
    // Run 0 held the identifier spills of loads before 2026-12-04 (left by one interrupted then).
    index.delete(IDBKeyRange.bound([gen, 0], [gen, 0, []]));
  } else {
    pages.clear();
    index.clear();
  }
  t.objectStore(META).delete(BUILDING_KEY);
  await txDone(t);
}

/**
 * Removes what an abandoned load or an old generation left behind. Skipped (returns false)
 * while another window or worker holds the write lock, i.e. is loading right now.
 */
export async function cleanupMirror(db: HechataiDb): Promise<boolean> {
  const done = await withWriteLock(
    db,
    async () => {
      const idb = await rawDb(db);
      const state = await readState(tx(idb, [META], 'readonly').objectStore(META));
      await cleanupUnlocked(idb, state);
      return true;
    },
    true,
  );
  return done ?? false;
}

/**
 * Run after opening: clean-up (when no load is running), a warm view of the generation, and,
 * where automatic compaction is on (workers), the compaction a closed app left unfinished.
 */
export async function maintainMirror(db: HechataiDb): Promise<void> {
  // Let Dexie finish its own opening first.
  await new Promise((r) => setTimeout(r, 0));
  if (!db.isOpen()) return;
  await cleanupMirror(db);
  if (!db.isOpen()) return;
  const s = openRead(db.backendDB());
  const state = await readState(s.meta);
  await viewFor(db, s.index, s.pages, state);
  if (autoCompaction && compactionDue(state, autoCompaction)) scheduleCompaction(db, autoCompaction);
}

// ---------------------------------------------------------------- sync deltas

/**
 * One change, applied in the order given (the platform's sequence order; the sync engine drops
 * pages and changes at or below the last applied seq before they get here). An upsert replaces
 * a live record only with a higher version, and always replaces a tombstone.
 */
export type MirrorChange =
  | { op: 'upsert'; record: ListRecord }
  /** Without a version, deletes whatever version is current (a later, higher one may return). */
  | { op: 'delete'; id: string; version?: number };

export interface ApplyResult {
  applied: number;
  /** Upserts not newer than the live record the mirror holds, and deletes of unknown or deleted ids. */
  ignored: number;
}

interface Current {
  version: number;
  deleted: boolean;
  base: number;
  ord: number;
  /** A delta row exists for the id. */
  inDelta: boolean;
}

/** A change of the measure or matter catalogue that travels with a sync page. */
export type CatalogueChange =
  | { store: 'measures'; op: 'put'; value: Measure }
  | { store: 'matters'; op: 'put'; value: Matter }
  | { store: 'measures' | 'matters'; op: 'delete'; id: string };

/** Entries per delta-log row: a sync page (at most 5,000 changes) is one row, a bigger batch several. */
export const LOG_ROW_ENTRIES = 5_000;
/** Ids whose base record is looked up per round (record-id index pages, then record pages). */
export const APPLY_READ_CHUNK = 10_000;

export interface ApplyOptions {
  /** meta entries written in the same transaction (e.g. the sync cursor, import.last.list). */
  meta?: Readonly<Record<string, unknown>>;
  /** More meta entries for the same transaction, made from the outcome (e.g. an import's audit event with its counts). */
  metaOf?: (result: ApplyResult) => Readonly<Record<string, unknown>>;
  /** Measure and matter changes written in the same transaction. */
  catalogue?: readonly CatalogueChange[];
  /** Checked between read rounds: aborting rolls the transaction back (nothing written) and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** After each read round: ids checked so far, of `total` distinct ids. */
  onProgress?: (done: number, total: number) => void;
  /**
   * The changes come in the platform's order, after everything the base generation holds (a
   * sync page: its seq is above the cursor the base was built to). A change for a base record
   * is then newer than it, so the base's record pages are not read for their versions (about
   * half the cost of a page of 5,000 changes into 1,000,000) and the platform's order decides,
   * as it does for its digest. Versions are still compared with what the delta holds. Imports
   * leave it unset: a version not above the mirror's is ignored there.
   */
  ordered?: boolean;
}

/**
 * Applies changes (one sync page, or a whole list import), in order, written in ONE strict
 * transaction together with `meta` (e.g. the sync cursor) and the `catalogue` changes: a crash
 * can neither keep the changes without the cursor nor the reverse. Any error, or `signal`
 * aborting (checked between read rounds and before the write), writes nothing. Cost: the ids'
 * current versions (index and record pages of the base, read in rounds of APPLY_READ_CHUNK ids
 * in key order, so each index page is read about once, in a read-only transaction under the
 * write lock) and the entries as log rows: it grows with the changes, not with the mirror.
 */
export async function applyChanges(db: HechataiDb, changes: readonly MirrorChange[], opts: ApplyOptions = {}): Promise<ApplyResult> {
  opts.signal?.throwIfAborted();
  const result = (await withWriteLock(db, async () => {
    opts.signal?.throwIfAborted();
    return applyIn(await rawDb(db), db, changes, opts);
  })) as ApplyResult;
  if (autoCompaction && compactionDue(await mirrorState(db), autoCompaction)) scheduleCompaction(db, autoCompaction);
  return result;
}

/**
 * Reads what the mirror holds for the changed ids in ONE read-only transaction (look-ups run
 * alongside it; no writer can change the mirror meanwhile, as the caller holds the write
 * lock), then writes the log rows, the state, `meta` and the catalogue in ONE strict
 * transaction: look-ups wait only for that one, not for the reads of a big import.
 */
async function applyIn(idb: IDBDatabase, db: HechataiDb, changes: readonly MirrorChange[], opts: ApplyOptions): Promise<ApplyResult> {
  const { signal, onProgress } = opts;
  const catalogue = opts.catalogue ?? [];
  const r = openRead(idb);
  const state = await readState(r.meta);
  const view = await viewFor(db, r.index, r.pages, state);
  const log = await deltaFor(db, r.delta, state);
  const ids = [...new Set(changes.map((c) => (c.op === 'upsert' ? c.record.id : c.id)))];

  // What the mirror holds for each id now: its delta entry, else its base record.
  const current = new Map<string, Current>();
  const inBase: string[] = [];
  for (const id of ids) {
    const e = log.byId.get(id);
    if (e) current.set(id, { version: e.version, deleted: e.deleted === 1, base: e.base, ord: e.ord, inDelta: true });
    else inBase.push(id);
  }
  if (inBase.length > 0 && view.gen > 0) {
    // In key order, so that a round's keys share index pages and the next round starts where it ended.
    const keyed = inBase.map((id) => ({ id, key: recordKey(id) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let from = 0; from < keyed.length; from += APPLY_READ_CHUNK) {
      const chunk = keyed.slice(from, from + APPLY_READ_CHUNK);
      const byKey = await readRunPostingsMany(r.index, view, chunk.map((k) => k.key));
      const found = chunk.map((k) => ({ id: k.id, pos: (byKey.get(k.key) as number[])[0] }));
      // Ordered: every version is positive, so 0 stands for "older than any change".
      const records = opts.ordered
        ? undefined
        : await readRecords(r.pages, view, found.map((f) => f.pos).filter((p): p is number => p !== undefined));
      for (const { id, pos } of found) {
        if (pos === undefined) continue;
        const version = records ? (records.get(pos) as ListRecord).version : 0;
        current.set(id, { version, deleted: false, base: pos, ord: pos, inDelta: false });
      }
      // Between rounds only: the read transaction stays open while requests follow each other.
      if (signal?.aborted) throw abortError(signal);
      onProgress?.(ids.length - inBase.length + Math.min(from + APPLY_READ_CHUNK, keyed.length), ids.length);
    }
  } else onProgress?.(ids.length, ids.length);
  if (signal?.aborted) throw abortError(signal);

  let applied = 0;
  let ignored = 0;
  let { deltaCount, deltaSeq, deltaPages } = state;
  const entries: DeltaEntry[] = [];
  const write = (id: string, version: number, record: ListRecord | null): void => {
    const cur = current.get(id);
    const base = cur?.base ?? -1;
    const ord = cur?.ord ?? NEW_ORDER_BASE + deltaSeq++;
    entries.push({ id, version, deleted: record ? 0 : 1, record, base, ord });
    if (!cur?.inDelta) deltaCount++;
    current.set(id, { version, deleted: !record, base, ord, inDelta: true });
    applied++;
  };
  for (const c of changes) {
    if (c.op === 'upsert') {
      const cur = current.get(c.record.id);
      // Changes come in the platform's sequence order: an upsert after a delete re-adds the
      // record whatever its version (a re-listed record may start again at 1).
      if (cur && !cur.deleted && c.record.version <= cur.version) ignored++;
      else write(c.record.id, c.record.version, c.record);
    } else {
      const cur = current.get(c.id);
      if (c.version !== undefined) {
        if (cur && c.version <= cur.version) ignored++;
        else write(c.id, c.version, null);
      } else if (!cur || cur.deleted) ignored++;
      else write(c.id, cur.version, null);
    }
  }
  // A sync page's entries as ONE log row (a row per record with its index entries cost ten
  // times more); a bigger batch as rows of LOG_ROW_ENTRIES, replayed in order like pages.
  // Serialised before the write transaction, which then only stores them.
  const rows: MirrorDeltaLogRow[] = [];
  for (let from = 0; from < entries.length; from += LOG_ROW_ENTRIES) {
    rows.push({ n: deltaPages++, text: JSON.stringify(entries.slice(from, from + LOG_ROW_ENTRIES)) });
  }
  const next: MirrorState = { ...state, deltaCount, deltaSeq, deltaPages };
  if (signal?.aborted) throw abortError(signal);

  const t = tx(idb, catalogue.length > 0 ? [META, DELTA, 'measures', 'matters'] : [META, DELTA], 'readwrite', 'strict');
  try {
    const meta = t.objectStore(META);
    // Under the write lock nobody can have changed it; checked all the same, in this transaction.
    if (deltaKey(await readState(meta)) !== deltaKey(state)) throw new MirrorChangedError();
    for (const c of catalogue) {
      const store = t.objectStore(c.store);
      if (c.op === 'delete') store.delete(c.id);
      else store.put(c.value);
    }
    const delta = t.objectStore(DELTA);
    for (const row of rows) delta.put(row);
    meta.put({ key: MIRROR_STATE_KEY, value: next satisfies MirrorState } satisfies MetaRow);
    for (const [key, value] of Object.entries({ ...opts.meta, ...opts.metaOf?.({ applied, ignored }) })) meta.put({ key, value } satisfies MetaRow);
    await txDone(t);
    announceChange(idb);
  } catch (e) {
    // Requests already made would otherwise commit with the transaction.
    try {
      t.abort();
    } catch {
      // Already finished or aborted.
    }
    throw e;
  }
  if (entries.length > 0) {
    // This context's copy of the delta follows the page it just committed (no re-read).
    const mine = log === EMPTY_DELTA ? new DeltaIndex(deltaBase(next), 0) : log;
    mine.add(entries);
    mine.pages = next.deltaPages;
    deltas.set(db, mine);
  }
  return { applied, ignored };
}

/**
 * Folds the delta into a new generation (same records, one layout again). Holds the write
 * lock throughout, so no sync page can slip in between the copy and the switch. Tombstones are
 * dropped with the records they deleted.
 */
export async function compactMirror(db: HechataiDb, opts: Omit<LoadOptions, 'total' | 'catalogue'> = {}): Promise<LoadStats> {
  return (await withWriteLock(db, async () => {
    const state = await mirrorState(db);
    return loadUnlocked(db, iterateMirror(db), { ...opts, total: state.records + state.deltaCount });
  })) as LoadStats;
}

// ---------------------------------------------------------------- compaction

/** When the delta is folded into a new generation: at `minDelta` rows, or `share` of the base if more. */
export interface CompactionPolicy {
  minDelta: number;
  share: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = { minDelta: 10_000, share: 0.05 };

/**
 * Whether a mirror in `state` should be compacted. Every reader keeps the delta's index in
 * memory and replays the log when it grows; past this size a new generation is cheaper to read
 * (memory, and the replay when a reader first meets the log) than the delta.
 */
export function compactionDue(state: Pick<MirrorState, 'records' | 'deltaCount'>, policy: CompactionPolicy = DEFAULT_COMPACTION): boolean {
  return state.deltaCount > 0 && state.deltaCount >= Math.max(policy.minDelta, Math.ceil(state.records * policy.share));
}

/** In a worker (where sync pages are applied) compaction follows applyChanges by itself; on the page it would take the counter's thread. */
const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
let autoCompaction: CompactionPolicy | null = inWorker ? DEFAULT_COMPACTION : null;
const compactions = new WeakMap<HechataiDb, Promise<LoadStats | null>>();

/** Turns automatic compaction after applyChanges on (a policy) or off (null). On by default in workers, off on the page. */
export function setAutoCompaction(policy: CompactionPolicy | null): void {
  autoCompaction = policy;
}

/** The automatic compaction running for `db`, if any (tests wait for it). */
export function pendingCompaction(db: HechataiDb): Promise<LoadStats | null> {
  return compactions.get(db) ?? Promise.resolve(null);
}

/** Whether an automatic compaction is scheduled or running for `db`. */
export function compactionPending(db: HechataiDb): boolean {
  return compactions.has(db);
}

/**
 * Compacts when due, unless someone holds the write lock (a load, or a sync page: the next page
 * asks again). Readers never wait: they read the current generation until the switch. A crash
 * meanwhile leaves the current generation and an abandoned one that cleanupMirror removes.
 */
export async function compactIfDue(
  db: HechataiDb,
  policy: CompactionPolicy = DEFAULT_COMPACTION,
  opts: Omit<LoadOptions, 'total' | 'catalogue'> = {},
): Promise<LoadStats | null> {
  const done = await withWriteLock(
    db,
    async () => {
      const state = await mirrorState(db);
      if (!compactionDue(state, policy)) return null;
      // A new generation is written beside the current one: without room it would fail near
      // the end, and be tried again after every sync page. The delta keeps serving meanwhile.
      const short = await quotaProblem(state.records + state.deltaCount).catch(() => null);
      if (short !== null) {
        console.warn('名单镜像整理推迟：', short);
        return null;
      }
      return loadUnlocked(db, iterateMirror(db), { ...opts, total: state.records + state.deltaCount });
    },
    true,
  );
  return done ?? null;
}

/**
 * Tuning of the automatic compaction: it runs while the counter looks up, and a look-up waits
 * for every write transaction queued before it, so fewer and smaller ones than a load's.
 */
export const BACKGROUND_TUNING: Partial<Tuning> = { inFlight: 1, flushRecords: 1_024 };

function scheduleCompaction(db: HechataiDb, policy: CompactionPolicy): void {
  if (compactions.has(db)) return;
  const run: Promise<LoadStats | null> = new Promise<void>((r) => setTimeout(r, 0))
    .then(() => (db.isOpen() ? compactIfDue(db, policy, { tuning: BACKGROUND_TUNING }) : null))
    .catch((e: unknown) => {
      // The previous generation stays current; a later page tries again.
      console.warn('名单镜像整理未完成：', e instanceof Error ? e.message : e);
      return null;
    })
    .finally(() => {
      if (compactions.get(db) === run) compactions.delete(db);
    });
  compactions.set(db, run);
}

// ---------------------------------------------------------------- state

export async function mirrorState(db: HechataiDb): Promise<MirrorState> {
  const idb = await rawDb(db);
  return readState(tx(idb, [META], 'readonly').objectStore(META));
}
