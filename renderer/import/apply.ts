/**
 * Writes a validated import to the database, whole or nothing, and only for an administrator:
 * the permission is checked here, in the data layer, so no screen can skip it.
 *
 * - List records go through mirror-store's `applyChanges` as upserts: ONE strict IndexedDB
 *   transaction over meta, mirrorIndex, mirrorPages and mirrorDelta (read in
 *   renderer/db/mirror-store.ts), so a failure or a crash keeps none of them. As for a sync
 *   page, an upsert whose version is not higher than the record the mirror holds is ignored:
 *   importing the same file again changes nothing, and a corrected record needs a higher
 *   版本号. The summary says how many were ignored.
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
import type { ImportOk } from '../../shared/import/validate';
import type { HechataiDb } from '../db/database';
import { applyChanges, type MirrorChange } from '../db/mirror-store';

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
  /** For the audit trail (shared/domain/audit.ts, action 'import'), once the app keeps one. */
  audit: AuditEvent;
}

export interface ApplyOptions {
  now?: number;
  /** Shown in the audit detail (a base name, never a path). */
  fileName?: string;
}

/** meta key of the last import of a kind. */
export const lastImportKey = (kind: ImportKind): string => `import.last.${kind}`;

function parseAll<T>(schema: z.ZodType<T>, records: readonly unknown[]): T[] {
  const parsed = z.array(schema).safeParse(records);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`导入数据未通过校验（第 ${Number(issue?.path[0] ?? 0) + 1} 条 ${issue?.path.slice(1).join('.') ?? ''}：${issue?.message ?? ''}），未导入任何数据`);
  }
  const ids = new Set<string>();
  for (const r of parsed.data as { id: string }[]) {
    if (ids.has(r.id)) throw new Error(`导入数据中编号“${r.id}”重复，未导入任何数据`);
    ids.add(r.id);
  }
  return parsed.data;
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
export async function applyImport(db: HechataiDb, actor: ImportActor, result: ImportOk, opts: ApplyOptions = {}): Promise<ApplySummary> {
  assertCan(actor, 'list.import');
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
    const records = parseAll(ListRecord, result.records);
    const changes: MirrorChange[] = records.map((record) => ({ op: 'upsert', record }));
    const r = await applyChanges(db, changes, { meta: { [lastImportKey('list')]: meta } });
    return { kind: 'list', rows, applied: r.applied, ignored: r.ignored, audit: audit(r.applied, r.ignored) };
  }
  const counts =
    result.kind === 'measure'
      ? await putCatalogue(db, db.measures, parseAll(Measure, result.records), { key: lastImportKey('measure'), value: meta })
      : await putCatalogue(db, db.matters, parseAll(Matter, result.records), { key: lastImportKey('matter'), value: meta });
  const applied = counts.added + counts.updated;
  return { kind: result.kind, rows, applied, ignored: 0, ...counts, audit: audit(applied, 0) };
}
