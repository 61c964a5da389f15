/**
 * The one module that owns the IndexedDB schema (Dexie). Nothing else calls `new Dexie` or
 * declares stores; features use the repositories in this folder (mirror.ts, mirror-store.ts,
 * local-records.ts, meta.ts, seed.ts).
 *
 * Version history (never edit a released version; add a new one with an upgrade):
 *   1 — mirror as one row per list record (`records`, 4 secondary indexes), measures, matters,
 *       local records (checks, feedback, commitments, objections, findings), outbox, meta.
 *   2 — the mirror moves to the paged layout of mirror-store.ts: `mirrorPages` (records in
 *       pages), `mirrorIndex` (sorted runs of identifier / record-id / name-bigram postings),
 *       `mirrorDelta` (sync changes since the last full load, one row per record). The v1
 *       `records` rows become delta rows, so every v1 record stays findable at once; the next
 *       full load or compaction folds them into pages. `records` is dropped.
 *   3 — clerk accounts (`accounts`, unique by loginKey), the hash-chained audit trail (`audit`,
 *       by seq), the bytes of photos and scans (`files`, by owner record), findings by
 *       inspector, and an outbox index [state+seq] so a push reads only the pending entries in
 *       order. New tables and indexes only: no row changes.
 *   4 — the sync delta becomes a log of pages (`mirrorDeltaLog`, one row per applied sync page,
 *       its changes as one JSON text) instead of one indexed row per record (`mirrorDelta`,
 *       dropped): a row per record with multi-entry indexes cost IndexedDB ~20 index entries
 *       per change, and a page of 2,000 changes ~300 ms to write; a log page costs ~30 ms.
 *       Readers keep the log's small index in memory (mirror-store.ts). The v3 delta rows
 *       become log pages; the mirror state counts them (`deltaPages`).
 *   5 — the mirror's pages move to stores with out-of-line keys (`mirrorRecordPages` keyed
 *       [gen, page], `mirrorIndexPages` keyed [gen, run, first, part]; `mirrorPages` and
 *       `mirrorIndex` dropped): with a key path, Chromium deserialises a copy of every value
 *       put to read its key, which doubled the cost of a load's puts (test/bench/README.md).
 *       The rows are copied over as they are.
 *   6 — the outbox keeps one index, [state+seq] (`state` and `seq` dropped: [state+seq] answers
 *       both, and recording the platform's answers rewrites every pushed entry, each index one
 *       more entry to move). Indexes only: no row changes.
 */
import { Dexie, type DexieOptions, type EntityTable, type IndexableTypeArrayReadonly, type Table } from 'dexie';
import type {
  CheckRecord,
  Commitment,
  FeedbackRecord,
  InspectionFinding,
  ListColour,
  ListRecord,
  Matter,
  Measure,
  Objection,
} from '../../shared/domain/schemas';
import type { OutboxEntry } from '../../shared/sync/outbox';
import type { Account } from '../../shared/domain/accounts';
import type { AuditEntry } from '../../shared/domain/audit';
import { bigrams, subjectIdentifiers } from './record-codec';

/** v1 only: a list record as stored one row per entry, `ids` for the multi-entry index. */
export type StoredRecordV1 = ListRecord & { ids: string[] };

export interface MetaRow {
  key: string;
  value: unknown;
}

/**
 * A page of the mirror: up to `pageRecords` records of one generation, encoded by record-codec,
 * concatenated, as UTF-8 in `utf8`; once decoded, record i is text[ends[i−1] .. ends[i]) (in
 * UTF-16 code units). One byte array serialises and deserialises far faster than many strings,
 * and UTF-8 is ~40 % smaller than the UTF-16 of a string with Chinese in it. Negative page
 * numbers hold the generation's text dictionary in chunks (`dict`, from entry `dictFrom`).
 */
export interface MirrorPageRow {
  gen: number;
  page: number;
  utf8?: Uint8Array;
  ends?: Uint32Array;
  dict?: string[];
  dictFrom?: number;
}

/**
 * A page of one sorted run of the mirror index: keys ascending, key i is
 * keys[kends[i−1] .. kends[i]), its postings post[ends[i−1] .. ends[i]) as varint deltas (see
 * postings.ts). Key = [gen, run, first, part]: a key whose postings overflow a page continues in
 * pages of the same `first`, part 1, 2, …
 */
export interface MirrorIndexRow {
  gen: number;
  run: number;
  first: string;
  part: number;
  keys: string;
  kends: Uint32Array;
  ends: Uint32Array;
  post: Uint8Array;
}

/**
 * A change received after the last full load: the record's current state (or a tombstone), the
 * keys it is found by, and where it sits in browse order. One row per record id.
 */
export interface MirrorDeltaRow {
  id: string;
  version: number;
  /** 1 = deleted (tombstone); kept so a late, older upsert cannot bring the record back. */
  deleted: 0 | 1;
  record: ListRecord | null;
  /** Identifiers naming the subject (multi-entry index). */
  ids: string[];
  /** legalRepId, when present. */
  rep?: string;
  /** Name bigrams (multi-entry index) for name search. */
  grams: string[];
  colour?: ListColour;
  /** Position (page × PAGE_SLOTS + slot) of the base record it replaces; −1 = not in the base. */
  base: number;
  /** Browse order: the base position, or NEW_ORDER_BASE + arrival number for new records. */
  ord: number;
}

/**
 * One change of the delta log as applied: the record's state after it (null = tombstone at
 * `version`), the base position it replaces (−1 = none) and its browse order (as MirrorDeltaRow).
 */
export interface DeltaEntry {
  id: string;
  version: number;
  deleted: 0 | 1;
  record: ListRecord | null;
  base: number;
  ord: number;
}

/** A page of the delta log: the entries one sync page applied, in order, as JSON (DeltaEntry[]). `n` counts from 0 per generation. */
export interface MirrorDeltaLogRow {
  n: number;
  text: string;
}

/** An account as stored: `loginKey` (shared/domain/accounts.ts) is the unique index. */
export type AccountRow = Account & {
  loginKey: string;
  /** Consecutive failed sign-ins and when the last one was (throttling, accounts.ts). */
  failures?: number;
  lastFailureAt?: number;
  /** Whether the secret is a password or a PIN (the sign-in form asks accordingly). */
  secretKind?: 'password' | 'pin';
};

/**
 * A file kept on this workstation beside a local record (an inspection photo, an objection
 * scan): `owner` is '<kind>:<record id>' (e.g. 'finding:…'). The record itself carries only the
 * name, type and size (schemas.ts Attachment).
 */
export interface FileRow {
  id: string;
  owner: string;
  name: string;
  mime: string;
  size: number;
  bytes: Uint8Array;
  createdAt: number;
}

/** Key of a record page: [gen, page]. */
export type PageKey = [number, number];
/** Key of an index page: [gen, run, first, part]. */
export type IndexKey = [number, number, string, number];

export const pageKey = (row: MirrorPageRow): PageKey => [row.gen, row.page];
export const indexKey = (row: MirrorIndexRow): IndexKey => [row.gen, row.run, row.first, row.part];

export type HechataiDb = Dexie & {
  /** Record pages, keyed out of line by pageKey (v5). */
  mirrorRecordPages: Table<MirrorPageRow, PageKey>;
  /** Index pages, keyed out of line by indexKey (v5; and identifier spills under run 0 from loads interrupted before 2026-12-04). */
  mirrorIndexPages: Table<MirrorIndexRow, IndexKey>;
  /** v2–v4 only (moved by v5); kept in the type for the upgrades. */
  mirrorPages: EntityTable<MirrorPageRow>;
  mirrorIndex: EntityTable<MirrorIndexRow>;
  /** v2–v3 only (dropped by v4); kept in the type for the upgrades. */
  mirrorDelta: EntityTable<MirrorDeltaRow, 'id'>;
  mirrorDeltaLog: EntityTable<MirrorDeltaLogRow, 'n'>;
  measures: EntityTable<Measure, 'id'>;
  matters: EntityTable<Matter, 'id'>;
  checks: EntityTable<CheckRecord, 'id'>;
  feedback: EntityTable<FeedbackRecord, 'id'>;
  commitments: EntityTable<Commitment, 'id'>;
  objections: EntityTable<Objection, 'id'>;
  findings: EntityTable<InspectionFinding, 'id'>;
  outbox: EntityTable<OutboxEntry, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
  accounts: EntityTable<AccountRow, 'id'>;
  audit: EntityTable<AuditEntry, 'seq'>;
  files: EntityTable<FileRow, 'id'>;
};

export const DB_NAME = 'hechatai';

/** Schema of version 1, exactly as released (the migration test opens a database with it). */
export const SCHEMA_V1 = {
  records: 'id, *ids, legalRepId, colour, listType',
  measures: 'id, edition, category',
  matters: 'id, department',
  checks: 'id, createdAt, identifier, matterId, clerk',
  feedback: 'id, checkId, at',
  commitments: 'id, identifier, status, deadline',
  objections: 'id, recordId',
  findings: 'id, identifier, at',
  outbox: 'id, seq, state',
  meta: 'key',
} as const;

/** Changes of version 2 (tables not named keep their v1 definition). */
export const SCHEMA_V2 = {
  records: null,
  mirrorPages: '[gen+page]',
  mirrorIndex: '[gen+run+first+part]',
  mirrorDelta: 'id, *ids, rep, *grams, base, ord',
} as const;

/** Changes of version 3 (see the version history above). */
export const SCHEMA_V3 = {
  accounts: 'id, &loginKey, role',
  audit: 'seq, at, action, actor',
  files: 'id, owner',
  findings: 'id, identifier, at, inspector',
  outbox: 'id, seq, state, [state+seq]',
} as const;

/** Changes of version 4 (see the version history above). */
export const SCHEMA_V4 = {
  mirrorDelta: null,
  mirrorDeltaLog: 'n',
} as const;

/** Changes of version 5 (see the version history above). */
export const SCHEMA_V5 = {
  mirrorPages: null,
  mirrorIndex: null,
  mirrorRecordPages: '',
  mirrorIndexPages: '',
} as const;

/** Changes of version 6 (see the version history above). */
export const SCHEMA_V6 = {
  outbox: 'id, [state+seq]',
} as const;

/** Rows per step of the v5 copy. */
const UPGRADE_COPY_ROWS = 500;

/** Delta entries per log page written by the v4 upgrade. */
const UPGRADE_LOG_PAGE = 2_000;

/** Browse order of records the base generation does not hold: after every base position. */
export const NEW_ORDER_BASE = 2 ** 45;

/** meta key of the mirror's state (see mirror-store.ts MirrorState). */
export const MIRROR_STATE_KEY = 'mirror.state';

/** Test and worker hooks: another IndexedDB implementation (fake-indexeddb), relaxed commits. */
export type DatabaseOptions = Pick<DexieOptions, 'indexedDB' | 'IDBKeyRange' | 'chromeTransactionDurability'>;

/** The outbox entries in one state made after `afterSeq` (exclusive), in seq order: the outbox's one index. */
export function outboxInState(db: HechataiDb, state: OutboxEntry['state'], afterSeq = -Infinity) {
  return db.outbox.where('[state+seq]').between([state, afterSeq], [state, Infinity], false, true);
}

export function openDatabase(name: string = DB_NAME, options: DatabaseOptions = {}): HechataiDb {
  // Chromium commits with relaxed durability by default; the records a clerk saves deserve a
  // flushed commit. The bulk mirror writes choose relaxed per transaction (mirror-store.ts).
  const db = new Dexie(name, { chromeTransactionDurability: 'strict', ...options }) as HechataiDb;
  db.version(1).stores(SCHEMA_V1);
  db.version(2)
    .stores(SCHEMA_V2)
    .upgrade(async (tx) => {
      // v1 rows → delta rows, in primary-key chunks so a big v1 mirror never sits in memory.
      const v1 = tx.table<StoredRecordV1, string>('records');
      const delta = tx.table<MirrorDeltaRow, string>('mirrorDelta');
      let seq = 0;
      let after: string | undefined;
      for (;;) {
        const rows = await (after === undefined ? v1.orderBy(':id') : v1.where(':id').above(after)).limit(2_000).toArray();
        if (rows.length === 0) break;
        await delta.bulkAdd(rows.map((s) => deltaRowOf(fromStoredV1(s), -1, NEW_ORDER_BASE + seq++)));
        after = rows[rows.length - 1]?.id;
      }
      await tx.table<MetaRow, string>('meta').put({
        key: MIRROR_STATE_KEY,
        value: { gen: 0, run: 0, runs: 0, records: 0, pages: 0, codec: 1, builtAt: 0, deltaCount: seq, deltaSeq: seq },
      });
    });
  db.version(3).stores(SCHEMA_V3);
  db.version(4)
    .stores(SCHEMA_V4)
    .upgrade(async (tx) => {
      // v3 delta rows → log pages (ids are unique in v3, so their order does not matter).
      const delta = tx.table<MirrorDeltaRow, string>('mirrorDelta');
      const log = tx.table<MirrorDeltaLogRow, number>('mirrorDeltaLog');
      let n = 0;
      let after: string | undefined;
      for (;;) {
        const rows = await (after === undefined ? delta.orderBy(':id') : delta.where(':id').above(after)).limit(UPGRADE_LOG_PAGE).toArray();
        if (rows.length === 0) break;
        const entries: DeltaEntry[] = rows.map((r) => ({ id: r.id, version: r.version, deleted: r.deleted, record: r.record, base: r.base, ord: r.ord }));
        await log.add({ n: n++, text: JSON.stringify(entries) });
        after = rows[rows.length - 1]?.id;
      }
      const meta = tx.table<MetaRow, string>('meta');
      const state = await meta.get(MIRROR_STATE_KEY);
      if (state && typeof state.value === 'object' && state.value !== null) {
        await meta.put({ key: MIRROR_STATE_KEY, value: { ...(state.value as Record<string, unknown>), deltaPages: n } });
      }
    });
  db.version(5)
    .stores(SCHEMA_V5)
    .upgrade(async (tx) => {
      // Into the stores keyed out of line, in primary-key chunks (a mirror of 1,000,000
      // records is ~40,000 rows, ~130 MB: never all in memory).
      const copy = async <R, K extends IDBValidKey>(from: string, to: string, keyOf: (row: R) => K): Promise<void> => {
        const source = tx.table<R, K>(from);
        const target = tx.table<R, K>(to);
        let after: K | undefined;
        for (;;) {
          const rows = await (after === undefined ? source.orderBy(':id') : source.where(':id').above(after)).limit(UPGRADE_COPY_ROWS).toArray();
          const last = rows.at(-1);
          if (last === undefined) break;
          // (Dexie types a key array as one of scalars; ours are compound keys.)
          await target.bulkAdd(rows, rows.map(keyOf) as unknown as IndexableTypeArrayReadonly);
          after = keyOf(last);
        }
      };
      await copy<MirrorPageRow, PageKey>('mirrorPages', 'mirrorRecordPages', pageKey);
      await copy<MirrorIndexRow, IndexKey>('mirrorIndex', 'mirrorIndexPages', indexKey);
    });
  db.version(6).stores(SCHEMA_V6);
  // After every open, in the background: remove what an abandoned load left, and read the
  // mirror's page boundaries so the first look-up is not a cold one.
  db.on('ready', () => {
    maintenance.set(
      db,
      import('./mirror-store').then((m) => m.maintainMirror(db)).catch((e: unknown) => {
        // Closing the database meanwhile is not a failure; the next open tries again.
        if (db.isOpen()) console.warn('mirror maintenance failed', e);
      }),
    );
  });
  return db;
}

const maintenance = new WeakMap<HechataiDb, Promise<void>>();

/** The background maintenance started when `db` opened (resolved if none). */
export function mirrorMaintenance(db: HechataiDb): Promise<void> {
  return maintenance.get(db) ?? Promise.resolve();
}

export function fromStoredV1(s: StoredRecordV1): ListRecord {
  const { ids: _ids, ...record } = s;
  return record;
}

/** The delta row holding `record` as the current state of its id. */
export function deltaRowOf(record: ListRecord, base: number, ord: number): MirrorDeltaRow {
  const row: MirrorDeltaRow = {
    id: record.id,
    version: record.version,
    deleted: 0,
    record,
    ids: subjectIdentifiers(record),
    grams: bigrams(record.subjectName),
    colour: record.colour,
    base,
    ord,
  };
  if (record.legalRepId) row.rep = record.legalRepId;
  return row;
}

/** A tombstone: `id` is deleted at `version`. */
export function tombstoneRow(id: string, version: number, base: number, ord: number): MirrorDeltaRow {
  return { id, version, deleted: 1, record: null, ids: [], grams: [], base, ord };
}
