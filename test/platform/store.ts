/**
 * The reference city platform's database: SQLite on disk through better-sqlite3, and every
 * rule of the protocol that is about data (cursors, snapshots, resets, idempotent push,
 * business rejections). The HTTP server (server.ts) only translates.
 *
 * Tables
 * - changes           the log: seq (AUTOINCREMENT, never reused), kind, id, op, data (NULL for a tombstone);
 *                     for a list-record upsert also `row`, the record as a compact change's elements
 *                     (JSON array without the seq, texts as keys of `texts`), and `refs`, those keys
 * - texts             the texts of list records that repeat (list type, department, basis, …), by key
 * - current_entities  the current version of every list record, measure and matter, with the seq that made it
 * - enrol_codes       one-time codes issued by the administrator
 * - devices           enrolled devices; only a SHA-256 of each token is kept
 * - received          records pushed by devices; the primary key is the client's id (idempotency)
 * - meta              schema version, compaction floor, how the data was seeded
 *
 * Why the log and not "current by seq": a first load that pages through the log up to
 * snapshotSeq ends with exactly the platform's state at snapshotSeq, even if records change
 * while it pages (they reappear later in the log). Compaction keeps that true for every cursor
 * at or above its floor and for first loads begun after it; other cursors below the floor are
 * told to start over (they may have missed a tombstone).
 *
 * Cursors are `<schema>.<seq>[.<snapshotSeq>]`: the data schema version (a cursor of another
 * version is reset), the last seq read, and during a first load the seq it began at.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  ListRecord,
  Matter,
  Measure,
  type IsoDate,
  type ListRecord as ListRecordT,
} from '../../shared/domain/schemas';
import { validateIdNumber, validateOrgCode, validateUscc } from '../../shared/domain/identifiers';
import { addDays, chinaDate } from '../../shared/domain/rules-config';
import { generateRecords } from '../../shared/sample/generator';
import { demoRecords } from '../../shared/sample/demo';
import { auditHashInput } from '../../shared/domain/audit';
import { OutboxPayload, outboxId, type AuditRecord } from '../../shared/sync/outbox';
import {
  DATA_SCHEMA_VERSION,
  PROTOCOL_VERSION,
  type ChangeInput,
  type ChangeKind,
  type EnrolRequest,
  type EnrolResponse,
  type ErrorCode,
  type HealthResponse,
  type PullPageInput,
  type PullQuery,
  type PushOutcome,
  type RejectionCode,
  type ResetReason,
  type Result,
} from '../../shared/sync/protocol';
import { buildListPackage } from '../../shared/sync/package';
import { compactRecordElements } from '../../shared/sync/fast-change';
import { AdminCommand, CommandError, type CommandResult } from './commands';
import { canonicalJson, stateDigest } from './digest';
import { SumDigester, type SumDigest } from './sum-digest';

const SAMPLE_DIR = resolve(import.meta.dirname, '../../resources/sample');

export interface SeedOptions {
  /** Generated list records besides the demo ones (shared/sample/generator.ts). */
  records: number;
  seed: number;
}

export interface StoreOptions {
  /** The SQLite file; created with its directory if missing. ':memory:' for a throw-away store. */
  file: string;
  /** Seeds an empty database with the sample measures, matters, demo and generated records. */
  seed?: SeedOptions;
  /** Epoch ms; `today` (China time) is derived from it. */
  clock?: () => number;
  /** Fixed `today` for the seed data and for commands without a date. */
  today?: IsoDate;
}

export interface Device {
  id: string;
  name: string;
  department: string;
  district: string;
}

export type PullAnswer = { kind: 'page'; page: PullPageInput } | { kind: 'reset'; reason: ResetReason };

export interface ReceivedRow {
  id: string;
  kind: string;
  recordId: string;
  deviceId: string;
  receivedAt: number;
}

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
  seq  INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('record', 'measure', 'matter')),
  id   TEXT NOT NULL,
  op   TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  data TEXT,
  at   INTEGER NOT NULL,
  row  TEXT,
  refs TEXT,
  CHECK ((op = 'upsert') = (data IS NOT NULL))
);
CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE INDEX IF NOT EXISTS changes_by_entity ON changes (kind, id, seq);
CREATE TABLE IF NOT EXISTS current_entities (
  kind    TEXT NOT NULL,
  id      TEXT NOT NULL,
  version INTEGER,
  data    TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS enrol_codes (
  code       TEXT PRIMARY KEY,
  department TEXT NOT NULL,
  district   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  used_at    INTEGER,
  device_id  TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS devices (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  department   TEXT NOT NULL,
  district     TEXT NOT NULL,
  enrolled_at  INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS received (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  device_id   TEXT NOT NULL REFERENCES devices (id),
  payload     TEXT NOT NULL,
  hash        TEXT NOT NULL,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;
`;
/** PRAGMA user_version of the layout above; bump with a migration when it changes. */
const DB_LAYOUT_VERSION = 2;

/** Unambiguous characters for codes read aloud or typed from paper (no 0/O, 1/I). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function normaliseEnrolCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** The reference platform's cursor: `<schema>.<seq>`, or `<schema>.<seq>.<snapshotSeq>` during a first load. */
export interface PlatformCursor {
  schema: number;
  seq: number;
  snapshot?: number | undefined;
}

export function encodeCursor(c: PlatformCursor): string {
  return c.snapshot === undefined ? `${c.schema}.${c.seq}` : `${c.schema}.${c.seq}.${c.snapshot}`;
}

export function decodeCursor(text: string): PlatformCursor | undefined {
  const m = /^(\d{1,6})\.(\d{1,15})(?:\.(\d{1,15}))?$/.exec(text);
  if (m === null) return undefined;
  return { schema: Number(m[1]), seq: Number(m[2]), snapshot: m[3] === undefined ? undefined : Number(m[3]) };
}

export function formatEnrolCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * JSON text with every non-ASCII character escaped (\uXXXX): the same JSON, in ASCII. Compact
 * rows and page texts are stored and sent so: ~19 % more bytes than UTF-8 for the sample data,
 * but the client's browser decodes an ASCII body into a one-byte string, which it decodes and
 * parses faster than a two-byte one (sync worker at 1,000,000 records: decoding and parsing
 * 6.2–6.7 s → 5.2 s, its garbage collection 4.4 → 3.3 s; test/bench/README.md).
 */
const asciiJson = (json: string): string => json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A row of the change log; `data` as text, or as its UTF-8 bytes. */
interface ChangeRow<D> {
  seq: number;
  kind: ChangeKind;
  id: string;
  op: 'upsert' | 'delete';
  data: D | null;
}

export class PlatformStore {
  readonly db: Database.Database;
  readonly file: string;
  private readonly clock: () => number;
  private readonly fixedToday: IsoDate | undefined;

  private readonly stmt: {
    highSeq: Database.Statement<[], { seq: number }>;
    changesAfter: Database.Statement<[number, number], ChangeRow<string>>;
    changesAfterBytes: Database.Statement<[number, number], ChangeRow<Buffer>>;
    getEntity: Database.Statement<[string, string], { data: string; version: number | null; seq: number }>;
    insertChange: Database.Statement<[string, string, string, string | null, number, string | null, string | null]>;
    changesAfterCompact: Database.Statement<[number, number], ChangeRow<Buffer> & { row: Buffer | null; refs: string | null }>;
    insertText: Database.Statement<[string], { id: number }>;
    textById: Database.Statement<[number], { text: string }>;
    textId: Database.Statement<[string], { id: number }>;
    putEntity: Database.Statement<[string, string, number | null, string, number]>;
    deleteEntity: Database.Statement<[string, string]>;
    getMeta: Database.Statement<[string], { value: string }>;
    setMeta: Database.Statement<[string, string]>;
    deviceByToken: Database.Statement<[string], Device & { lastSeenAt: number }>;
    touchDevice: Database.Statement<[number, string]>;
    received: Database.Statement<[string], { hash: string }>;
    receivedPayload: Database.Statement<[string], { payload: string }>;
    insertReceived: Database.Statement<[string, string, string, string, string, string, number]>;
  };

  private constructor(db: Database.Database, opts: StoreOptions) {
    this.db = db;
    this.file = opts.file;
    this.clock = opts.clock ?? Date.now;
    this.fixedToday = opts.today;
    this.stmt = {
      highSeq: db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'changes'`),
      changesAfter: db.prepare('SELECT seq, kind, id, op, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?'),
      changesAfterBytes: db.prepare('SELECT seq, kind, id, op, CAST(data AS BLOB) AS data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?'),
      getEntity: db.prepare('SELECT data, version, seq FROM current_entities WHERE kind = ? AND id = ?'),
      insertChange: db.prepare('INSERT INTO changes (kind, id, op, data, at, row, refs) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      changesAfterCompact: db.prepare(
        // A change's full JSON only where it has no compact form (measures, matters): reading it
        // for every record cost the platform a Buffer of ~700 bytes a record for nothing.
        `SELECT seq, kind, id, op, CASE WHEN row IS NULL THEN CAST(data AS BLOB) END AS data, CAST(row AS BLOB) AS row, refs
           FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`,
      ),
      insertText: db.prepare('INSERT INTO texts (text) VALUES (?) RETURNING id'),
      textById: db.prepare('SELECT text FROM texts WHERE id = ?'),
      textId: db.prepare('SELECT id FROM texts WHERE text = ?'),
      putEntity: db.prepare(
        `INSERT INTO current_entities (kind, id, version, data, seq) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, data = excluded.data, seq = excluded.seq`,
      ),
      deleteEntity: db.prepare('DELETE FROM current_entities WHERE kind = ? AND id = ?'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      deviceByToken: db.prepare(
        'SELECT id, name, department, district, last_seen_at AS lastSeenAt FROM devices WHERE token_hash = ?',
      ),
      touchDevice: db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?'),
      received: db.prepare('SELECT hash FROM received WHERE id = ?'),
      receivedPayload: db.prepare('SELECT payload FROM received WHERE id = ?'),
      insertReceived: db.prepare(
        'INSERT INTO received (id, kind, record_id, device_id, payload, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  /** Opens (and creates, and seeds if empty) the database. */
  static open(opts: StoreOptions): PlatformStore {
    if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
    const db = new Database(opts.file);
    db.pragma('journal_mode = WAL');
    // An answer 'accepted' must survive a power cut of the platform: fsync on every commit.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const layout = db.pragma('user_version', { simple: true }) as number;
    if (layout > DB_LAYOUT_VERSION) {
      db.close();
      throw new Error(`数据库 ${opts.file} 由更新版本的参考平台创建（布局 ${layout}），请换一个数据目录`);
    }
    if (layout === 1) {
      // Layout 2 added the compact form of each list-record upsert (filled in below).
      db.exec('ALTER TABLE changes ADD COLUMN row TEXT; ALTER TABLE changes ADD COLUMN refs TEXT');
    }
    db.exec(SCHEMA_SQL);
    const store = new PlatformStore(db, opts);
    if (layout === 1) store.fillCompactRows();
    db.pragma(`user_version = ${DB_LAYOUT_VERSION}`);
    if (store.meta('schemaVersion') === undefined) store.setMeta('schemaVersion', String(DATA_SCHEMA_VERSION));
    // The platform's identity in list packages (a client refuses packages of another platform).
    if (store.meta('platformId') === undefined) store.setMeta('platformId', `P-${randomBytes(6).toString('hex')}`);
    if (opts.seed !== undefined && store.meta('seededWith') === undefined) store.seed(opts.seed);
    return store;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  now(): number {
    return this.clock();
  }

  today(): IsoDate {
    return this.fixedToday ?? chinaDate(this.clock());
  }

  // ---------------------------------------------------------------- meta

  private meta(key: string): string | undefined {
    return this.stmt.getMeta.get(key)?.value;
  }

  private setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  get schemaVersion(): number {
    return Number(this.meta('schemaVersion') ?? DATA_SCHEMA_VERSION);
  }

  /** The last seq ever assigned (AUTOINCREMENT: survives compaction of the newest changes). */
  highSeq(): number {
    return this.stmt.highSeq.get()?.seq ?? 0;
  }

  /** Cursors below this are reset (the log up to it was compacted), except those of first loads begun after. */
  compactedThrough(): number {
    return Number(this.meta('compactedThrough') ?? 0);
  }

  /** The high seq right after the last compaction (which burns one seq, so loads begun before and after differ). */
  private compactionMark(): number {
    return Number(this.meta('compactionMark') ?? 0);
  }

  // ---------------------------------------------------------------- seeding

  private seed(opts: SeedOptions): void {
    const today = this.today();
    const matters = z.array(Matter).parse(JSON.parse(readFileSync(resolve(SAMPLE_DIR, 'matters.json'), 'utf8')));
    const measures = z.array(Measure).parse(JSON.parse(readFileSync(resolve(SAMPLE_DIR, 'measures.json'), 'utf8')));
    this.db.transaction(() => {
      for (const m of matters) this.putEntity('matter', m.id, null, m);
      for (const m of measures) this.putEntity('measure', m.id, null, m);
      for (const r of demoRecords(today)) this.putEntity('record', r.id, r.version, ListRecord.parse(r));
      for (const r of generateRecords({ seed: opts.seed, records: opts.records, today })) {
        this.putEntity('record', r.id, r.version, ListRecord.parse(r));
      }
      this.setMeta('seededWith', JSON.stringify({ ...opts, today, matters: matters.length, measures: measures.length }));
    })();
  }

  /** Writes a new current version and its change; returns the seq. Call inside a transaction. */
  private putEntity(kind: ChangeKind, id: string, version: number | null, data: unknown): number {
    const json = JSON.stringify(data);
    const compact = kind === 'record' ? this.compactRow(data as ListRecordT) : undefined;
    const seq = Number(this.stmt.insertChange.run(kind, id, 'upsert', json, this.clock(), compact?.row ?? null, compact?.refs ?? null).lastInsertRowid);
    this.stmt.putEntity.run(kind, id, version, json, seq);
    return seq;
  }

  /** text → key in `texts`, and back: filled as texts are met (a few hundred in the sample data). */
  private readonly textKeys = new Map<string, number>();
  private readonly textsByKey = new Map<number, string>();

  private textKey(text: string): number {
    let key = this.textKeys.get(text);
    if (key === undefined) {
      key = this.stmt.textId.get(text)?.id ?? (this.stmt.insertText.get(text) as { id: number }).id;
      this.textKeys.set(text, key);
      this.textsByKey.set(key, text);
    }
    return key;
  }

  private textOf(key: number): string {
    let text = this.textsByKey.get(key);
    if (text === undefined) {
      text = this.stmt.textById.get(key)?.text;
      if (text === undefined) throw new Error(`texts has no key ${key}`);
      this.textsByKey.set(key, text);
    }
    return text;
  }

  /** A list record's compact elements (PROTOCOL.md, "Compact pages") and the text keys they use. */
  private compactRow(r: ListRecordT): { row: string; refs: string } {
    const refs: number[] = [];
    const row = asciiJson(
      JSON.stringify(
        compactRecordElements(r, (value) => {
          const key = this.textKey(value);
          refs.push(key);
          return key;
        }),
      ),
    );
    return { row, refs: refs.join(',') };
  }

  /** Migration to layout 2: the compact form of every list-record upsert already in the log. */
  fillCompactRows(): void {
    const update = this.db.prepare('UPDATE changes SET row = ?, refs = ? WHERE seq = ?');
    const batch = this.db.prepare<[number], { seq: number; data: string }>(
      `SELECT seq, data FROM changes WHERE kind = 'record' AND op = 'upsert' AND row IS NULL AND seq > ? ORDER BY seq LIMIT 10000`,
    );
    this.db.transaction(() => {
      // In batches: a statement may not run while another one's rows are being iterated.
      for (let after = 0, rows = batch.all(after); rows.length > 0; rows = batch.all(after)) {
        for (const r of rows) {
          const c = this.compactRow(JSON.parse(r.data) as ListRecordT);
          update.run(c.row, c.refs, r.seq);
        }
        after = rows.at(-1)?.seq ?? after;
      }
    })();
  }

  private deleteEntity(kind: ChangeKind, id: string): number {
    const seq = Number(this.stmt.insertChange.run(kind, id, 'delete', null, this.clock(), null, null).lastInsertRowid);
    this.stmt.deleteEntity.run(kind, id);
    return seq;
  }

  entity(kind: ChangeKind, id: string): unknown {
    const row = this.stmt.getEntity.get(kind, id);
    return row === undefined ? undefined : JSON.parse(row.data);
  }

  record(id: string): ListRecordT | undefined {
    const data = this.entity('record', id);
    return data === undefined ? undefined : ListRecord.parse(data);
  }

  // ---------------------------------------------------------------- protocol: health, enrolment

  health(): HealthResponse {
    return { ok: this.db.open, protocol: PROTOCOL_VERSION, serverTime: this.clock(), schemaVersion: this.schemaVersion };
  }

  createEnrolCode(department = '市场监督管理局', district = '兰山区', ttlMinutes?: number): string {
    let code = '';
    for (let i = 0; i < 8; i++) code += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
    const now = this.clock();
    this.db
      .prepare('INSERT INTO enrol_codes (code, department, district, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(code, department, district, now, ttlMinutes === undefined ? null : now + ttlMinutes * 60_000);
    return formatEnrolCode(code);
  }

  /** Uses up a one-time code; the token is returned once and only its hash is kept. */
  enrol(request: EnrolRequest): Result<EnrolResponse, ErrorCode> {
    const code = normaliseEnrolCode(request.code);
    return this.db.transaction((): Result<EnrolResponse, ErrorCode> => {
      const row = this.db
        .prepare('SELECT department, district, expires_at AS expiresAt, used_at AS usedAt FROM enrol_codes WHERE code = ?')
        .get(code) as { department: string; district: string; expiresAt: number | null; usedAt: number | null } | undefined;
      if (row === undefined) return { ok: false, error: 'enrol_code_invalid' };
      if (row.usedAt !== null) return { ok: false, error: 'enrol_code_used' };
      const now = this.clock();
      if (row.expiresAt !== null && row.expiresAt < now) return { ok: false, error: 'enrol_code_expired' };
      const deviceId = `D-${randomBytes(6).toString('hex')}`;
      const token = randomBytes(32).toString('base64url');
      this.db
        .prepare(
          'INSERT INTO devices (id, name, token_hash, department, district, enrolled_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(deviceId, request.deviceName, sha256(token), row.department, row.district, now, now);
      this.db.prepare('UPDATE enrol_codes SET used_at = ?, device_id = ? WHERE code = ?').run(now, deviceId, code);
      return { ok: true, value: { deviceId, token, department: row.department, district: row.district } };
    })();
  }

  /** This platform's identity, as written in its list packages. */
  get platformId(): string {
    return this.meta('platformId') ?? 'P-unknown';
  }

  deviceById(id: string): Device | undefined {
    return this.db.prepare('SELECT id, name, department, district FROM devices WHERE id = ?').get(id) as Device | undefined;
  }

  /**
   * A list package for a device that is never online: the same pages a pull from `after` would
   * give (a cursor that would be reset gives a full package from scratch), sealed with its
   * checksum, with receipts for every record received from that device.
   */
  listPackage(deviceId: string, after: string | undefined, limit: number): Record<string, unknown> {
    if (this.deviceById(deviceId) === undefined) throw new CommandError('not_found', `平台上没有设备 ${deviceId}`);
    let cursor = after;
    let first = this.pull({ ...(cursor === undefined ? {} : { after: cursor }), limit });
    if (first.kind === 'reset') {
      cursor = undefined;
      first = this.pull({ limit });
    }
    if (first.kind !== 'page') throw new Error('a pull from scratch cannot be reset');
    const pages: PullPageInput[] = [first.page];
    while (pages[pages.length - 1]?.hasMore) {
      const next = this.pull({ after: (pages[pages.length - 1] as PullPageInput).nextCursor, limit });
      if (next.kind !== 'page') throw new Error('the log changed under the package');
      pages.push(next.page);
    }
    const receipts = (
      this.db.prepare('SELECT id FROM received WHERE device_id = ? ORDER BY received_at, id').all(deviceId) as { id: string }[]
    ).map((r): PushOutcome => ({ id: r.id, status: 'accepted' }));
    return buildListPackage({
      platformId: this.platformId,
      platformName: '参考城市平台',
      deviceId,
      createdAt: this.clock(),
      after: cursor ?? null,
      afterSeq: cursor === undefined ? 0 : (decodeCursor(cursor)?.seq ?? 0),
      schemaVersion: this.schemaVersion,
      pages,
      receipts,
      compactedThrough: this.compactedThrough(),
    });
  }

  authenticate(token: string): Device | undefined {
    const row = this.stmt.deviceByToken.get(sha256(token));
    if (row === undefined) return undefined;
    const { lastSeenAt, ...device } = row;
    // At most one write a minute per device: a pull should not cost an fsync.
    const now = this.clock();
    if (now - lastSeenAt > 60_000) this.stmt.touchDevice.run(now, device.id);
    return device;
  }

  // ---------------------------------------------------------------- protocol: pull

  pull(query: PullQuery): PullAnswer {
    const read = this.readPage(query, this.stmt.changesAfter);
    if (read.kind === 'reset') return read;
    const changes: ChangeInput[] = read.rows.map((r) =>
      r.op === 'delete'
        ? { seq: r.seq, op: 'delete', kind: r.kind, id: r.id }
        : ({ seq: r.seq, op: 'upsert', kind: r.kind, data: JSON.parse(r.data ?? 'null') } as ChangeInput),
    );
    return { kind: 'page', page: { changes, ...read.envelope } };
  }

  /**
   * The same page as `pull`, as the UTF-8 bytes the server sends, with the next cursor while
   * there is more (sent as X-Next-Cursor, PROTOCOL.md): each change's stored JSON is
   * read as bytes (CAST AS BLOB) and spliced in as it is, never decoded into a JS string, parsed
   * or written again. At 1,000,000 records (~700 bytes each) the text version spent ~7 s decoding
   * and re-encoding, this one ~4 s (Node on the build machine).
   */
  pullBytes(query: PullQuery): { kind: 'page'; bytes: Buffer; next: string | null } | { kind: 'reset'; reason: ResetReason } {
    if (query.format === 'compact') return this.pullCompact(query);
    const read = this.readPage(query, this.stmt.changesAfterBytes);
    if (read.kind === 'reset') return read;
    // The small JSON around each change is ASCII (seq, op, kind, id): written straight into
    // one buffer with the stored bytes, no Buffer per piece (3 per change cost ~1.5 s of GC per
    // 1,000,000).
    const heads = read.rows.map((r, i) => {
      const comma = i === 0 ? '' : ',';
      return r.op === 'delete' || r.data === null
        ? comma + JSON.stringify({ seq: r.seq, op: 'delete', kind: r.kind, id: r.id })
        : `${comma}{"seq":${r.seq},"op":"upsert","kind":${JSON.stringify(r.kind)},"data":`;
    });
    const open = '{"changes":[';
    const close = `],${JSON.stringify(read.envelope).slice(1)}`;
    let size = open.length + Buffer.byteLength(close);
    read.rows.forEach((r, i) => {
      size += Buffer.byteLength(heads[i] as string) + (r.op === 'delete' || r.data === null ? 0 : r.data.length + 1);
    });
    const out = Buffer.allocUnsafe(size);
    let at = out.write(open, 0, 'latin1');
    read.rows.forEach((r, i) => {
      at += out.write(heads[i] as string, at, 'utf8');
      if (r.op === 'delete' || r.data === null) return;
      at += r.data.copy(out, at);
      out[at++] = 0x7d; // }
    });
    at += out.write(close, at, 'utf8');
    if (at !== size) throw new Error(`pull page assembled ${at} of ${size} bytes`);
    return { kind: 'page', bytes: out, next: read.envelope.hasMore ? read.envelope.nextCursor : null };
  }

  /**
   * A compact page (PROTOCOL.md, "Compact pages"): each list-record upsert as `[seq,` and its
   * stored compact elements, the texts they refer to once in `texts`; every other change as
   * in a full page. Bytes spliced as in pullBytes; ~275 bytes a generated record instead of ~710.
   */
  private pullCompact(query: PullQuery): { kind: 'page'; bytes: Buffer; next: string | null } | { kind: 'reset'; reason: ResetReason } {
    const read = this.readPage(query, this.stmt.changesAfterCompact);
    if (read.kind === 'reset') return read;
    const keys = new Set<string>();
    // Every change but a compact record whole in its head (measures, matters and tombstones are
    // few), all of it ASCII like the stored rows.
    const heads = read.rows.map((r, i) => {
      const comma = i === 0 ? '' : ',';
      if (r.op === 'delete') return comma + asciiJson(JSON.stringify({ seq: r.seq, op: 'delete', kind: r.kind, id: r.id }));
      if (r.row !== null) {
        if (r.refs) for (const k of r.refs.split(',')) keys.add(k);
        return `${comma}[${r.seq},`;
      }
      return `${comma}{"seq":${r.seq},"op":"upsert","kind":${JSON.stringify(r.kind)},"data":${asciiJson(r.data?.toString('utf8') ?? 'null')}}`;
    });
    const texts: Record<string, string> = {};
    for (const k of keys) texts[k] = this.textOf(Number(k));
    const open = '{"changes":[';
    const close = `],"texts":${asciiJson(JSON.stringify(texts))},${asciiJson(JSON.stringify(read.envelope).slice(1))}`;
    let size = open.length + close.length;
    read.rows.forEach((r, i) => {
      // The stored row's `[` is replaced by the head's.
      size += (heads[i] as string).length + (r.op !== 'delete' && r.row !== null ? r.row.length - 1 : 0);
    });
    const out = Buffer.allocUnsafe(size);
    let at = out.write(open, 0, 'latin1');
    read.rows.forEach((r, i) => {
      at += out.write(heads[i] as string, at, 'latin1');
      if (r.op !== 'delete' && r.row !== null) at += r.row.copy(out, at, 1);
    });
    at += out.write(close, at, 'latin1');
    if (at !== size) throw new Error(`compact pull page assembled ${at} of ${size} bytes`);
    return { kind: 'page', bytes: out, next: read.envelope.hasMore ? read.envelope.nextCursor : null };
  }

  private readPage<R extends ChangeRow<unknown>>(
    query: PullQuery,
    statement: Database.Statement<[number, number], R>,
  ): { kind: 'page'; rows: R[]; envelope: Omit<PullPageInput, 'changes'> } | { kind: 'reset'; reason: ResetReason } {
    // better-sqlite3 is synchronous: nothing can commit between these statements.
    const high = this.highSeq();
    const schemaVersion = this.schemaVersion;
    let after = 0;
    /** Set while the request belongs to a first load: the high seq when that load began. */
    let snapshot: number | undefined;
    if (query.after === undefined) {
      snapshot = high;
    } else {
      const cursor = decodeCursor(query.after);
      if (cursor === undefined) return { kind: 'reset', reason: 'cursor_unknown' };
      if (cursor.schema !== schemaVersion) return { kind: 'reset', reason: 'schema_changed' };
      if (cursor.seq > high || (cursor.snapshot ?? 0) > high) return { kind: 'reset', reason: 'cursor_unknown' };
      // Below the floor a tombstone the client needs may be gone, unless its first load began
      // after the compaction (it then never saw what the tombstone would have removed).
      const loadBeganAfterCompaction = cursor.snapshot !== undefined && cursor.snapshot >= this.compactionMark();
      if (cursor.seq < this.compactedThrough() && !loadBeganAfterCompaction) return { kind: 'reset', reason: 'cursor_too_old' };
      after = cursor.seq;
      snapshot = cursor.snapshot;
    }
    const rows = statement.all(after, query.limit + 1);
    const hasMore = rows.length > query.limit;
    if (hasMore) rows.pop();
    // With nothing more to read the client is at `high` (seqs burned by compaction included).
    const nextSeq = hasMore ? (rows.at(-1)?.seq ?? after) : Math.max(high, after);
    const nextSnapshot = snapshot !== undefined && nextSeq < snapshot ? snapshot : undefined;
    const envelope: Omit<PullPageInput, 'changes'> = {
      nextCursor: encodeCursor({ schema: schemaVersion, seq: nextSeq, snapshot: nextSnapshot }),
      hasMore,
      schemaVersion,
    };
    if (snapshot !== undefined) envelope.snapshotSeq = snapshot;
    return { kind: 'page', rows, envelope };
  }

  // ---------------------------------------------------------------- protocol: push

  /**
   * Receives a batch in one transaction. Idempotent on the id: an id already received is
   * 'duplicate' (never stored or counted twice). A record that breaks the schema or a business
   * rule is 'rejected' with a reason, alone; rejected records are not kept, so a corrected
   * record may be sent again under the same id.
   */
  push(device: Device, records: readonly { id: string; payload: unknown }[]): PushOutcome[] {
    const now = this.clock();
    return this.db.transaction(() =>
      records.map(({ id, payload }): PushOutcome => {
        const parsed = OutboxPayload.safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue === undefined ? '' : `${issue.path.join('.')}：${issue.message}`;
          return reject(id, 'invalid_record', `记录不符合协议（${where}），请联系技术支持`);
        }
        const item = parsed.data;
        if (id !== outboxId(item)) return reject(id, 'id_mismatch', `记录编号应为 ${outboxId(item)}`);
        const hash = sha256(canonicalJson(item));
        const had = this.stmt.received.get(id);
        if (had !== undefined) {
          return had.hash === hash
            ? { id, status: 'duplicate' }
            : { id, status: 'duplicate', reason: '该编号的记录已接收过，内容与本次不同，以首次接收的为准' };
        }
        const refused = this.businessCheck(item);
        if (refused !== undefined) return reject(id, refused.code, refused.reason);
        this.stmt.insertReceived.run(id, item.kind, item.record.id, device.id, JSON.stringify(item), hash, now);
        return { id, status: 'accepted' };
      }),
    )();
  }

  private businessCheck(item: OutboxPayload): { code: RejectionCode; reason: string } | undefined {
    const matter = (id: string) =>
      this.stmt.getEntity.get('matter', id) === undefined
        ? { code: 'unknown_matter' as const, reason: `审批事项 ${id} 不在平台事项清单中，请更新事项清单后重新核查` }
        : undefined;
    const measure = (id: string) =>
      this.stmt.getEntity.get('measure', id) === undefined
        ? { code: 'unknown_measure' as const, reason: `措施 ${id} 不在平台措施清单中，请更新措施清单后重新填报` }
        : undefined;
    switch (item.kind) {
      case 'check': {
        const r = item.record;
        const person = r.subjectType === '自然人';
        return (
          matter(r.matterId) ??
          identifierCheck(r.identifier, person ? 'person' : 'organisation') ??
          r.decisions.map((d) => measure(d.measureId)).find((x) => x !== undefined)
        );
      }
      case 'feedback':
        return matter(item.record.matterId) ?? measure(item.record.measureId) ?? identifierCheck(item.record.identifier, 'any');
      case 'commitment':
        return matter(item.record.matterId) ?? identifierCheck(item.record.identifier, 'any');
      case 'objection':
        return this.stmt.getEntity.get('record', item.record.recordId) === undefined
          ? { code: 'unknown_record', reason: `名单记录 ${item.record.recordId} 在平台上不存在（可能已撤销），无法受理异议` }
          : undefined;
      case 'finding':
        return identifierCheck(item.record.identifier, 'any');
      case 'audit':
        return this.auditCheck(item.record);
    }
  }

  /**
   * An audit entry must hash to its `hash` (shared/domain/audit.ts), and follow the entry of
   * seq − 1 of the same chain when that one was received: a workstation whose trail was edited
   * or cut after sending cannot continue it unnoticed.
   */
  private auditCheck(record: AuditRecord): { code: RejectionCode; reason: string } | undefined {
    const { entry, chain } = record;
    if (sha256(auditHashInput(entry)) !== entry.hash) {
      return { code: 'audit_chain_broken', reason: `审计日志第 ${entry.seq} 条的哈希与内容不符：本机审计日志可能被改动，请联系管理员` };
    }
    if (entry.seq > 1) {
      const prev = this.stmt.receivedPayload.get(`audit:${chain}:${entry.seq - 1}`);
      if (prev !== undefined) {
        const parsed = OutboxPayload.safeParse(JSON.parse(prev.payload));
        const prevHash = parsed.success && parsed.data.kind === 'audit' ? parsed.data.record.entry.hash : undefined;
        if (prevHash !== entry.prevHash) {
          return { code: 'audit_chain_broken', reason: `审计日志第 ${entry.seq} 条与平台已收到的第 ${entry.seq - 1} 条不衔接：本机审计日志可能被改动，请联系管理员` };
        }
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------- admin

  /**
   * Applies commands in order in ONE transaction (all or none: the first that fails undoes
   * the others), e.g. the 10,000 edits the sync benchmark makes between two pulls.
   */
  applyAll(inputs: readonly AdminCommand[]): { count: number; firstSeq?: number; lastSeq?: number } {
    return this.db.transaction(() => {
      let firstSeq: number | undefined;
      let lastSeq: number | undefined;
      for (const input of inputs) {
        const { seq } = this.apply(input);
        if (seq !== undefined) {
          firstSeq ??= seq;
          lastSeq = seq;
        }
      }
      return { count: inputs.length, ...(firstSeq === undefined ? {} : { firstSeq }), ...(lastSeq === undefined ? {} : { lastSeq }) };
    })();
  }

  apply(input: AdminCommand): CommandResult {
    const cmd = AdminCommand.parse(input);
    return this.db.transaction((): CommandResult => {
      switch (cmd.op) {
        case 'add': {
          if (this.stmt.getEntity.get('record', cmd.record.id) !== undefined) {
            throw new CommandError('conflict', `名单记录 ${cmd.record.id} 已存在`);
          }
          const data = ListRecord.parse({ ...cmd.record, version: 1 });
          return { seq: this.putEntity('record', data.id, 1, data), data };
        }
        case 'change': {
          if ('id' in cmd.patch || 'version' in cmd.patch) throw new CommandError('bad_request', '不能修改记录编号和版本号');
          return this.newVersion(cmd.id, (r) => {
            const next: Record<string, unknown> = { ...r };
            for (const [k, v] of Object.entries(cmd.patch)) {
              if (v === null) delete next[k];
              else next[k] = v;
            }
            return next;
          });
        }
        case 'expire':
          return this.newVersion(cmd.id, (r) => ({ ...r, validTo: addDays(cmd.on ?? this.today(), -1) }));
        case 'remove':
          return this.newVersion(cmd.id, (r) => ({ ...r, removedOn: cmd.on ?? this.today() }));
        case 'repair':
          return this.newVersion(cmd.id, (r) => ({ ...r, repairedOn: cmd.on ?? this.today() }));
        case 'objection':
          return this.newVersion(cmd.id, (r) => {
            const pending = r.objection === 'pending';
            if (cmd.action === 'raise' && pending) throw new CommandError('conflict', `名单记录 ${cmd.id} 已在异议处理中`);
            if (cmd.action !== 'raise' && !pending) throw new CommandError('conflict', `名单记录 ${cmd.id} 没有处理中的异议`);
            const objection = cmd.action === 'raise' ? 'pending' : cmd.action === 'reject' ? 'rejected' : 'upheld';
            return { ...r, objection };
          });
        case 'delete': {
          if (this.stmt.getEntity.get(cmd.kind, cmd.id) === undefined) {
            throw new CommandError('not_found', `平台上没有 ${cmd.kind} ${cmd.id}`);
          }
          return { seq: this.deleteEntity(cmd.kind, cmd.id) };
        }
        case 'putMeasure':
          return { seq: this.putEntity('measure', cmd.measure.id, null, cmd.measure), data: cmd.measure };
        case 'putMatter':
          return { seq: this.putEntity('matter', cmd.matter.id, null, cmd.matter), data: cmd.matter };
        case 'enrolCode':
          return { code: this.createEnrolCode(cmd.department, cmd.district, cmd.ttlMinutes) };
        case 'compact':
          return this.compact(cmd.through);
        case 'setSchemaVersion':
          this.setMeta('schemaVersion', String(cmd.version));
          return { schemaVersion: cmd.version };
      }
    })();
  }

  private newVersion(id: string, edit: (r: ListRecordT) => Record<string, unknown>): CommandResult {
    const current = this.record(id);
    if (current === undefined) throw new CommandError('not_found', `平台上没有名单记录 ${id}`);
    const parsed = ListRecord.safeParse({ ...edit(current), version: current.version + 1 });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CommandError('bad_request', `修改后的记录不合规：${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
    }
    return { seq: this.putEntity('record', id, parsed.data.version, parsed.data), data: parsed.data };
  }

  /**
   * Drops every change at or below `through` that a later change (also at or below it) of the
   * same entity supersedes, and every tombstone at or below it. Reading the log from 0 still
   * ends in the same state; a cursor below `through` may miss a tombstone, so it gets reset.
   */
  compact(through = this.highSeq()): CommandResult {
    const floor = Math.min(through, this.highSeq());
    return this.db.transaction((): CommandResult => {
      const { changes } = this.db
        .prepare(
          `DELETE FROM changes WHERE seq <= @floor AND (op = 'delete' OR seq < (
             SELECT MAX(c2.seq) FROM changes AS c2 WHERE c2.kind = changes.kind AND c2.id = changes.id AND c2.seq <= @floor))`,
        )
        .run({ floor });
      const newFloor = Math.max(floor, this.compactedThrough());
      this.setMeta('compactedThrough', String(newFloor));
      // Burn one seq: a first load that begins after this compaction gets a snapshotSeq above
      // every snapshotSeq handed out before it, which is how pull() tells the two apart.
      this.db.prepare(`UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'changes'`).run();
      this.setMeta('compactionMark', String(this.highSeq()));
      return { floor: newFloor, removed: changes };
    })();
  }

  // ---------------------------------------------------------------- inspection

  /** Digest of the current state, the same function a test applies to what it pulled. */
  digest(): { count: number; digest: string; highSeq: number } {
    const rows = this.db.prepare('SELECT kind, id, data FROM current_entities').iterate() as IterableIterator<{
      kind: ChangeKind;
      id: string;
      data: string;
    }>;
    const entries = (function* () {
      for (const r of rows) yield { kind: r.kind, id: r.id, data: JSON.parse(r.data) as unknown };
    })();
    return { ...stateDigest(entries), highSeq: this.highSeq() };
  }

  /** The order-independent checksum of sum-digest.ts over the current entities (fast, streaming). */
  sumDigest(): SumDigest & { highSeq: number } {
    const digester = new SumDigester();
    for (const r of this.db.prepare('SELECT kind, id, data FROM current_entities').iterate() as IterableIterator<{ kind: string; id: string; data: string }>) {
      digester.add(r.kind, r.id, JSON.parse(r.data));
    }
    return { ...digester.result(), highSeq: this.highSeq() };
  }

  stats(): Record<string, unknown> {
    const count = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const byKind = this.db.prepare('SELECT kind, COUNT(*) AS n FROM received GROUP BY kind').all() as { kind: string; n: number }[];
    return {
      records: count(`SELECT COUNT(*) AS n FROM current_entities WHERE kind = 'record'`),
      measures: count(`SELECT COUNT(*) AS n FROM current_entities WHERE kind = 'measure'`),
      matters: count(`SELECT COUNT(*) AS n FROM current_entities WHERE kind = 'matter'`),
      changes: count('SELECT COUNT(*) AS n FROM changes'),
      highSeq: this.highSeq(),
      compactedThrough: this.compactedThrough(),
      schemaVersion: this.schemaVersion,
      devices: count('SELECT COUNT(*) AS n FROM devices'),
      received: count('SELECT COUNT(*) AS n FROM received'),
      receivedByKind: Object.fromEntries(byKind.map((r) => [r.kind, r.n])),
      seededWith: JSON.parse(this.meta('seededWith') ?? 'null') as unknown,
    };
  }

  /** A received record as the device sent it (the outbox payload), or undefined. */
  receivedPayload(id: string): OutboxPayload | undefined {
    const row = this.db.prepare('SELECT payload FROM received WHERE id = ?').get(id) as { payload: string } | undefined;
    return row === undefined ? undefined : OutboxPayload.parse(JSON.parse(row.payload));
  }

  received(): ReceivedRow[] {
    return this.db
      .prepare(
        'SELECT id, kind, record_id AS recordId, device_id AS deviceId, received_at AS receivedAt FROM received ORDER BY received_at, id',
      )
      .all() as ReceivedRow[];
  }
}

function reject(id: string, code: RejectionCode, reason: string): PushOutcome {
  return { id, status: 'rejected', code, reason };
}

function identifierCheck(
  identifier: string,
  expect: 'person' | 'organisation' | 'any',
): { code: 'invalid_identifier'; reason: string } | undefined {
  const results =
    expect === 'person' ? [validateIdNumber(identifier)]
    : expect === 'organisation' ? [validateUscc(identifier), validateOrgCode(identifier)]
    : [validateUscc(identifier), validateIdNumber(identifier), validateOrgCode(identifier)];
  if (results.some((r) => r.status !== 'invalid')) return undefined;
  const why = results[0]?.reason ?? '';
  return { code: 'invalid_identifier', reason: `主体标识 ${identifier} 无效：${why}` };
}
