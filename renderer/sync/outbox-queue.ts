/**
 * The outbox as the sync engine works it: pending entries in seq order, the platform's answer
 * for each (accepted / duplicate → delivered; rejected → kept with the reason for the clerk),
 * and the clerk's two actions on a rejected entry (重新提交 / 撤回). Every write is one short
 * transaction: none is ever held open across a network request.
 */
import type { OutboxEntry } from '../../shared/sync/outbox';
import type { PushItem, PushOutcome } from '../../shared/sync/protocol';
import { outboxInState, type HechataiDb } from '../db/database';

/**
 * At most `limit` pending entries made after `afterSeq`, in the order they were made (outbox
 * seq), read through the [state+seq] index: only those entries are read, however many the
 * outbox holds (delivered ones stay in it for the history).
 */
export async function pendingBatch(db: HechataiDb, afterSeq: number, limit: number): Promise<OutboxEntry[]> {
  return outboxInState(db, 'pending', afterSeq).limit(limit).toArray();
}

/** Every pending entry in the order they were made (for an outbox package). */
export async function pendingEntries(db: HechataiDb): Promise<OutboxEntry[]> {
  return outboxInState(db, 'pending').toArray();
}

export function pushItemOf(entry: OutboxEntry): PushItem {
  return { id: entry.id, payload: entry.payload };
}

export async function outboxCounts(db: HechataiDb): Promise<{ pending: number; rejected: number }> {
  const [pending, rejected] = await Promise.all([outboxInState(db, 'pending').count(), outboxInState(db, 'rejected').count()]);
  return { pending, rejected };
}

export interface SettleSummary {
  accepted: number;
  duplicate: number;
  rejected: number;
}

/**
 * Records the platform's answer for each entry of a batch, in one transaction. Only entries
 * still pending change (an answer that arrives twice changes nothing the second time). `sent`,
 * the entries as read for the request (in seq order), saves reading them again: which of them
 * are still pending is read from the [state+seq] index alone (keys, not values); entries not
 * in `sent` are read.
 */
export async function settle(db: HechataiDb, outcomes: readonly PushOutcome[], now: number, sent: readonly OutboxEntry[] = []): Promise<SettleSummary> {
  const summary: SettleSummary = { accepted: 0, duplicate: 0, rejected: 0 };
  const known = new Map(sent.map((e) => [e.id, e]));
  await db.transaction('rw', db.outbox, async () => {
    const first = sent[0];
    const last = sent[sent.length - 1];
    const stillPending = new Set(
      first && last ? await db.outbox.where('[state+seq]').between(['pending', first.seq], ['pending', last.seq], true, true).primaryKeys() : [],
    );
    const missing = outcomes.filter((o) => !known.has(o.id)).map((o) => o.id);
    const read = missing.length > 0 ? await db.outbox.bulkGet(missing) : [];
    read.forEach((e) => {
      if (e?.state === 'pending') {
        known.set(e.id, e);
        stillPending.add(e.id);
      }
    });
    const updated: OutboxEntry[] = [];
    for (const o of outcomes) {
      const entry = known.get(o.id);
      if (!entry || !stillPending.has(o.id)) continue;
      const attempts = entry.attempts + 1;
      if (o.status === 'rejected') {
        summary.rejected += 1;
        const reason = o.reason ?? `平台拒收（${o.code ?? '未说明原因'}）`;
        updated.push({ ...entry, state: 'rejected', attempts, lastError: reason, ...(o.code ? { rejectCode: o.code } : {}), settledAt: now });
      } else {
        summary[o.status === 'accepted' ? 'accepted' : 'duplicate'] += 1;
        const { lastError: _e, rejectCode: _c, ...rest } = entry;
        updated.push({ ...rest, state: 'accepted', attempts, settledAt: now });
      }
    }
    await db.outbox.bulkPut(updated);
  });
  return summary;
}

/** Counts a failed delivery attempt on each entry of a batch, with the error in plain words. */
export async function noteFailedAttempt(db: HechataiDb, ids: readonly string[], message: string): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    const entries = await db.outbox.bulkGet([...ids]);
    const updated = entries.filter((e): e is OutboxEntry => e?.state === 'pending').map((e) => ({ ...e, attempts: e.attempts + 1, lastError: message }));
    await db.outbox.bulkPut(updated);
  });
}

/** Marks one entry rejected by the client itself (e.g. too large for any request). */
export async function rejectLocally(db: HechataiDb, id: string, code: string, reason: string, now: number): Promise<void> {
  await db.outbox.where('id').equals(id).modify((e) => {
    if (e.state !== 'pending') return;
    e.state = 'rejected';
    e.rejectCode = code;
    e.lastError = reason;
    e.settledAt = now;
  });
}

/** Rejected entries, oldest first, for the clerk to fix or withdraw. */
export async function rejectedEntries(db: HechataiDb): Promise<OutboxEntry[]> {
  return outboxInState(db, 'rejected').toArray();
}

/** 重新提交: rejected entries become pending again (sent with the next sync). */
export async function resubmit(db: HechataiDb, ids: readonly string[]): Promise<number> {
  let n = 0;
  await db.transaction('rw', db.outbox, async () => {
    for (const e of await db.outbox.bulkGet([...ids])) {
      if (e?.state !== 'rejected') continue;
      const { settledAt: _s, rejectCode: _c, ...rest } = e;
      await db.outbox.put({ ...rest, state: 'pending', attempts: 0 });
      n++;
    }
  });
  return n;
}

/** 撤回: the clerk gives up sending rejected entries; the local records stay. */
export async function withdraw(db: HechataiDb, ids: readonly string[], now: number): Promise<number> {
  let n = 0;
  await db.transaction('rw', db.outbox, async () => {
    for (const e of await db.outbox.bulkGet([...ids])) {
      if (e?.state !== 'rejected') continue;
      await db.outbox.put({ ...e, state: 'withdrawn', settledAt: now });
      n++;
    }
  });
  return n;
}

/** Marks entries delivered from receipts carried by a list package (only entries still pending or rejected). */
export async function applyReceipts(db: HechataiDb, receipts: readonly PushOutcome[], now: number): Promise<SettleSummary> {
  const summary: SettleSummary = { accepted: 0, duplicate: 0, rejected: 0 };
  if (receipts.length === 0) return summary;
  await db.transaction('rw', db.outbox, async () => {
    const entries = await db.outbox.bulkGet(receipts.map((r) => r.id));
    const updated: OutboxEntry[] = [];
    receipts.forEach((r, i) => {
      const e = entries[i];
      if (!e || e.state !== 'pending') return;
      if (r.status === 'rejected') {
        summary.rejected += 1;
        updated.push({ ...e, state: 'rejected', lastError: r.reason ?? '平台拒收', ...(r.code ? { rejectCode: r.code } : {}), settledAt: now });
      } else {
        summary[r.status === 'accepted' ? 'accepted' : 'duplicate'] += 1;
        updated.push({ ...e, state: 'accepted', settledAt: now });
      }
    });
    await db.outbox.bulkPut(updated);
  });
  return summary;
}
