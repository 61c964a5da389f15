import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { outboxId, type OutboxEntry } from '../../shared/sync/outbox';
import { makePushItems } from '../../test/platform/fixtures';
import { openDatabase } from '../db/database';
import { pendingBatch, settle } from './outbox-queue';

describe('settle', () => {
  it('changes only the entries still pending, from the copies sent, whatever happened to the others meanwhile', async () => {
    const db = openDatabase('outbox-settle');
    await db.open();
    const entries: OutboxEntry[] = makePushItems(4, 3).map((item, i) => ({
      id: outboxId(item.payload), seq: i + 1, createdAt: 1, state: 'pending', attempts: 0, payload: item.payload,
    }));
    await db.outbox.bulkAdd(entries);
    const sent = await pendingBatch(db, -Infinity, 10);
    const [a, b, c, d] = sent as [OutboxEntry, OutboxEntry, OutboxEntry, OutboxEntry];
    // While the request travels, another window settled b (an answer that arrives twice).
    await db.outbox.put({ ...b, state: 'accepted', attempts: 1, settledAt: 5 });
    const summary = await settle(
      db,
      [
        { id: a.id, status: 'accepted' },
        { id: b.id, status: 'duplicate' },
        { id: c.id, status: 'rejected', code: 'unknown_matter', reason: '事项不存在' },
        { id: d.id, status: 'duplicate' },
      ],
      9,
      sent,
    );
    expect(summary).toEqual({ accepted: 1, duplicate: 1, rejected: 1 });
    const after = (await db.outbox.toArray()).sort((x, y) => x.seq - y.seq);
    expect(after.map((e) => [e.state, e.attempts, e.settledAt])).toEqual([
      ['accepted', 1, 9],
      ['accepted', 1, 5],
      ['rejected', 1, 9],
      ['accepted', 1, 9],
    ]);
    expect(after[2]).toMatchObject({ lastError: '事项不存在', rejectCode: 'unknown_matter', payload: c.payload });
    // The same answer again changes nothing.
    expect(await settle(db, [{ id: a.id, status: 'accepted' }], 10, [a])).toEqual({ accepted: 0, duplicate: 0, rejected: 0 });
    expect((await db.outbox.get(a.id))?.settledAt).toBe(9);
    db.close();
  });
});
