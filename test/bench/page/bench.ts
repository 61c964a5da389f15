/**
 * The mirror benchmark, run inside headless Chromium by scripts/bench.mjs (`npm run bench`).
 * Everything happens in this page: the synthetic generator streams records straight into the
 * store, so no record list ever exists in Node or in full in this page.
 *
 * Query parameters: records (1,000,000), baseline (100,000; 0 = skip), lookups (2,000),
 * searches (300), seed (20261121), genonly (1 = also time the generator alone; default 1),
 * import (100,000 list rows read, validated and applied from an xlsx made here; 0 = skip),
 * importbase (records already in the mirror the import goes into; default 1,000,000),
 * export (100,000 check records and 100,000 list rows written to xlsx; 0 = skip).
 * The result is one JSON object in window.__bench.result; progress lines in window.__bench.log.
 */
import { Dexie } from 'dexie';
import type { ListRecord, SubjectType } from '../../../shared/domain/schemas';
import { generateRecords, recordAt, subjectAt, type SampleOptions } from '../../../shared/sample/generator';
import { CITY } from '../../../shared/sample/vocabulary';
import { openDatabase, type HechataiDb } from '../../../renderer/db/database';
import { counterRecords } from '../../../renderer/db/mirror';
import { loadMirror, lookupIdentifier, lookupInHere, mirrorState, searchByName, warmDelta, type LoadStats, type Tuning } from '../../../renderer/db/mirror-store';
import { attachLookupService } from '../../../renderer/db/lookup-service';
import { subjectIdentifiers } from '../../../renderer/db/record-codec';
import { MirrorWorkerClient } from '../../../renderer/db/mirror-worker-client';
import { Prng } from '../../../shared/sample/prng';
import type { CheckRecord, Headline } from '../../../shared/domain/schemas';
import { maskIdNumber, shieldIdentifier } from '../../../shared/domain/identifiers';
import { recordState } from '../../../shared/domain/verdict';
import { rowOf } from '../../../shared/import/columns';
import { formatMoment } from '../../../renderer/app/format';
import { iterateMirror } from '../../../renderer/db/mirror-store';
import { workbookBytes, type Cell } from '../../../renderer/export/xlsx';
import { applyImport } from '../../../renderer/import/apply';
import { SECURITY_KEY, setUpAdministrator } from '../../../renderer/db/accounts';
import { writeMeta } from '../../../renderer/db/meta';
import type { Session } from '../../../renderer/db/session';
import { workerListWriter } from '../../../renderer/import/apply-worker';
import { runImport, type ImportProgress } from '../../../renderer/import/run-import';
import { bookBytes, dataBook } from '../../../renderer/import/template-workbook';

interface BenchState {
  status: 'running' | 'done' | 'error';
  log: string[];
  result: unknown;
  error: string;
  /** Set by scripts/bench.mjs once its Chromium trace runs (with --trace). */
  traceStarted: boolean;
}
const bench: BenchState = { status: 'running', log: [], result: undefined, error: '', traceStarted: false };
(window as unknown as { __bench: BenchState }).__bench = bench;
const t00 = performance.now();
const log = (s: string): void => {
  bench.log.push(`${((performance.now() - t00) / 1000).toFixed(1).padStart(6)} s  ${s}`);
};

const q = new URLSearchParams(location.search);
const num = (k: string, d: number): number => {
  const v = q.get(k);
  return v === null || v === '' ? d : Number(v);
};
const RECORDS = num('records', 1_000_000);
const BASELINE = num('baseline', 100_000);
const LOOKUPS = num('lookups', 2_000);
const SEARCHES = num('searches', 300);
const SEED = num('seed', 20261121);
const GEN_ONLY = num('genonly', 1) === 1;
/** Seconds of idle time between the load and the timed queries (the database settles). */
const SETTLE = num('settle', 0);
/** Wait before the timed look-ups until scripts/bench.mjs has started a Chromium trace. */
const TRACE = num('trace', 0) === 1;
/** Milliseconds the page idles before each timed look-up (0: back to back). */
const LOOKUP_GAP = num('gap', 0);
/** Also load this many records through the Web Worker (mirror-worker.ts); 0 = skip. */
const WORKER = num('worker', 0);
/** List rows imported from an xlsx workbook made in the page (read + validate + apply); 0 = skip. */
const IMPORT = num('import', 100_000);
/** Records in the mirror before that import (loaded untimed). */
const IMPORT_BASE = num('importbase', 1_000_000);
/** Check records and list rows exported to xlsx (each); 0 = skip. */
const EXPORT = num('export', 100_000);
/** Experiments only: overrides of the store's tuning, as JSON (e.g. {"pageRecords":64}). */
const TUNING = JSON.parse(q.get('tuning') ?? '{}') as Partial<Tuning>;
const TODAY = '2026-11-21';
const BATCH = 2_000;
const sampleOf = (records: number): SampleOptions & { subjects: number } => ({ seed: SEED, subjects: Math.max(10, Math.ceil(records / 2)), records, today: TODAY });

// ---------------------------------------------------------------- measuring

interface MemoryInfo {
  usedJSHeapSize: number;
}
const heapNow = (): number => (performance as unknown as { memory?: MemoryInfo }).memory?.usedJSHeapSize ?? 0;
let heapPeak = 0;
const sampleHeap = (): void => {
  heapPeak = Math.max(heapPeak, heapNow());
};
setInterval(sampleHeap, 250);
const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** Look-ups timed in lookup-worker.ts; rejects with the worker's error. */
async function lookupsInWorker(dbName: string, warm: string[], ids: string[]): Promise<number[]> {
  const w = new Worker(new URL('./lookup-worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<number[]>((resolve, reject) => {
      w.onmessage = (e: MessageEvent<{ ms?: number[]; error?: string }>) => (e.data.ms ? resolve(e.data.ms) : reject(new Error(e.data.error ?? 'lookup worker failed')));
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage({ dbName, warm, ids });
    });
  } finally {
    w.terminate();
  }
}

function percentiles(ms: number[]): { count: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? NaN;
  return { count: s.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(at(1)), mean: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

async function deleteDb(name: string): Promise<void> {
  await Dexie.delete(name);
}

/** Batches of generated records; counts the time spent inside the generator. */
function timedBatches(opts: SampleOptions, clock: { ms: number }): Iterable<ListRecord[]> {
  const it = generateRecords(opts);
  return {
    *[Symbol.iterator]() {
      for (;;) {
        const t = performance.now();
        const batch: ListRecord[] = [];
        for (let i = 0; i < BATCH; i++) {
          const n = it.next();
          if (n.done) break;
          batch.push(n.value);
        }
        clock.ms += performance.now() - t;
        if (batch.length === 0) return;
        yield batch;
      }
    },
  };
}

async function storageMb(): Promise<number | null> {
  const e = await navigator.storage?.estimate?.();
  return e?.usage === undefined ? null : mb(e.usage);
}

// ---------------------------------------------------------------- query sets

/** Identifiers of random records: half the subject's own identifier, half its legal representative's. */
interface LookupCase {
  id: string;
  relation: 'subject' | 'legalRep';
  recordId: string;
  /** How a clerk would enter the identifier: a legal representative is a person. */
  type: SubjectType;
}

function lookupSet(opts: SampleOptions, n: number, rng: Prng): LookupCase[] {
  const out: LookupCase[] = [];
  while (out.length < n) {
    const r = recordAt(opts, rng.int(0, opts.records - 1));
    if (out.length % 2 === 1 && r.legalRepId) out.push({ id: r.legalRepId, relation: 'legalRep', recordId: r.id, type: '自然人' });
    else out.push({ id: subjectIdentifiers(r)[0] as string, relation: 'subject', recordId: r.id, type: r.subjectType });
  }
  return out;
}

/**
 * Name queries: organisation names in the data, cut at their 字号 (the 2-character trade name
 * after the place prefix); a query is the 字号 itself (2 chars) or a 3–4 character substring
 * starting at the 字号 or its second character (running into the industry word), as a clerk
 * types "恒泰", "恒泰商", "泰商贸".
 */
function searchSet(opts: SampleOptions, n: number, rng: Prng): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const r = recordAt(opts, rng.int(0, opts.records - 1));
    if (r.subjectType === '自然人') continue;
    const name = r.subjectName;
    let t: number;
    if (r.subjectType === '个体工商户' && r.district && name.startsWith(CITY + r.district)) t = CITY.length + r.district.length;
    else if (name.startsWith('临沂市')) t = 3;
    else if (name.startsWith('临沂') || name.startsWith('山东')) t = 2;
    else continue;
    const len = rng.int(2, 4);
    const start = len === 2 ? t : t + rng.int(0, 1);
    out.push(name.slice(start, start + len));
  }
  return out;
}

// ---------------------------------------------------------------- the paged mirror

async function benchMirror(): Promise<Record<string, unknown>> {
  await deleteDb('bench-mirror');
  const db: HechataiDb = openDatabase('bench-mirror');
  await db.open();
  const opts = sampleOf(RECORDS);
  const storageBefore = await storageMb();

  log(`mirror: loading ${RECORDS.toLocaleString()} records`);
  const heapStart = heapNow();
  heapPeak = heapStart;
  const gen = { ms: 0 };
  let lastLogged = 0;
  const t0 = performance.now();
  const stats: LoadStats = await loadMirror(db, timedBatches(opts, gen), {
    total: RECORDS,
    tuning: TUNING,
    onProgress: (done, total) => {
      sampleHeap();
      if (done - lastLogged >= 100_000 || done === total) {
        lastLogged = done;
        log(`  ${done.toLocaleString()} / ${total?.toLocaleString()} records, heap ${mb(heapNow())} MB`);
      }
    },
  });
  const ingestMs = performance.now() - t0;
  const heapPeakIngest = heapPeak;
  const gc = (globalThis as unknown as { gc?: () => void }).gc;
  // Twice, with a task between: IndexedDB callbacks of the last transactions let go late.
  gc?.();
  await new Promise((r) => setTimeout(r, 100));
  gc?.();
  const heapRetained = gc ? heapNow() : null;
  const storageAfter = await storageMb();
  log(`mirror: loaded in ${(ingestMs / 1000).toFixed(1)} s (generator ${(gen.ms / 1000).toFixed(1)} s, merge ${(stats.ms.merge / 1000).toFixed(1)} s)`);
  const state = await mirrorState(db);

  // Look-ups: cold first, a short warm-up, then the timed set.
  const rng = new Prng(SEED ^ 0x5eed);
  const set = lookupSet(opts, LOOKUPS + 20, rng);
  // Right after the load, while IndexedDB still digests it.
  const early: number[] = [];
  for (const x of lookupSet(opts, 300, new Prng(SEED ^ 0xea))) {
    const t1 = performance.now();
    await lookupIdentifier(db, x.id);
    early.push(performance.now() - t1);
  }
  if (SETTLE > 0) {
    log(`settling ${SETTLE} s`);
    await new Promise((r) => setTimeout(r, SETTLE * 1000));
  }
  // From here the page's look-ups go to the look-up worker, as the app's do: its first look-up
  // reads the state and starts building the look-up file (lookup-file.ts) of the generation.
  const service = attachLookupService(db);
  if (!service) throw new Error('no look-up worker in this browser');
  let t = performance.now();
  await lookupIdentifier(db, set[0]?.id as string);
  const fileStats = await service.status(true);
  const fileBuildMs = performance.now() - t;
  if (!fileStats?.file) throw new Error(`no look-up file: ${fileStats?.buildError ?? 'not built'}`);
  log(`mirror: look-up file built in ${(fileBuildMs / 1000).toFixed(1)} s (${mb(fileStats.file.bytes)} MB)`);
  t = performance.now();
  await lookupIdentifier(db, set[0]?.id as string);
  const coldMs = performance.now() - t;
  for (const x of set.slice(1, 20)) await lookupIdentifier(db, x.id);
  const lat: number[] = [];
  const bySize: Record<string, number[]> = { '1-2': [], '3-9': [], '10-29': [], '30+': [] };
  let hitRecords = 0;
  if (TRACE) {
    log('mirror: waiting for the trace to start');
    while (!bench.traceStarted) await new Promise((r) => setTimeout(r, 50));
  }
  // When the slow look-ups happen (ms since the first timed one): a cadence points at a cause.
  const slowAt: [number, number, number, number, number][] = [];
  const tLat0 = performance.now();
  for (const x of set.slice(20)) {
    if (LOOKUP_GAP > 0) await new Promise((r) => setTimeout(r, LOOKUP_GAP));
    t = performance.now();
    const hits = await lookupIdentifier(db, x.id);
    const ms = performance.now() - t;
    lat.push(ms);
    if (ms > 5) {
      // Where it went: page → worker, in the worker, worker → page (clocks of one process).
      const [took, answered] = service.lastTiming ?? [Number.NaN, Number.NaN];
      const sent = performance.timeOrigin + t;
      slowAt.push([Math.round(t - tLat0), round(ms), round(took - sent), round(answered - took), round(sent + ms - answered)]);
    }
    const list = x.relation === 'subject' ? hits.subject : hits.legalRep;
    if (!list.some((r) => r.id === x.recordId)) throw new Error(`look-up of ${x.id} misses record ${x.recordId}`);
    const n = hits.subject.length + hits.legalRep.length;
    hitRecords += n;
    (bySize[n <= 2 ? '1-2' : n < 10 ? '3-9' : n < 30 ? '10-29' : '30+'] as number[]).push(ms);
  }
  const tLatEnd = performance.now();
  sampleHeap();
  const served = await service.status();
  log(`mirror: ${lat.length} look-ups p99 ${percentiles(lat).p99} ms (${served?.fromFile ?? 0} from the file)`);

  // The same look-ups through IndexedDB on the page (the path without the look-up worker).
  const idbLat: number[] = [];
  for (const x of set.slice(20)) {
    if (LOOKUP_GAP > 0) await new Promise((r) => setTimeout(r, LOOKUP_GAP));
    t = performance.now();
    await lookupInHere(db, [x.id]);
    idbLat.push(performance.now() - t);
  }
  log(`mirror: the same look-ups through IndexedDB on the page p99 ${percentiles(idbLat).p99} ms`);

  // The same look-ups inside a Web Worker: what the page thread adds to the tail.
  const workerLat = await lookupsInWorker('bench-mirror', set.slice(0, 20).map((x) => x.id), set.slice(20).map((x) => x.id));
  log(`mirror: the same look-ups in a worker p99 ${percentiles(workerLat).p99} ms`);

  // Counter-like: subjects drawn uniformly from the population (many are on no list at all).
  const popLat: number[] = [];
  let popHits = 0;
  const prng = new Prng(SEED ^ 0x909);
  for (let i = 0; i < LOOKUPS; i++) {
    const subject = subjectAt(opts, prng.int(0, opts.subjects - 1));
    const id = subject.identifiers[0]?.value as string;
    t = performance.now();
    const hits = await lookupIdentifier(db, id);
    popLat.push(performance.now() - t);
    if (hits.subject.length + hits.legalRep.length > 0) popHits++;
  }

  // Identifiers not on any list (most counter checks): valid-looking, absent.
  const missLat: number[] = [];
  for (let i = 0; i < Math.min(500, LOOKUPS); i++) {
    const id = `91371300MB${String(i).padStart(7, '0')}X`;
    t = performance.now();
    const hits = await lookupIdentifier(db, id);
    missLat.push(performance.now() - t);
    if (hits.subject.length + hits.legalRep.length > 0) throw new Error(`unexpected hit for ${id}`);
  }

  // The whole counter read: own records, then linked parties with their records.
  const flowLat: number[] = [];
  for (const x of set.slice(20, 20 + Math.min(500, LOOKUPS))) {
    t = performance.now();
    await counterRecords(db, x.type, x.id);
    flowLat.push(performance.now() - t);
  }

  // Name search.
  const queries = searchSet(opts, SEARCHES + 10, new Prng(SEED ^ 0xa11));
  for (const qq of queries.slice(0, 10)) await searchByName(db, qq);
  const searchLat: number[] = [];
  let results = 0;
  let cut = 0;
  for (const qq of queries.slice(10)) {
    t = performance.now();
    const res = await searchByName(db, qq, { limit: 50 });
    searchLat.push(performance.now() - t);
    if (res.records.length === 0) throw new Error(`no result for ${qq}`);
    results += res.records.length;
    if (res.more) cut++;
  }
  sampleHeap();
  log(`mirror: ${searchLat.length} name searches p95 ${percentiles(searchLat).p95} ms`);
  // All matches (no limit) for a few queries, to show the cost of a complete answer.
  const allLat: number[] = [];
  let allResults = 0;
  for (const qq of queries.slice(10, 60)) {
    t = performance.now();
    const res = await searchByName(db, qq, { limit: 1_000_000 });
    allLat.push(performance.now() - t);
    allResults += res.records.length;
  }
  const servedAll = await service.status();
  service.close();
  db.close();
  await deleteDb('bench-mirror');

  return {
    records: RECORDS,
    subjects: opts.subjects,
    layout: { pageRecords: Math.ceil(state.records / Math.max(1, state.pages)), pages: state.pages, runs: stats.runs, indexPages: stats.indexPages },
    ingest: {
      seconds: round(ingestMs / 1000),
      recordsPerSecond: Math.round(RECORDS / (ingestMs / 1000)),
      generatorSecondsInside: round(gen.ms / 1000),
      phasesSeconds: {
        recordsAndRuns: round(stats.ms.records / 1000),
        merge: round(stats.ms.merge / 1000),
        switch: round(stats.ms.switch / 1000, 3),
        cleanup: round(stats.ms.cleanup / 1000, 3),
      },
      profileSeconds: {
        waitingForIndexedDB: round(stats.profile.waitMs / 1000),
        inPutCalls: round(stats.profile.putMs / 1000),
        buildingRuns: round(stats.profile.runBuildMs / 1000),
        readingSource: round(stats.profile.sourceMs / 1000),
      },
    },
    lookup: {
      what: 'lookupIdentifier (records naming the identifier as subject AND as legal representative) for identifiers of random records, half subject ids, half legal-rep ids: weighted towards subjects with many records; timed on the page, answered by the look-up worker as in the app',
      coldFirstMs: round(coldMs),
      gapMs: LOOKUP_GAP,
      ...percentiles(lat),
      meanRecordsReturned: round(hitRecords / Math.max(1, lat.length)),
      byRecordsReturned: Object.fromEntries(Object.entries(bySize).map(([k, v]) => [k, percentiles(v)])),
      seconds: round((tLatEnd - tLat0) / 1000),
      over5ms: { what: '[ms since the first timed look-up, ms, of which page → worker, in the worker, worker → page] of each look-up over 5 ms (the first 200)', count: slowAt.length, at: slowAt.slice(0, 200) },
    },
    lookupFile: {
      what: 'the look-up worker (lookup-service.ts) builds a file of the generation\'s identifier index and record pages in the origin-private file system after its first look-up; seconds from that look-up until the file is open',
      seconds: round(fileBuildMs / 1000),
      MB: mb(fileStats.file.bytes),
      servedFromFile: servedAll?.fromFile ?? 0,
      servedThroughIndexedDB: servedAll?.fromDatabase ?? 0,
      staleFound: servedAll?.staleFound ?? 0,
    },
    lookupIndexedDbOnPage: {
      what: 'the same look-ups (same identifiers, same order, same gap) through IndexedDB on the page (lookupInHere): the path without the look-up worker',
      ...percentiles(idbLat),
    },
    lookupInWorker: {
      what: 'the same look-ups (same identifiers, same order) timed inside a Web Worker on its own connection, right after those on the page: the difference is what the page thread adds',
      ...percentiles(workerLat),
    },
    lookupPopulation: {
      what: 'lookupIdentifier for subjects drawn uniformly from the sample population (the counter mix: most have few records, some none)',
      ...percentiles(popLat),
      shareWithRecords: round(popHits / Math.max(1, popLat.length)),
    },
    lookupRightAfterLoad: { what: 'the same kind of look-up, the first 300 right after the load (before any settling)', ...percentiles(early) },
    settleSecondsBeforeTimedQueries: SETTLE,
    lookupMiss: { what: 'identifiers on no list', ...percentiles(missLat) },
    counterRead: { what: 'counterRecords: own records, then the linked parties with theirs (one look-up for all of them), as the check screen reads', ...percentiles(flowLat) },
    nameSearch: {
      querySet: 'organisation names of random records, cut at the 字号: the 2-char 字号 itself, or a 3–4 char substring starting at the 字号 or its 2nd char',
      limit: 50,
      ...percentiles(searchLat),
      meanResults: round(results / Math.max(1, searchLat.length), 1),
      shareMoreThanLimit: round(cut / Math.max(1, searchLat.length)),
      examples: queries.slice(10, 20),
      allMatches: { queries: allLat.length, ...percentiles(allLat), meanResults: round(allResults / Math.max(1, allLat.length), 1) },
    },
    heap: {
      what: 'performance.memory.usedJSHeapSize (precise), sampled every 250 ms and at every progress call',
      startMB: mb(heapStart),
      peakDuringIngestMB: mb(heapPeakIngest),
      peakMB: mb(heapPeak),
      retainedAfterLoadMB: heapRetained === null ? 'n/a (run Chromium with --js-flags=--expose-gc)' : mb(heapRetained),
      note: 'usedJSHeapSize counts garbage not yet collected; typed-array buffers (the run builder keeps its keys there) are outside the JS heap',
    },
    storage: {
      originUsageMBBefore: storageBefore,
      originUsageMBAfterLoad: storageAfter,
      bytesPerRecord: storageAfter !== null && storageBefore !== null ? Math.round(((storageAfter - storageBefore) * 2 ** 20) / RECORDS) : null,
    },
  };
}

// ---------------------------------------------------------------- the baseline: one row per record

type Row = ListRecord & { ids: string[] };

async function benchBaseline(): Promise<Record<string, unknown>> {
  await deleteDb('bench-baseline');
  // The usual layout, as version 1 of this app had it; Dexie's default (relaxed) durability.
  const db = new Dexie('bench-baseline');
  db.version(1).stores({ records: 'id, *ids, legalRepId, colour, listType' });
  const table = db.table<Row, string>('records');
  const opts = sampleOf(BASELINE);
  log(`baseline: loading ${BASELINE.toLocaleString()} records one row each`);
  const gen = { ms: 0 };
  let t = performance.now();
  let done = 0;
  let lastLogged = 0;
  let pending: Row[] = [];
  for (const batch of timedBatches(opts, gen)) {
    for (const r of batch) pending.push({ ...r, ids: subjectIdentifiers(r) });
    if (pending.length >= 10_000) {
      await table.bulkPut(pending);
      done += pending.length;
      pending = [];
      if (done - lastLogged >= 20_000) {
        lastLogged = done;
        log(`  ${done.toLocaleString()} / ${BASELINE.toLocaleString()}`);
      }
    }
  }
  await table.bulkPut(pending);
  const ingestMs = performance.now() - t;
  log(`baseline: loaded in ${(ingestMs / 1000).toFixed(1)} s`);

  const set = lookupSet(opts, Math.min(LOOKUPS, 1_000) + 20, new Prng(SEED ^ 0xba5e));
  const lookup = async (id: string): Promise<number> => {
    const [a, b] = await Promise.all([table.where('ids').equals(id).toArray(), table.where('legalRepId').equals(id).toArray()]);
    return a.length + b.length;
  };
  for (const x of set.slice(0, 20)) await lookup(x.id);
  const lat: number[] = [];
  for (const x of set.slice(20)) {
    t = performance.now();
    if ((await lookup(x.id)) === 0) throw new Error(`baseline misses ${x.id}`);
    lat.push(performance.now() - t);
  }
  // No substring index in the usual layout: a filtered scan, stopping at 50 matches.
  const queries = searchSet(opts, 20, new Prng(SEED ^ 0xa11));
  const searchLat: number[] = [];
  for (const qq of queries) {
    t = performance.now();
    await table.filter((r) => r.subjectName.includes(qq)).limit(50).toArray();
    searchLat.push(performance.now() - t);
  }
  db.close();
  await deleteDb('bench-baseline');
  return {
    records: BASELINE,
    layout: "one Dexie row per record, indexes 'id, *ids, legalRepId, colour, listType', bulkPut of 10,000",
    ingest: { seconds: round(ingestMs / 1000), recordsPerSecond: Math.round(BASELINE / (ingestMs / 1000)), generatorSecondsInside: round(gen.ms / 1000) },
    lookup: { what: 'where(ids).equals + where(legalRepId).equals, in parallel', ...percentiles(lat) },
    nameSearch: { what: 'table scan with substring filter, limit 50 (no index can serve it)', ...percentiles(searchLat) },
  };
}

// ---------------------------------------------------------------- import and export

/** Measures the longest gap between 20 ms ticks of the page thread while `fn` runs. */
async function withStallMeter<T>(fn: () => Promise<T>): Promise<{ value: T; longestStallMs: number }> {
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 20);
  try {
    const value = await fn();
    longest = Math.max(longest, performance.now() - last);
    return { value, longestStallMs: round(longest) };
  } finally {
    clearInterval(ticker);
  }
}

/** The import needs a signed-in administrator (a real session; cheap hashing, untimed). */
async function benchAdministrator(db: HechataiDb): Promise<Session> {
  await writeMeta(db, SECURITY_KEY, { pbkdf2Iterations: 1_000 });
  return setUpAdministrator(db, { name: '基准测试', login: 'bench', department: '基准', secretKind: 'password' }, 'Bench2026', Date.now());
}

/** Forced GC (twice, with a task between) and the page's heap then; null without --expose-gc. */
async function heapAfterGc(): Promise<number | null> {
  const gc = (globalThis as unknown as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  return heapNow();
}

/** Milliseconds of one look-up of an imported record's identifier; throws unless it finds the record. */
async function probeLookupMs(db: HechataiDb, probe: ListRecord, after: string): Promise<number> {
  const t = performance.now();
  const hits = await lookupIdentifier(db, subjectIdentifiers(probe)[0] as string);
  const ms = round(performance.now() - t);
  if (!hits.subject.some((r) => r.id === probe.id)) throw new Error(`import: a record is not found after ${after}`);
  return ms;
}

/** Times look-ups of `ids` one after another. */
async function timedLookups(db: HechataiDb, ids: readonly string[]): Promise<number[]> {
  const ms: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    await lookupIdentifier(db, id);
    ms.push(performance.now() - t);
  }
  return ms;
}

async function benchImport(): Promise<Record<string, unknown>> {
  const dbName = 'bench-import';
  await deleteDb(dbName);
  const db = openDatabase(dbName);
  await db.open();
  const admin = await benchAdministrator(db);
  const baseOpts = { ...sampleOf(IMPORT_BASE), seed: SEED ^ 0xba5e };
  if (IMPORT_BASE > 0) {
    log(`import: loading ${IMPORT_BASE.toLocaleString()} records into the mirror first (untimed)`);
    await loadMirror(db, timedBatches(baseOpts, { ms: 0 }));
  }
  const rng = new Prng(SEED ^ 0x100c);
  const baseIds = IMPORT_BASE > 0 ? lookupSet(baseOpts, 200, rng).map((x) => x.id) : [];
  // A cold look-up first, so that the timed ones below meet a warm view of the generation.
  const clerkDb = openDatabase(dbName);
  if (baseIds[0]) await Promise.all([lookupIdentifier(db, baseIds[0]), lookupIdentifier(clerkDb, baseIds[0])]);
  const heapBefore = await heapAfterGc();
  log(`import: writing a workbook of ${IMPORT.toLocaleString()} list rows (untimed)`);
  const t = performance.now();
  const data: ReturnType<typeof rowOf>[] = [];
  // Ids of their own: the generator numbers records from 1 whatever the seed, so a base mirror would hold the same ids.
  for (const r of generateRecords({ ...sampleOf(IMPORT), seed: SEED ^ 0x1e })) data.push(rowOf('list', { ...r, id: `I${r.id}` }));
  const bytes = bookBytes(dataBook('list', data));
  data.length = 0;
  const fileBytes = bytes.length;
  const writeSeconds = round((performance.now() - t) / 1000);

  log(`import: reading, validating and applying ${IMPORT.toLocaleString()} rows (${mb(fileBytes)} MB) into a mirror of ${IMPORT_BASE.toLocaleString()}`);
  const phaseAt: Partial<Record<ImportProgress['phase'], number>> = {};
  let applyProgress = 0;
  const duringApply: number[] = [];
  const afterCommit: number[] = [];
  const t0 = performance.now();
  const { value, longestStallMs } = await withStallMeter(async () => {
    const job = runImport(bytes, 'list', {
      onProgress: (p) => {
        phaseAt[p.phase] ??= performance.now();
      },
    });
    const result = await job.promise;
    const read = performance.now();
    if (!result.ok) throw new Error(`import workbook refused: ${result.errors[0]?.message ?? ''}`);
    // A clerk's look-ups while the import is applied (one every 100 ms, the base's identifiers),
    // on a connection of its own: `db` keeps its copy of the delta for the first look-up below.
    let applying = true;
    const clerk = (async () => {
      for (let i = 0; applying && baseIds.length > 0; i++) {
        const ms = await timedLookups(clerkDb, [baseIds[i % baseIds.length] as string]);
        // Whether the look-up may have met the import's log (and replayed it): the state after it.
        ((await mirrorState(clerkDb)).deltaCount > 0 ? afterCommit : duringApply).push(...ms);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const summary = await applyImport(db, admin, result, {
        fileName: 'bench.xlsx',
        writer: workerListWriter(dbName),
        onProgress: (done) => {
          applyProgress = done;
        },
      });
      // Only what the look-ups below need: the parsed records are let go (the heap is measured after).
      const records = result.kind === 'list' ? result.records : [];
      const probe = records[Math.floor(IMPORT / 2)];
      const importedIds = Array.from({ length: 100 }, () => records[rng.int(0, records.length - 1)]).flatMap((r) => (r ? [subjectIdentifiers(r)[0] as string] : []));
      return { read, summary, probe, importedIds };
    } finally {
      applying = false;
      await clerk;
    }
  });
  const t1 = performance.now();
  const afterImport = await mirrorState(db);
  const expected = IMPORT_BASE + value.summary.applied;
  if (afterImport.records + afterImport.deltaCount < expected) throw new Error(`import: mirror holds ${afterImport.records} + ${afterImport.deltaCount} delta records, expected ${expected}`);
  const { probe, importedIds } = value;
  const at = (p: ImportProgress['phase']): number => phaseAt[p] ?? t0;
  const seconds = (a: number, b: number): number => round((b - a) / 1000);
  log(`import: applied in ${seconds(t0, t1)} s (read + validate ${seconds(t0, value.read)} s, apply ${seconds(value.read, t1)} s); delta ${afterImport.deltaCount.toLocaleString()} ids`);

  // As the app does after an import (refreshMirror): the page's index of the delta log brought
  // up to date a log row at a time, the page's thread free in between.
  const warmed = await withStallMeter(async () => {
    const tw = performance.now();
    await warmDelta(db);
    return performance.now() - tw;
  });
  log(`import: delta index warmed in ${Math.round(warmed.value)} ms, longest page-thread stall ${warmed.longestStallMs} ms`);

  // The page's first look-up after it (without the warm-up it would replay the log itself).
  const firstLookupMs = probe ? await probeLookupMs(db, probe, 'the import') : null;
  const mixed = baseIds.slice(0, 100).flatMap((id, i) => [id, importedIds[i] ?? id]);
  const whileDelta = await timedLookups(db, mixed.length > 0 ? mixed : importedIds);
  const deltaAfterLookups = (await mirrorState(db)).deltaCount;
  const heapAfter = await heapAfterGc();
  log(`import: first look-up ${firstLookupMs} ms; ${whileDelta.length} look-ups with the delta, p99 ${percentiles(whileDelta).p99} ms; heap ${heapAfter === null ? 'n/a' : mb(heapAfter)} MB`);

  // The background compaction in the worker: until the delta is folded in (or the worker gives up).
  let compactionSeconds: number | null = null;
  let finished: boolean | null = null;
  const reorganised = value.summary.mirrorReorganised?.then((f) => (finished = f));
  const duringCompaction: number[] = [];
  if (reorganised) {
    for (let i = 0; ; i++) {
      const s = await mirrorState(db);
      if (s.deltaCount === 0) {
        compactionSeconds = seconds(t1, performance.now());
        break;
      }
      if (finished === false) break;
      duringCompaction.push(...(await timedLookups(db, [mixed[i % Math.max(1, mixed.length)] ?? baseIds[0] ?? ''])));
      await new Promise((r) => setTimeout(r, 250));
    }
    await reorganised;
  }
  const afterCompaction = await mirrorState(db);
  const firstLookupAfterCompactionMs = probe ? await probeLookupMs(db, probe, 'the compaction') : null;
  // The clerk's connection lets its copy of the delta go at its next look-up too.
  if (baseIds[0]) await lookupIdentifier(clerkDb, baseIds[0]);
  const heapAfterCompaction = await heapAfterGc();
  log(`import: compaction ${compactionSeconds ?? 'not finished'} s (worker said ${String(finished)}); mirror ${afterCompaction.records.toLocaleString()} records, delta ${afterCompaction.deltaCount}`);
  db.close();
  clerkDb.close();
  await deleteDb(dbName);
  return {
    rows: IMPORT,
    mirrorRecordsBefore: IMPORT_BASE,
    fileMB: mb(fileBytes),
    workbookWriteSecondsUntimed: writeSeconds,
    what: 'runImport (import worker: zip check, SheetJS parse, cells, validation) then applyImport with workerListWriter (records checked again in mirror-worker.ts and written as delta-log rows in one transaction), as the import screen does; then the compaction the worker runs in the background',
    seconds: seconds(t0, t1),
    phasesSeconds: {
      check: seconds(at('check'), at('parse')),
      parse: seconds(at('parse'), at('rows')),
      rows: seconds(at('rows'), at('validate')),
      validateAndTransfer: seconds(at('validate'), value.read),
      apply: seconds(value.read, t1),
    },
    applied: value.summary.applied,
    ignored: value.summary.ignored,
    recordsCheckedInApply: applyProgress,
    deltaAfterImport: { ids: afterImport.deltaCount, logRows: afterImport.deltaPages },
    longestPageThreadStallMs: longestStallMs,
    lookupDuringApply: {
      what: 'a look-up of a base identifier every 100 ms on the page, on a connection of its own, while the import is applied; afterCommit: those made once the import had committed (the first of them replays the log)',
      beforeCommit: percentiles(duringApply),
      afterCommit: percentiles(afterCommit),
    },
    warmDelta: { what: 'warmDelta after the import, as refreshMirror does: the log replayed a row at a time', ms: round(warmed.value), longestPageThreadStallMs: warmed.longestStallMs },
    firstLookupAfterImportMs: firstLookupMs,
    lookupWithDelta: {
      what: `${whileDelta.length} look-ups on the page right after the import (base and imported identifiers alternating), the delta present${deltaAfterLookups > 0 ? ' throughout' : ' at the start (the compaction finished before the last)'}, the compaction running`,
      ...percentiles(whileDelta),
    },
    heapMB: {
      beforeImport: heapBefore === null ? 'n/a (run Chromium with --js-flags=--expose-gc)' : mb(heapBefore),
      afterImportWithDeltaIndex: heapAfter === null ? 'n/a' : mb(heapAfter),
      afterCompaction: heapAfterCompaction === null ? 'n/a' : mb(heapAfterCompaction),
    },
    compaction: reorganised
      ? {
          what: 'the worker folds base + delta into a new generation after the import (mirrorState polled every 250 ms from the moment the import was applied until the delta is empty)',
          seconds: compactionSeconds,
          finished,
          recordsAfter: afterCompaction.records,
          lookupsMeanwhile: percentiles(duringCompaction),
          firstLookupAfterMs: firstLookupAfterCompactionMs,
        }
      : 'not due',
  };
}

const HEADLINE_TEXT: Record<Headline, string> = { black: '失信', watch: '重点关注', red: '守信', clear: '未命中' };

/** Synthetic check records shaped like the counter's (shared/domain/schemas CheckRecord). */
function checkRecords(n: number): CheckRecord[] {
  const rng = new Prng(SEED ^ 0xc4ec);
  const headlines: Headline[] = ['clear', 'clear', 'clear', 'black', 'red', 'watch'];
  const out: CheckRecord[] = [];
  const opts = sampleOf(Math.max(n, 10));
  for (let i = 0; i < n; i++) {
    const r = recordAt(opts, rng.int(0, opts.records - 1));
    const headline = headlines[rng.int(0, headlines.length - 1)] as Headline;
    const hits = headline === 'clear' ? [] : [{ recordId: r.id, version: r.version }];
    out.push({
      id: `C${String(i).padStart(9, '0')}`,
      createdAt: Date.UTC(2026, 10, 21) - i * 60_000,
      clerk: `窗口${rng.int(1, 40)}号`,
      department: r.deptName,
      district: r.district ?? '',
      matterId: `SX-${rng.int(1, 200)}`,
      subjectType: r.subjectType,
      identifier: subjectIdentifiers(r)[0] as string,
      subjectName: r.subjectName,
      headline,
      hits,
      decisions: hits.length > 0 ? [{ measureId: 'M-1', decision: '执行' }, { measureId: 'M-2', decision: '不执行', reason: '不适用本事项' }] : [],
      mirrorAsOf: Date.UTC(2026, 10, 20),
      stale: false,
      online: rng.int(0, 1) === 1,
      fastTrack: rng.int(0, 9) === 0,
      greenChannel: rng.int(0, 19) === 0,
    });
  }
  return out;
}

const CHECK_HEADER = ['核查时间', '记录编号', '审批事项', '主体名称', '主体类型', '证件号码', '核查结论', '命中记录数', '执行措施数', '不执行措施数', '容缺受理', '绿色通道', '数据已过期', '经办人', '部门'];
const LIST_HEADER = ['名单', '名单类型', '主体名称', '主体类型', '代码', '法定代表人', '认定部门', '认定依据', '列入事由', '认定日期', '有效期起', '有效期止', '严重程度', '状态', '记录编号', '版本'];
const COLOUR_TEXT: Record<ListRecord['colour'], string> = { black: '黑名单', red: '红名单', watch: '重点关注名单' };

async function benchExport(): Promise<Record<string, unknown>> {
  // Check records: in memory (made untimed), rows as the 核查记录 screen builds them, then the workbook.
  const checks = checkRecords(EXPORT);
  log(`export: ${EXPORT.toLocaleString()} check records to xlsx`);
  let t0 = performance.now();
  const checked = await withStallMeter(async () => {
    const rows: Cell[][] = checks.map((c) => [
      formatMoment(c.createdAt), c.id, c.matterId, c.subjectName ?? '', c.subjectType, shieldIdentifier(c.subjectType, c.identifier), HEADLINE_TEXT[c.headline],
      c.hits.length, c.decisions.filter((d) => d.decision === '执行').length, c.decisions.filter((d) => d.decision === '不执行').length,
      c.fastTrack ? '是' : '否', c.greenChannel ? '是' : '否', c.stale ? '是' : '否', c.clerk, c.department,
    ]);
    const t = performance.now();
    const bytes = await workbookBytes('核查记录', CHECK_HEADER, rows);
    return { rowsMs: t - t0, writeMs: performance.now() - t, bytes: bytes.length };
  });
  const checkSeconds = (performance.now() - t0) / 1000;
  checks.length = 0;
  log(`export: check records in ${checkSeconds.toFixed(1)} s`);

  // List rows: read from a mirror of EXPORT records (loaded untimed), as an export of the whole list would.
  const dbName = 'bench-export';
  await deleteDb(dbName);
  const db = openDatabase(dbName);
  await db.open();
  await loadMirror(db, timedBatches({ ...sampleOf(EXPORT), seed: SEED ^ 0xe4 }, { ms: 0 }));
  log(`export: ${EXPORT.toLocaleString()} list rows from the mirror to xlsx`);
  t0 = performance.now();
  const listed = await withStallMeter(async () => {
    const rows: Cell[][] = [];
    for await (const batch of iterateMirror(db)) {
      for (const r of batch) {
        rows.push([
          COLOUR_TEXT[r.colour], r.listType, r.subjectName, r.subjectType, r.idNumber ? maskIdNumber(r.idNumber) : (r.uscc ?? r.otherIds[0]?.value ?? '—'),
          r.legalRepName ?? '', r.deptName, r.basis, r.reason, r.designatedOn, r.validFrom, r.validTo ?? '长期', r.severity, recordState(r, TODAY), r.id, r.version,
        ]);
      }
    }
    const t = performance.now();
    const bytes = await workbookBytes('红黑名单', LIST_HEADER, rows);
    return { rowsMs: t - t0, writeMs: performance.now() - t, bytes: bytes.length, rows: rows.length };
  });
  const listSeconds = (performance.now() - t0) / 1000;
  db.close();
  await deleteDb(dbName);
  if (listed.value.rows !== EXPORT) throw new Error(`export: read ${listed.value.rows} list rows, expected ${EXPORT}`);
  log(`export: list rows in ${listSeconds.toFixed(1)} s`);
  return {
    rows: EXPORT,
    what: 'renderer/export/xlsx.ts workbookBytes (shared strings, CompressionStream deflate) on the page thread',
    checkRecords: {
      what: 'check records in memory → rows with shielded identifiers as the 核查记录 screen builds them → xlsx bytes',
      seconds: round(checkSeconds),
      phasesSeconds: { rows: round(checked.value.rowsMs / 1000), workbook: round(checked.value.writeMs / 1000) },
      fileMB: mb(checked.value.bytes),
      longestPageThreadStallMs: checked.longestStallMs,
    },
    listRows: {
      what: 'the whole mirror read in browse order (iterateMirror) → rows with masked ID numbers as the lists screen builds them → xlsx bytes',
      seconds: round(listSeconds),
      phasesSeconds: { readAndRows: round(listed.value.rowsMs / 1000), workbook: round(listed.value.writeMs / 1000) },
      fileMB: mb(listed.value.bytes),
      longestPageThreadStallMs: listed.longestStallMs,
    },
  };
}

// ---------------------------------------------------------------- run

async function main(): Promise<void> {
  log(`${navigator.userAgent}; ${navigator.hardwareConcurrency} cores; crossOriginIsolated=${String(crossOriginIsolated)}`);
  let generatorOnly: Record<string, unknown> | null = null;
  if (GEN_ONLY) {
    log(`generator alone: ${RECORDS.toLocaleString()} records`);
    const t = performance.now();
    let n = 0;
    for (const r of generateRecords(sampleOf(RECORDS))) n += r.version;
    const s = (performance.now() - t) / 1000;
    generatorOnly = { records: n, seconds: round(s), recordsPerSecond: Math.round(n / s) };
    log(`generator alone: ${s.toFixed(1)} s`);
  }
  const mirror = await benchMirror();
  let worker: Record<string, unknown> | null = null;
  if (WORKER > 0) {
    await deleteDb('bench-worker');
    log(`worker: loading ${WORKER.toLocaleString()} records inside mirror-worker.ts`);
    const client = new MirrorWorkerClient();
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 20);
    const t = performance.now();
    const stats = await client.loadSample(sampleOf(WORKER), { dbName: 'bench-worker' });
    const seconds = (performance.now() - t) / 1000;
    clearInterval(ticker);
    client.terminate();
    await deleteDb('bench-worker');
    worker = {
      records: WORKER,
      what: 'the same generator and load, inside a Web Worker; the page thread stays free',
      seconds: round(seconds),
      recordsPerSecond: Math.round(WORKER / seconds),
      mergeSeconds: round(stats.ms.merge / 1000),
      longestPageThreadStallMs: round(longestGap),
    };
    log(`worker: ${seconds.toFixed(1)} s; longest page-thread stall ${longestGap.toFixed(0)} ms`);
  }
  const baseline = BASELINE > 0 ? await benchBaseline() : null;
  const imported = IMPORT > 0 ? await benchImport() : null;
  const exported = EXPORT > 0 ? await benchExport() : null;
  const mi = mirror.ingest as { recordsPerSecond: number; seconds: number };
  const bi = baseline?.ingest as { recordsPerSecond: number } | undefined;
  bench.result = {
    benchmark: 'renderer/db mirror (paged records + sorted-run index) vs one-row-per-record Dexie',
    browser: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
    timerResolution: crossOriginIsolated ? '5 µs (cross-origin isolated)' : '100 µs',
    tuning: TUNING,
    sizes: { mirrorRecords: RECORDS, baselineRecords: BASELINE, lookups: LOOKUPS, searches: SEARCHES, seed: SEED, today: TODAY, importRows: IMPORT, importIntoMirrorOf: IMPORT_BASE, exportRows: EXPORT },
    generatorOnly,
    mirror,
    worker,
    baseline,
    import: imported,
    export: exported,
    ratio: bi ? { ingestRecordsPerSecond: round(mi.recordsPerSecond / bi.recordsPerSecond, 1) } : null,
    targets: {
      ingest1MUnder20s: RECORDS === 1_000_000 ? mi.seconds <= 20 : `n/a at ${RECORDS} records`,
      lookupP99Under5ms: (mirror.lookup as { p99: number }).p99 <= 5,
      nameSearchP95Under100ms: (mirror.nameSearch as { p95: number }).p95 <= 100,
      import100kUnder15s: imported ? (IMPORT === 100_000 ? (imported.seconds as number) <= 15 : `n/a at ${IMPORT} rows`) : 'skipped',
      export100kUnder10sEach: exported
        ? EXPORT === 100_000
          ? (exported.checkRecords as { seconds: number }).seconds <= 10 && (exported.listRows as { seconds: number }).seconds <= 10
          : `n/a at ${EXPORT} rows`
        : 'skipped',
    },
  };
  bench.status = 'done';
}

main().catch((e: unknown) => {
  bench.error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  bench.status = 'error';
});
