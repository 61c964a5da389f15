/**
 * The one module that owns the IndexedDB schema (Dexie). Nothing else calls `new Dexie` or
 * declares stores; features use the repositories in this folder.
 *
 * Version history (never edit a released version; add a new one with an upgrade):
 *   1 — mirror (records, measures, matters), local records (checks, feedback, commitments,
 *       objections, findings), outbox, meta.
 */
import { Dexie, type EntityTable } from 'dexie';
import type {
  CheckRecord,
  Commitment,
  FeedbackRecord,
  InspectionFinding,
  ListRecord,
  Matter,
  Measure,
  Objection,
} from '../../shared/domain/schemas';
import type { OutboxEntry } from '../../shared/sync/outbox';

/** A list record as stored: `ids` holds every identifier it names, for one multi-entry index. */
export type StoredRecord = ListRecord & { ids: string[] };

export interface MetaRow {
  key: string;
  value: unknown;
}

export type HechataiDb = Dexie & {
  records: EntityTable<StoredRecord, 'id'>;
  measures: EntityTable<Measure, 'id'>;
  matters: EntityTable<Matter, 'id'>;
  checks: EntityTable<CheckRecord, 'id'>;
  feedback: EntityTable<FeedbackRecord, 'id'>;
  commitments: EntityTable<Commitment, 'id'>;
  objections: EntityTable<Objection, 'id'>;
  findings: EntityTable<InspectionFinding, 'id'>;
  outbox: EntityTable<OutboxEntry, 'id'>;
  meta: EntityTable<MetaRow, 'key'>;
};

export const DB_NAME = 'hechatai';

export function openDatabase(name: string = DB_NAME): HechataiDb {
  // Chromium commits with relaxed durability by default; the records a clerk saves deserve a
  // flushed commit. Bulk mirror loads are large transactions, so the cost is one flush a page.
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' }) as HechataiDb;
  db.version(1).stores({
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
  });
  return db;
}

/** Every identifier a record names, as the multi-entry index sees them. */
export function recordIds(r: ListRecord): string[] {
  const ids = new Set<string>();
  if (r.uscc) ids.add(r.uscc);
  if (r.idNumber) ids.add(r.idNumber);
  for (const o of r.otherIds) ids.add(o.value);
  return [...ids];
}

export function toStored(r: ListRecord): StoredRecord {
  return { ...r, ids: recordIds(r) };
}

export function fromStored(s: StoredRecord): ListRecord {
  const { ids: _ids, ...record } = s;
  return record;
}
