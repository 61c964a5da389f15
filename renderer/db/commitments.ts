/**
 * 容缺受理 commitments after the counter: supplied in time, or breached. Each change of state
 * is written with its outbox event in one transaction.
 */
import { Commitment } from '../../shared/domain/schemas';
import type { IsoDate } from '../../shared/domain/schemas';
import { dueForBreach } from '../../shared/domain/commitments';
import type { HechataiDb } from './database';
import { enqueue } from './local-records';

export async function listCommitments(db: HechataiDb): Promise<Commitment[]> {
  return db.commitments.orderBy('deadline').toArray();
}

async function close(db: HechataiDb, c: Commitment, now: number): Promise<void> {
  const next = Commitment.parse(c);
  await db.commitments.put(next);
  await enqueue(db, { kind: 'commitment', record: next }, now);
}

/** The applicant brought the missing materials: the commitment is kept. */
export async function markSupplied(db: HechataiDb, id: string, now: number): Promise<void> {
  await db.transaction('rw', [db.commitments, db.outbox, db.meta], async () => {
    const c = await db.commitments.get(id);
    if (!c) throw new Error(`找不到承诺记录 ${id}`);
    if (c.status !== 'open') throw new Error(`承诺已${c.status === 'supplied' ? '补齐' : '违诺'}，不能再次办理`);
    await close(db, { ...c, status: 'supplied', suppliedAt: now }, now);
  });
}

/**
 * Every open commitment past its deadline becomes a breach (违背承诺), reported to the platform;
 * the subject's next verdict refuses fast-track. Returns how many were breached.
 */
export async function breachOverdue(db: HechataiDb, today: IsoDate, now: number): Promise<number> {
  return db.transaction('rw', [db.commitments, db.outbox, db.meta], async () => {
    const open = await db.commitments.where('status').equals('open').toArray();
    const overdue = dueForBreach(open, today);
    for (const c of overdue) await close(db, { ...c, status: 'breached', breachedAt: now }, now);
    return overdue.length;
  });
}
