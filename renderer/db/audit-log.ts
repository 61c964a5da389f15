/**
 * The workstation's audit trail (shared/domain/audit.ts): appended here, verified here, and sent
 * to the platform through the outbox like every other record (kind 'audit').
 *
 * Appending: ONE read-write transaction over the audit, outbox and meta tables (plus, through
 * `withAudit`, the tables of the change being audited: an account, an import's meta) reads the
 * head, runs the change, hashes the next entry and writes it with its outbox entry. IndexedDB
 * runs read-write transactions with overlapping scopes one after the other, so two appends can
 * never read the same head; a crash keeps the change and its entry both or neither. SHA-256
 * comes from WebCrypto, whose promise is awaited through Dexie.waitFor so the transaction stays
 * open meanwhile.
 *
 * Verifying: the whole chain from seq 1 (verifyAuditChain), anchored at the newest entry the
 * platform has accepted: a cut-off tail or a rewritten chain is caught even when every hash in
 * it is consistent.
 */
import { Dexie, type Table } from 'dexie';
import {
  AuditEvent,
  appendAudit,
  verifyAuditChain,
  type AuditEntry,
  type AuditAnchor,
  type AuditVerification,
} from '../../shared/domain/audit';
import type { OutboxEntry } from '../../shared/sync/outbox';
import type { HechataiDb } from './database';
import { enqueue } from './local-records';
import { requirePermission, type Session } from './session';

/** meta key of this workstation's chain id (sent with each entry: the platform keeps chains apart). */
export const AUDIT_CHAIN_KEY = 'audit.chain';

function newChainId(): string {
  return `ws-${crypto.randomUUID()}`;
}

/** The newest entry, or null for an empty trail. */
export async function auditHead(db: HechataiDb): Promise<AuditEntry | null> {
  return (await db.audit.orderBy('seq').last()) ?? null;
}

/**
 * Runs `body` and appends `event` to the audit trail in one transaction over `tables` plus the
 * audit, outbox and meta tables. `event` may be a function of body's result (e.g. the number of
 * rows an import wrote). Returns body's result and the entry written.
 */
export async function withAudit<T>(
  db: HechataiDb,
  tables: readonly Table[],
  body: () => Promise<T>,
  event: AuditEvent | ((result: T) => AuditEvent),
): Promise<{ result: T; entry: AuditEntry }> {
  const all = [...new Set([...tables, db.audit, db.outbox, db.meta])];
  return db.transaction('rw', all, async () => {
    const result = await body();
    const head = await auditHead(db);
    const ev = typeof event === 'function' ? event(result) : event;
    const entry = await Dexie.waitFor(appendAudit(head, ev));
    let chain = (await db.meta.get(AUDIT_CHAIN_KEY))?.value;
    if (typeof chain !== 'string') {
      chain = newChainId();
      await db.meta.put({ key: AUDIT_CHAIN_KEY, value: chain });
    }
    const id = `${String(chain)}:${entry.seq}`;
    await db.audit.add(entry);
    await enqueue(db, { kind: 'audit', record: { id, chain: String(chain), entry } }, entry.at);
    return { result, entry };
  });
}

/** Appends one event on its own (sign-in, lock, unmask …). */
export async function recordAudit(db: HechataiDb, event: AuditEvent): Promise<AuditEntry> {
  return (await withAudit(db, [], async () => undefined, event)).entry;
}

/**
 * A change written somewhere `withAudit` cannot reach (a list import commits in the mirror
 * worker, outside Dexie) stores its audit event in `meta` under a key of this prefix IN ITS OWN
 * transaction; `appendPendingAudit` then moves it into the trail (append + delete in one
 * transaction). A crash in between leaves the key, and `appendPendingAudits` (run at start-up)
 * appends it then: the change is never without its entry.
 */
export const PENDING_AUDIT_PREFIX = 'audit.pending.';

export const pendingAuditKey = (): string => `${PENDING_AUDIT_PREFIX}${Date.now()}.${crypto.randomUUID()}`;

/** Appends the pending event under `key`; null if there is none (already appended). */
export async function appendPendingAudit(db: HechataiDb, key: string): Promise<AuditEntry | null> {
  return db.transaction('rw', [db.audit, db.outbox, db.meta], async () => {
    const stored = await db.meta.get(key);
    if (!stored) return null;
    const parsed = AuditEvent.safeParse(stored.value);
    // Unreadable (a damaged row): recorded as such rather than dropped.
    const event: AuditEvent = parsed.success
      ? parsed.data
      : { at: Date.now(), actor: 'system', role: null, action: 'import', detail: { note: '待记审计事件无法读取', key: key.slice(0, 120) } };
    const { entry } = await withAudit(db, [], () => db.meta.delete(key), event);
    return entry;
  });
}

/** Appends every pending event (oldest key first); the number appended. */
export async function appendPendingAudits(db: HechataiDb): Promise<number> {
  const keys = (await db.meta.where('key').startsWith(PENDING_AUDIT_PREFIX).primaryKeys()).sort();
  let n = 0;
  for (const key of keys) if (await appendPendingAudit(db, key)) n++;
  return n;
}

/** The newest entry the platform has accepted (its outbox entry is 'accepted'), if any. */
export async function auditAnchor(db: HechataiDb): Promise<AuditAnchor | undefined> {
  let best: AuditAnchor | undefined;
  await db.outbox
    .where('id')
    .startsWith('audit:')
    .each((e: OutboxEntry) => {
      if (e.state !== 'accepted' || e.payload.kind !== 'audit') return;
      const { seq, hash } = e.payload.record.entry;
      if (!best || seq > best.seq) best = { seq, hash };
    });
  return best;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
}

/** Newest first, for the audit screen. Administrators only (it names who did what). */
export async function listAudit(db: HechataiDb, session: Session, offset = 0, limit = 200): Promise<AuditPage> {
  requirePermission(session, 'audit.verify');
  const [entries, total] = await Promise.all([
    db.audit.orderBy('seq').reverse().offset(offset).limit(limit).toArray(),
    db.audit.count(),
  ]);
  return { entries, total };
}

/**
 * Checks the whole chain (shared/domain/audit.ts verifyAuditChain) against the platform's
 * anchor. Reads in seq order in chunks; entries that fail the schema are reported, not thrown.
 */
export async function verifyAuditTrail(db: HechataiDb, session: Session): Promise<AuditVerification & { anchor?: AuditAnchor }> {
  requirePermission(session, 'audit.verify');
  const entries: AuditEntry[] = [];
  await db.audit.orderBy('seq').each((e) => {
    entries.push(e);
  });
  const anchor = await auditAnchor(db);
  const result = await verifyAuditChain(entries, anchor ? { anchor } : {});
  return anchor ? { ...result, anchor } : result;
}
