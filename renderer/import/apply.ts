/**
 * Writes a validated import to the database, whole or nothing, and only for an administrator:
 * the permission is checked here, in the data layer, so no screen can skip it.
 *
 * - List records: an upsert whose version is not higher than the record the mirror holds is
 *   ignored (importing the same file again changes nothing, a corrected record needs a higher
 *   版本号; a record the platform deleted comes back); the summary says how many. Every list
 *   import goes through mirror-store's `applyChanges`: under the mirror's write lock, the
 *   current versions of the base are read in rounds (read-only, with progress and cancel
 *   between them), then the records are written as rows of the delta log (mirrorDeltaLog) in
 *   ONE strict transaction, whole or nothing; its cost grows with the import, not with the
 *   mirror. The screen passes `writer`
 *   (workerListWriter in apply-worker.ts) so that the checks and the transaction run in the
 *   mirror worker; when the import makes the delta due for compaction, the worker then folds it
 *   into a new generation in the background (`mirrorReorganised` in the summary), while
 *   look-ups read the current generation and the delta.
 * - Measures and matters: `bulkPut` of the new and changed ones in one Dexie transaction.
 * In both cases `import.last.<kind>` (who, when, how many) is written in the same transaction.
 *
 * The records are parsed with their schemas again here: this function is an API of the data
 * layer, and must not trust that its caller ran the validation.
 */
import type { EntityTable, IDType } from 'dexie';
import { z } from 'zod';
import { assertCan, type Role } from '../../shared/domain/accounts';
import type { AuditEvent } from '../../shared/domain/audit';
import { canonicalJson } from '../../shared/domain/audit';
import { ListRecord, Matter, Measure } from '../../shared/domain/schemas';
import { IMPORT_KINDS, type ImportKind } from '../../shared/import/columns';
import { fastListRecord } from '../../shared/sync/fast-change';
import type { ImportOk } from '../../shared/import/validate';
import type { HechataiDb } from '../db/database';
import { appendPendingAudit, pendingAuditKey, recordAudit, withAudit } from '../db/audit-log';
import { requirePermission, type Session } from '../db/session';
import { applyChanges, type ApplyResult, type MirrorChange } from '../db/mirror-store';

export interface ImportActor {
  login: string;
  role: Role;
  disabled?: boolean;
}

export interface ApplySummary {
  kind: ImportKind;
  /** Records in the file. */
  rows: number;
  /** Lists: records written; measures / matters: new + changed. */
  applied: number;
  /** Lists: records the mirror already holds at the same or a newer version. */
  ignored: number;
  /** Measures / matters: new ones, changed ones, unchanged ones. */
  added?: number;
  updated?: number;
  unchanged?: number;
  /**
   * The entry written to the audit trail (action 'import'). Measures and matters: in the
   * import's own transaction. Lists (committed in the mirror worker, outside Dexie): the event is
   * stored in `meta` in the import's transaction and moved into the trail right after; a crash
   * in between leaves it there for the next start (audit-log.ts appendPendingAudits).
   */
  audit: AuditEvent;
  /**
   * Lists: present when the import made the mirror due for compaction and the worker is folding
   * the delta into a new generation in the background; resolves when it is over: true if it
   * finished, false if it gave up (the next start tries again). Look-ups meanwhile read the
   * current generation and the delta.
   */
  mirrorReorganised?: Promise<boolean>;
}

/** What a list import asks of the place it is applied in: the records, checked again there. */
export interface ListImportJob {
  actor: ImportActor;
  /** Written in the import's transaction (import.last.list). */
  meta: Record<string, unknown>;
  /**
   * The import's audit event, stored under `key` in the import's own transaction with the
   * counts filled in (`applied`, `ignored` in its detail); applyImport then moves it into the
   * trail (audit-log.ts appendPendingAudit), so a crash in between cannot lose it.
   */
  audit?: { key: string; event: AuditEvent };
  signal?: AbortSignal;
  onProgress?: (done: number, total?: number) => void;
}

/** What a list writer reports: the counts, and the background compaction if one started. */
export interface ListWriteResult extends ApplyResult {
  mirrorReorganised?: Promise<boolean>;
}

/** Applies a list import somewhere else (the mirror worker: workerListWriter in apply-worker.ts). */
export type ListWriter = (records: readonly ListRecord[], job: ListImportJob) => Promise<ListWriteResult>;

export interface ApplyOptions {
  now?: number;
  /** Shown in the audit detail (a base name, never a path). */
  fileName?: string;
  /** Where a list import is applied; default: here, on this thread (applyListImport). */
  writer?: ListWriter;
  /** Cancels a list import while its transaction runs (nothing is written then). */
  signal?: AbortSignal;
  /** Progress of a list import: records checked against the mirror, of `total`. */
  onProgress?: (done: number, total?: number) => void;
}

/** meta key of the last import of a kind. */
export const lastImportKey = (kind: ImportKind): string => `import.last.${kind}`;

function parseAll<T>(schema: z.ZodType<T>, records: readonly unknown[]): T[] {
  const parsed = z.array(schema).safeParse(records);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`导入数据未通过校验（第 ${Number(issue?.path[0] ?? 0) + 1} 条 ${issue?.path.slice(1).join('.') ?? ''}：${issue?.message ?? ''}），未导入任何数据`);
  }
  return uniqueIds(parsed.data);
}

function uniqueIds<T>(records: T[]): T[] {
  const ids = new Set<string>();
  for (const r of records as { id: string }[]) {
    if (ids.has(r.id)) throw new Error(`导入数据中编号“${r.id}”重复，未导入任何数据`);
    ids.add(r.id);
  }
  return records;
}

/**
 * List records checked by the hand-written fast path of the sync pull (fastListRecord: the
 * same result as the schema, proven against it); on the first it is unsure of, the schema
 * checks them all and words the refusal. 100,000 records: zod took ~1–2 s of the apply.
 */
function parseListRecords(records: readonly unknown[]): ListRecord[] {
  const out: ListRecord[] = [];
  for (const r of records) {
    const fast = fastListRecord(r);
    if (fast === undefined) return parseAll(ListRecord, records);
    out.push(fast);
  }
  return uniqueIds(out);
}

/** Upserts measures or matters: new and changed rows are written, unchanged ones counted. */
async function putCatalogue<T extends { id: string }>(
  db: HechataiDb,
  table: EntityTable<T, 'id'>,
  records: readonly T[],
  meta: { key: string; value: unknown },
): Promise<{ added: number; updated: number; unchanged: number }> {
  return db.transaction('rw', [table, db.meta], async () => {
    const existing = await table.bulkGet(records.map((r) => r.id) as IDType<T, 'id'>[]);
    const changed: T[] = [];
    let added = 0;
    let updated = 0;
    records.forEach((r, i) => {
      const old = existing[i];
      if (!old) added++;
      else if (canonicalJson(old) !== canonicalJson(r)) updated++;
      else return;
      changed.push(r);
    });
    // An error here rejects the transaction's promise, and Dexie aborts it: nothing is kept.
    await table.bulkPut(changed);
    await db.meta.put(meta);
    return { added, updated, unchanged: records.length - changed.length };
  });
}

/**
 * Applies a validated import. Throws PermissionDenied (Chinese message) unless the actor may
 * import lists (管理员), and an Error if the records do not pass their schemas; either way
 * nothing is written.
 */
export async function applyImport(db: HechataiDb, session: Session, result: ImportOk, opts: ApplyOptions = {}): Promise<ApplySummary> {
  // The gate: a live session of a role that may import (renderer/db/session.ts). The worker
  // checks the role again, but sessions do not cross into workers, so this is where a
  // hand-made actor is refused.
  const actor: ImportActor = requirePermission(session, 'list.import');
  const at = opts.now ?? Date.now();
  const rows = result.records.length;
  const meta = { at, login: actor.login, rows, ...(opts.fileName ? { fileName: opts.fileName } : {}) };
  const audit = (applied: number, ignored: number): AuditEvent => ({
    at,
    actor: actor.login,
    role: actor.role,
    action: 'import',
    detail: { kind: IMPORT_KINDS[result.kind].label, rows, applied, ignored, ...(opts.fileName ? { file: opts.fileName.slice(0, 200) } : {}) },
  });

  if (result.kind === 'list') {
    // The records are checked again where they are applied.
    const pending = { key: pendingAuditKey(), event: audit(0, 0) };
    const job: ListImportJob = {
      actor,
      meta: { [lastImportKey('list')]: meta },
      audit: pending,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    };
    const r: ListWriteResult = opts.writer ? await opts.writer(result.records, job) : await applyListImport(db, actor, result.records, job);
    const event = audit(r.applied, r.ignored);
    // Appended from what the import's transaction stored; a writer that did not store it (none
    // here does) still gets its entry.
    if (!(await appendPendingAudit(db, pending.key))) await recordAudit(db, event);
    return { kind: 'list', rows, applied: r.applied, ignored: r.ignored, audit: event, ...(r.mirrorReorganised ? { mirrorReorganised: r.mirrorReorganised } : {}) };
  }
  // The catalogue's rows and the audit entry in one transaction (putCatalogue's nests in it).
  const { result: counts } = await withAudit(
    db,
    result.kind === 'measure' ? [db.measures] : [db.matters],
    () =>
      result.kind === 'measure'
        ? putCatalogue(db, db.measures, parseAll(Measure, result.records), { key: lastImportKey('measure'), value: meta })
        : putCatalogue(db, db.matters, parseAll(Matter, result.records), { key: lastImportKey('matter'), value: meta }),
    (c) => audit(c.added + c.updated, 0),
  );
  const applied = counts.added + counts.updated;
  return { kind: result.kind, rows, applied, ignored: 0, ...counts, audit: audit(applied, 0) };
}

/**
 * A list import where it is applied (the mirror worker, or this thread): checks the actor and
 * the records again, then applyChanges with `meta` in the same transaction. Throws (writing
 * nothing) like applyImport; a cancelled import rejects with the signal's reason.
 */
export async function applyListImport(
  db: HechataiDb,
  actor: ImportActor,
  records: readonly unknown[],
  opts: Omit<ListImportJob, 'actor'>,
): Promise<ApplyResult> {
  assertCan(actor, 'list.import');
  opts.signal?.throwIfAborted();
  const changes: MirrorChange[] = parseListRecords(records).map((record) => ({ op: 'upsert', record }));
  const pending = opts.audit;
  return applyChanges(db, changes, {
    meta: opts.meta,
    ...(pending ? { metaOf: (r: ApplyResult) => ({ [pending.key]: { ...pending.event, detail: { ...pending.event.detail, applied: r.applied, ignored: r.ignored } } }) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
}
