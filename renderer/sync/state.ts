/**
 * What the sync engine keeps in the `meta` table, and the staging of a first load.
 *
 * - `sync.enrolment`  platform address, device id, department, district (the token is NOT here:
 *                      it lives in the OS secret store through the bridge)
 * - `sync.config`      automatic sync on/off and its interval
 * - `sync.pull`        the platform's opaque cursor and the seq of the last change applied,
 *                      written in the same transaction as the page they came with
 * - `sync.load`        a first load (or a reload after "start over") in progress: its own cursor,
 *                      how far it got, and its phase (download → downloaded → switched)
 * - `sync.loadCatalogue` the measures and matters of that load (a few hundred: kept whole)
 * - `sync.stage.NNNNNN` the list-record changes of downloaded page N, one row per page, written
 *                      in the same transaction as `sync.load` (so a load resumes where it
 *                      stopped; the mirror itself is only replaced when the load is complete)
 * - `sync.platformId`  the platform identity of the first list package accepted
 */
import { z } from 'zod';
import type { ListRecord, Matter, Measure } from '../../shared/domain/schemas';
import { sequencePage, type EnrolmentInfo } from '../../shared/sync/engine-core';
import { decodePage, type Change } from '../../shared/sync/protocol';
import type { HechataiDb, MetaRow } from '../db/database';
import { rawDb, tx, txDone } from '../db/idb';
import { readMeta } from '../db/meta';

export const SYNC_META = {
  enrolment: 'sync.enrolment',
  config: 'sync.config',
  pull: 'sync.pull',
  load: 'sync.load',
  loadCatalogue: 'sync.loadCatalogue',
  platformId: 'sync.platformId',
  lastExport: 'sync.lastExport',
} as const;

const STAGE_PREFIX = 'sync.stage.';
/** Keys of staged pages sort in page order. */
export const stageKey = (page: number): string => `${STAGE_PREFIX}${String(page).padStart(8, '0')}`;
const STAGE_RANGE = (): IDBKeyRange => IDBKeyRange.bound(STAGE_PREFIX, `${STAGE_PREFIX}\uffff`);

export const MirrorSourceKind = z.enum(['platform', 'file']);
export type MirrorSourceKind = z.infer<typeof MirrorSourceKind>;

export const EnrolmentSchema = z.object({
  baseUrl: z.string().min(1),
  deviceId: z.string().min(1),
  deviceName: z.string(),
  department: z.string(),
  district: z.string(),
  enrolledAt: z.number(),
}) satisfies z.ZodType<EnrolmentInfo>;

export const SyncConfig = z.object({
  autoSync: z.boolean(),
  intervalMs: z.number().int().min(10_000).max(7 * 24 * 3_600_000),
});
export type SyncConfig = z.infer<typeof SyncConfig>;
export const DEFAULT_SYNC_CONFIG: SyncConfig = { autoSync: true, intervalMs: 5 * 60_000 };

export const PullState = z.object({
  cursor: z.string().min(1),
  /** Seq of the last change applied: repeats at or below it are dropped. */
  lastSeq: z.number().int().nonnegative(),
  source: MirrorSourceKind,
});
export type PullState = z.infer<typeof PullState>;

export const LoadState = z.object({
  reason: z.enum(['first', 'reset']),
  message: z.string().optional(),
  source: MirrorSourceKind,
  /** null before the first page: a first load sends no cursor. */
  cursor: z.string().nullable(),
  lastSeq: z.number().int().nonnegative(),
  snapshotSeq: z.number().int().nonnegative().nullable(),
  /** Staged pages (only pages with list-record changes are staged). */
  pages: z.number().int().nonnegative(),
  /** List-record upserts staged. */
  records: z.number().int().nonnegative(),
  startedAt: z.number(),
  /**
   * download: pages still to fetch; downloaded: every page staged, the mirror not yet built;
   * switched: the new generation is current, the changes to records met twice in the load are
   * still to be applied (then the load is cleared).
   */
  phase: z.enum(['download', 'downloaded', 'switched']),
});
export type LoadState = z.infer<typeof LoadState>;

export interface LoadCatalogue {
  /** id → the measure as it now is, or null once deleted. */
  measures: Record<string, Measure | null>;
  matters: Record<string, Matter | null>;
}
const LoadCatalogueSchema = z.object({
  measures: z.record(z.string(), z.unknown()),
  matters: z.record(z.string(), z.unknown()),
});

/** A list-record change as staged (the change's seq kept for the overflow order). */
export type StagedChange = { seq: number; op: 'upsert'; record: ListRecord } | { seq: number; op: 'delete'; id: string };
/** A staged page as read back: its list-record changes. */
export interface StageRow {
  changes: StagedChange[];
}

/**
 * A staged page as stored: the page's bytes as the platform sent them (protocol JSON) with the
 * seq the load had reached before it, or, from an adapter without raw pages, its list-record
 * changes as objects.
 */
export type StoredStage = { raw: Blob; afterSeq: number } | StageRow;

/** The list-record part of a change (measures and matters are kept in the load's catalogue). */
export function toStaged(c: Change): StagedChange | undefined {
  if (c.kind !== 'record') return undefined;
  return c.op === 'upsert' ? { seq: c.seq, op: 'upsert', record: c.data as ListRecord } : { seq: c.seq, op: 'delete', id: c.id };
}

export async function readEnrolment(db: HechataiDb): Promise<EnrolmentInfo | null> {
  return (await readMeta(db, SYNC_META.enrolment, EnrolmentSchema.nullable())) ?? null;
}

export async function readConfig(db: HechataiDb): Promise<SyncConfig> {
  return (await readMeta(db, SYNC_META.config, SyncConfig)) ?? DEFAULT_SYNC_CONFIG;
}

export async function readPull(db: HechataiDb): Promise<PullState | null> {
  return (await readMeta(db, SYNC_META.pull, PullState.nullable())) ?? null;
}

export async function readLoad(db: HechataiDb): Promise<LoadState | null> {
  return (await readMeta(db, SYNC_META.load, LoadState.nullable())) ?? null;
}

export async function readLoadCatalogue(db: HechataiDb): Promise<LoadCatalogue> {
  const value = await readMeta(db, SYNC_META.loadCatalogue, LoadCatalogueSchema.nullable());
  return (value as LoadCatalogue | null | undefined) ?? { measures: {}, matters: {} };
}

export async function readPlatformId(db: HechataiDb): Promise<string | null> {
  return (await readMeta(db, SYNC_META.platformId, z.string().nullable())) ?? null;
}

/** The sync position as one value (for tests and the status screen). */
export async function syncPosition(db: HechataiDb): Promise<{ pull: PullState | null; load: LoadState | null }> {
  const [pull, load] = await Promise.all([readPull(db), readLoad(db)]);
  return { pull, load };
}

/**
 * Starts a load from scratch: removes what an earlier load staged and records the new one.
 * One transaction: a crash leaves either the old load or the new, never a mix.
 */
export async function beginLoad(db: HechataiDb, load: LoadState): Promise<void> {
  const idb = await rawDb(db);
  const t = tx(idb, ['meta'], 'readwrite', 'relaxed');
  const meta = t.objectStore('meta');
  meta.delete(STAGE_RANGE());
  meta.put({ key: SYNC_META.load, value: load } satisfies MetaRow);
  meta.put({ key: SYNC_META.loadCatalogue, value: null } satisfies MetaRow);
  await txDone(t);
}

/**
 * Stores one downloaded page of a load with the load's new position, in ONE transaction.
 * Relaxed durability is enough: a crash may lose the last page, but then it loses its cursor
 * with it, and the page is fetched again.
 */
export async function stagePage(
  db: HechataiDb,
  next: LoadState,
  page: StoredStage | undefined,
  catalogue: LoadCatalogue | undefined,
): Promise<void> {
  const idb = await rawDb(db);
  const t = tx(idb, ['meta'], 'readwrite', 'relaxed');
  const meta = t.objectStore('meta');
  if (page) meta.put({ key: stageKey(next.pages), value: page satisfies StoredStage } satisfies MetaRow);
  if (catalogue) meta.put({ key: SYNC_META.loadCatalogue, value: catalogue } satisfies MetaRow);
  meta.put({ key: SYNC_META.load, value: next } satisfies MetaRow);
  await txDone(t);
}

/**
 * A staged page's list-record changes. Raw pages are decoded and validated again, and only the
 * changes after the seq the load had reached before them are kept (as when they were staged).
 */
export async function readStage(db: HechataiDb, page: number): Promise<StageRow> {
  const row = await db.meta.get(stageKey(page));
  const value = row?.value as Partial<{ raw: unknown; afterSeq: unknown; changes: unknown }> | undefined;
  if (value && value.raw instanceof Blob && typeof value.afterSeq === 'number') {
    const decoded = decodePage(new Uint8Array(await value.raw.arrayBuffer()));
    const verdict = decoded.ok ? sequencePage(decoded.value, value.afterSeq) : undefined;
    if (verdict?.kind !== 'apply') throw new Error(`同步暂存的第 ${page} 页已损坏，将重新下载名单`);
    const changes: StagedChange[] = [];
    for (const c of verdict.fresh) {
      const staged = toStaged(c);
      if (staged) changes.push(staged);
    }
    return { changes };
  }
  if (!value || !Array.isArray(value.changes)) throw new Error(`同步暂存的第 ${page} 页缺失，将重新下载名单`);
  return { changes: value.changes as StagedChange[] };
}

/** Removes every staged page (after a load is complete, or before a new one). */
export async function clearStage(db: HechataiDb): Promise<void> {
  const idb = await rawDb(db);
  const t = tx(idb, ['meta'], 'readwrite', 'relaxed');
  t.objectStore('meta').delete(STAGE_RANGE());
  await txDone(t);
}

/** Checks that the staged rows of a load are all there (a resumed load trusts them). */
export async function stagedPages(db: HechataiDb): Promise<number> {
  return db.meta.where('key').startsWith(STAGE_PREFIX).count();
}
