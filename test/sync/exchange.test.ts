/**
 * File exchange for a site that is never online: the outbox leaves as a package file (checksum,
 * device id, created time, protocol version), the platform answers with a list package made by
 * GET /admin/package, applied through the same pull code as network pages: idempotent, and
 * refused with a clear Chinese message when damaged, foreign or not continuing from this client.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListPackage, encodePackage, openOutboxPackage } from '../../shared/sync/package';
import { outboxInState, type HechataiDb } from '../../renderer/db/database';
import { syncPosition, type SyncEngine } from '../../renderer/sync/engine';
import { makePushItems } from '../platform/fixtures';
import { spawnPlatform, type SpawnedPlatform } from '../platform/spawn';
import { enqueueItems, enrol, freshDbName, makeEngine, mirrorDigest, openDb, payloadsOf } from './helpers';

let platform: SpawnedPlatform;
let db: HechataiDb;
let engine: SyncEngine;
let deviceId: string;

const text = (pkg: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(pkg));

beforeAll(async () => {
  platform = await spawnPlatform({ records: 800, seed: 41, today: '2026-11-20' });
  db = openDb(freshDbName('exchange'));
  engine = makeEngine(db);
  // Enrolled once (at the district office, say); from now on the site only exchanges files.
  await enrol(engine, platform, '某乡镇便民服务站');
  deviceId = engine.getSnapshot().enrolment?.deviceId ?? '';
}, 30_000);

afterAll(async () => {
  await engine.dispose();
  db.close();
  await platform.stop();
});

async function expectEqualToPlatform(): Promise<void> {
  const theirs = await platform.admin.digest();
  expect(await mirrorDigest(db)).toEqual({ count: theirs.count, digest: theirs.digest });
}

describe('file exchange', () => {
  it('exports the outbox as a sealed package the platform receives exactly once', async () => {
    await enqueueItems(db, payloadsOf(makePushItems(30, 9)));
    const exported = await engine.exportOutbox();
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.value.count).toBe(30);
    expect(exported.value.fileName).toMatch(new RegExp(`^上报数据包-${deviceId}-\\d{8}-\\d{4}\\.json$`));
    const opened = openOutboxPackage(exported.value.bytes);
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value).toMatchObject({ format: 'hechatai.outbox-package', protocol: 1, deviceId, cursor: null, lastSeq: 0 });
    expect(opened.value.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(opened.value.createdAt).toBeGreaterThan(0);

    const json = JSON.parse(new TextDecoder().decode(exported.value.bytes)) as unknown;
    const first = await platform.admin.importOutboxPackage(json);
    expect(first.results.map((r) => r.status)).toEqual(Array(30).fill('accepted'));
    const again = await platform.admin.importOutboxPackage(json);
    expect(again.results.map((r) => r.status)).toEqual(Array(30).fill('duplicate'));
    expect((await platform.admin.stats()).received).toBe(30);
    // Still pending here: the platform's answer comes back with the next list package.
    expect(await outboxInState(db, 'pending').count()).toBe(30);
  });

  it('imports a full list package: the mirror equals the platform, the receipts settle the outbox', async () => {
    const pkg = await platform.admin.listPackage(deviceId, null, 300);
    const result = await engine.importPackage(text(pkg));
    if (!result.ok) throw new Error(result.message);
    expect(result.value).toMatchObject({ rebuilt: true, receipts: { accepted: 30, duplicate: 0, rejected: 0 } });
    expect(result.value.pages).toBeGreaterThan(2);
    await expectEqualToPlatform();
    expect(await outboxInState(db, 'accepted').count()).toBe(30);
    expect(engine.getSnapshot()).toMatchObject({ mirrorSource: 'file', pending: 0, load: null });
    expect(engine.getSnapshot().mirrorCompleteAt).not.toBeNull();
  });

  it('importing the same package again changes nothing', async () => {
    const before = { position: await syncPosition(db), digest: await mirrorDigest(db) };
    const pkg = await platform.admin.listPackage(deviceId, null, 300);
    const again = await engine.importPackage(text(pkg));
    expect(again).toMatchObject({ ok: true, value: { applied: 0, rebuilt: false } });
    expect({ position: await syncPosition(db), digest: await mirrorDigest(db) }).toEqual(before);
  });

  it('a delta package from the client position applies the changes since', async () => {
    await platform.admin.command({ op: 'remove', id: 'DEMO-R01' });
    await platform.admin.command({ op: 'change', id: 'R00000010', patch: { reason: '文件交换测试' } });
    await platform.admin.command({ op: 'delete', kind: 'record', id: 'R00000011' });
    const cursor = (await syncPosition(db)).pull?.cursor ?? null;
    expect(cursor).not.toBeNull();
    const pkg = await platform.admin.listPackage(deviceId, cursor);
    expect(pkg.after).toBe(cursor);
    const result = await engine.importPackage(text(pkg));
    expect(result).toMatchObject({ ok: true, value: { applied: 3, rebuilt: false } });
    await expectEqualToPlatform();
  });

  it('refuses a damaged package, a package for another device or from another platform, with Chinese messages', async () => {
    const before = { position: await syncPosition(db), digest: await mirrorDigest(db) };
    await platform.admin.command({ op: 'change', id: 'R00000012', patch: { reason: '又一次修改' } });
    const cursor = (await syncPosition(db)).pull?.cursor ?? null;
    const pkg = await platform.admin.listPackage(deviceId, cursor);

    const damaged = new TextDecoder().decode(text(pkg)).replace('又一次修改', '又一次修政');
    const r1 = await engine.importPackage(new TextEncoder().encode(damaged));
    expect(r1).toMatchObject({ ok: false, code: 'damaged' });
    if (!r1.ok) expect(r1.message).toContain('损坏');

    const cut = text(pkg).slice(0, 200);
    const r2 = await engine.importPackage(cut);
    expect(r2).toMatchObject({ ok: false, code: 'not_a_package' });

    const otherDb = openDb(freshDbName('exchange-other'));
    const other = makeEngine(otherDb);
    await enrol(other, platform, '另一台设备');
    const otherId = other.getSnapshot().enrolment?.deviceId ?? '';
    const r3 = await engine.importPackage(text(await platform.admin.listPackage(otherId, cursor)));
    expect(r3).toMatchObject({ ok: false, code: 'other_device' });
    if (!r3.ok) expect(r3.message).toContain(otherId);
    await other.dispose();
    otherDb.close();

    const foreign = buildListPackage({
      platformId: 'P-another-city',
      platformName: '另一个城市平台',
      deviceId,
      createdAt: Date.now(),
      after: pkg.after as string,
      afterSeq: pkg.afterSeq as number,
      schemaVersion: 1,
      pages: pkg.pages as unknown[],
    });
    const r4 = await engine.importPackage(encodePackage(foreign));
    expect(r4).toMatchObject({ ok: false, code: 'other_platform' });
    if (!r4.ok) expect(r4.message).toContain('另一个城市平台');

    expect({ position: await syncPosition(db), digest: await mirrorDigest(db) }).toEqual(before);
    // The genuine one still goes in.
    expect((await engine.importPackage(text(pkg))).ok).toBe(true);
    await expectEqualToPlatform();
  });

  it('refuses a delta package that begins after the client position (a gap)', async () => {
    const before = await syncPosition(db);
    await platform.admin.command({ op: 'change', id: 'R00000013', patch: { reason: '中间的变更' } });
    const ahead = `1.${(await platform.admin.digest()).highSeq}`;
    await platform.admin.command({ op: 'change', id: 'R00000014', patch: { reason: '之后的变更' } });
    const r = await engine.importPackage(text(await platform.admin.listPackage(deviceId, ahead)));
    expect(r).toMatchObject({ ok: false, code: 'package_gap' });
    if (!r.ok) expect(r.message).toContain('不衔接');
    expect(await syncPosition(db)).toEqual(before);
  });

  it('the same client can go on over the network from where the files left it', async () => {
    const outcome = await engine.syncNow();
    expect(outcome.ok).toBe(true);
    await expectEqualToPlatform();
    expect(engine.getSnapshot().mirrorSource).toBe('platform');
  });
});
