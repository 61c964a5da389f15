/**
 * The audit trail goes up with everything else: entries written by sign-ins, account changes
 * and exports are pushed by the engine to the reference platform (a separate process), which
 * checks each hash and each link; once accepted they anchor the local verification, so a trail
 * cut back after sending is caught.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_KEY, createAccount, endSignedIn, setUpAdministrator, signIn } from '../../renderer/db/accounts';
import { verifyAuditTrail } from '../../renderer/db/audit-log';
import { writeMeta } from '../../renderer/db/meta';
import { spawnPlatform, type SpawnedPlatform } from '../platform/spawn';
import { enrol, freshDbName, makeEngine, openDb, waitFor } from './helpers';

let platform: SpawnedPlatform;

beforeAll(async () => {
  platform = await spawnPlatform({ records: 50, seed: 3, today: '2026-11-20' });
}, 30_000);

afterAll(async () => {
  await platform.stop();
});

describe('audit trail sync', () => {
  it('every entry reaches the platform once, and the accepted head anchors verification', async () => {
    const db = openDb(freshDbName('audit'));
    await writeMeta(db, SECURITY_KEY, { pbkdf2Iterations: 1_000 });
    const t = Date.UTC(2026, 10, 20, 1);
    const admin = await setUpAdministrator(db, { name: '王管理', login: 'admin', department: '发改委', secretKind: 'password' }, 'Admin2026', t);
    await createAccount(db, admin, { name: '李窗口', login: 'clerk', role: '窗口人员', department: '市场监管局', secretKind: 'pin' }, '240817', t + 1);
    await signIn(db, 'clerk', '000000', t + 2).catch(() => undefined);
    const clerk = await signIn(db, 'clerk', '240817', t + 3);
    await endSignedIn(db, clerk, 'lock', t + 4, 10);
    const entries = await db.audit.count();
    expect(entries).toBe(5);

    const engine = makeEngine(db, { tuning: { pushBatch: 2, countsPollMs: 50, pushSoonMs: 5 } });
    await enrol(engine, platform);
    await platform.admin.setFaults({ loseReply: 0.3, seed: 7 });
    await engine.start();
    await waitFor(engine, (s) => s.pending === 0 && s.load === null && s.mirrorCompleteAt !== null, 30_000);
    await engine.stop();
    await platform.admin.setFaults({});

    const stats = await platform.admin.stats();
    expect(stats.receivedByKind).toMatchObject({ audit: entries });
    const queued = await db.outbox.where('id').startsWith('audit:').toArray();
    expect(queued.every((e) => e.state === 'accepted')).toBe(true);

    const v = await verifyAuditTrail(db, admin);
    expect(v).toMatchObject({ ok: true, count: entries, anchor: { seq: entries } });

    // Cut the tail the platform already holds: the chain alone looks fine, the anchor does not.
    await db.audit.bulkDelete([entries - 1, entries]);
    expect(await verifyAuditTrail(db, admin)).toMatchObject({ ok: false, seq: entries });
  }, 60_000);
});
