/**
 * Records a clerk makes. Each is written with its outbox entries in ONE transaction, with
 * strict durability: a saved check survives a crash, and nothing is sent that was not saved.
 * Saving needs a live session whose role may do counter checks ('check.perform'), and each
 * record must name that session's clerk.
 */
import { CheckRecord, Commitment, FeedbackRecord, Objection } from '../../shared/domain/schemas';
import { outboxId, type OutboxEntry, type OutboxPayload } from '../../shared/sync/outbox';
import { outboxInState, type HechataiDb } from './database';
import { MetaKeys } from './meta';
import { requirePermission, type Session } from './session';

/** Every record carries who made it: the signed-in clerk, not a name a screen chose. */
function signedBy(session: Session, clerk: string): void {
  if (clerk !== session.name) throw new Error(`记录的经办人“${clerk}”与当前登录账号（${session.name}）不符，未保存`);
}

async function nextSeq(db: HechataiDb): Promise<number> {
  const row = await db.meta.get(MetaKeys.outboxSeq);
  const seq = typeof row?.value === 'number' ? row.value + 1 : 1;
  await db.meta.put({ key: MetaKeys.outboxSeq, value: seq });
  return seq;
}

export async function enqueue(db: HechataiDb, payload: OutboxPayload, now: number): Promise<void> {
  const entry: OutboxEntry = {
    id: outboxId(payload),
    seq: await nextSeq(db),
    createdAt: now,
    state: 'pending',
    attempts: 0,
    payload,
  };
  await db.outbox.add(entry);
}

/**
 * Saves a check, its feedback records and, under 容缺受理, the applicant's commitment, and
 * queues all of them for the platform.
 */
export async function saveCheck(
  db: HechataiDb,
  session: Session,
  check: CheckRecord,
  feedback: FeedbackRecord[],
  commitment?: Commitment,
  /** The printed form as the clerk saw it, kept on this workstation only (for reprints). */
  printable?: unknown,
): Promise<void> {
  requirePermission(session, 'check.perform');
  // Parse at the boundary: what goes to disk and to the platform is exactly the schema.
  const c = CheckRecord.parse(check);
  const fs = feedback.map((f) => FeedbackRecord.parse(f));
  const cm = commitment ? Commitment.parse(commitment) : undefined;
  for (const who of [c.clerk, ...fs.map((f) => f.clerk), ...(cm ? [cm.clerk] : [])]) signedBy(session, who);
  await db.transaction(
    'rw',
    [db.checks, db.feedback, db.commitments, db.outbox, db.meta],
    async () => {
      const row: CheckRecord & { printable?: unknown } = printable === undefined ? c : { ...c, printable };
      await db.checks.add(row);
      await enqueue(db, { kind: 'check', record: c }, c.createdAt);
      for (const f of fs) {
        await db.feedback.add(f);
        await enqueue(db, { kind: 'feedback', record: f }, c.createdAt);
      }
      if (cm) {
        await db.commitments.add(cm);
        await enqueue(db, { kind: 'commitment', record: cm }, c.createdAt);
      }
    },
  );
}

export async function pendingOutboxCount(db: HechataiDb): Promise<number> {
  return outboxInState(db, 'pending').count();
}

/** A saved check with the printed form frozen at saving time, if it has one. */
export async function getCheckWithPrintable(db: HechataiDb, id: string): Promise<{ check: CheckRecord; printable: unknown } | undefined> {
  const row = (await db.checks.get(id)) as (CheckRecord & { printable?: unknown }) | undefined;
  if (!row) return undefined;
  const { printable, ...check } = row;
  return { check: CheckRecord.parse(check), printable };
}

/** A scan attached to an objection: the bytes stay on this workstation beside the record. */
export interface AttachedFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** 异议 raised at the counter: saved with its scans and queued for the platform in one go. */
export async function saveObjection(db: HechataiDb, session: Session, objection: Objection, files: AttachedFile[]): Promise<void> {
  requirePermission(session, 'check.perform');
  const o = Objection.parse(objection);
  signedBy(session, o.clerk);
  await db.transaction('rw', [db.objections, db.outbox, db.meta], async () => {
    const row: Objection & { files?: AttachedFile[] } = { ...o, files };
    await db.objections.add(row);
    await enqueue(db, { kind: 'objection', record: o }, o.createdAt);
  });
}

export async function objectionsFor(db: HechataiDb, recordId: string): Promise<Objection[]> {
  const rows = await db.objections.where('recordId').equals(recordId).toArray();
  return rows.map((r) => Objection.parse(r));
}
