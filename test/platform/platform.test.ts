/**
 * The reference platform as a separate process, driven through HttpPlatformAdapter the way the
 * client's sync engine will drive it: enrolment, a first load in pages, at-least-once push
 * under injected faults, duplicate pages, changes after a cursor, compaction and restarts.
 */
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpPlatformAdapter } from '../../shared/sync/http-adapter';
import { freshChanges, type PushItem, type PushOutcome } from '../../shared/sync/protocol';
import { MemoryMirror } from './digest';
import { makePushItems, pushItem } from './fixtures';
import { spawnPlatform, type SpawnedPlatform } from './spawn';

const TODAY = '2026-11-20';
const RECORDS = 3000;

let platform: SpawnedPlatform;
let token: string;

function adapter(opts: { token?: string; timeoutMs?: number } = { token }): HttpPlatformAdapter {
  return new HttpPlatformAdapter({
    baseUrl: platform.url,
    fetchImpl: fetch,
    ...(opts.token === undefined ? {} : { token: opts.token }),
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
  });
}

/** Pulls until hasMore is false, as the engine will: validated pages, duplicates dropped by seq. */
async function pullAll(client: HttpPlatformAdapter, mirror: MemoryMirror, limit = 500) {
  let pages = 0;
  let duplicates = 0;
  let snapshotSeq: number | undefined;
  for (;;) {
    const result = await client.pull(mirror.cursor, limit);
    if (result.kind !== 'ok') throw new Error(`pull failed: ${JSON.stringify(result)}`);
    const page = result.value;
    if (pages === 0) snapshotSeq = page.snapshotSeq;
    const fresh = freshChanges(page.changes, mirror.lastSeq);
    for (const change of fresh.fresh) mirror.apply(change);
    mirror.cursor = page.nextCursor;
    duplicates += fresh.duplicates;
    pages += 1;
    if (!page.hasMore) return { pages, duplicates, snapshotSeq };
  }
}

/** Retries one batch until every record is accepted or a duplicate, like the engine's push loop. */
async function pushUntilDone(client: HttpPlatformAdapter, batch: readonly PushItem[]) {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    if (attempts > 100) throw new Error('batch never got through');
    const result = await client.push(batch);
    if (result.kind === 'ok') return { outcomes: result.value, attempts };
    if (result.kind === 'retryAfter') await sleep(result.ms);
    else if (!result.error.retryable) throw new Error(`push refused: ${JSON.stringify(result.error)}`);
  }
}

beforeAll(async () => {
  platform = await spawnPlatform({ records: RECORDS, seed: 7, today: TODAY });
  const enrolled = await adapter({}).enrol({ code: platform.enrolCode, deviceName: '兰山区政务服务中心 3号窗口' });
  if (enrolled.kind !== 'ok') throw new Error(`enrolment failed: ${JSON.stringify(enrolled)}`);
  token = enrolled.value.token;
}, 30_000);

afterAll(async () => {
  await platform.stop();
});

afterEach(async () => {
  if (platform.child.exitCode === null) await platform.admin.setFaults({});
});

describe('enrolment', () => {
  it('a code enrols one device; a second use of the same code is refused', async () => {
    const code = await platform.admin.enrolCode('住房和城乡建设局', '罗庄区');
    const first = await adapter({}).enrol({ code, deviceName: '罗庄区 1号窗口' });
    expect(first).toMatchObject({ kind: 'ok', value: { department: '住房和城乡建设局', district: '罗庄区' } });

    const again = await adapter({}).enrol({ code: code.toLowerCase(), deviceName: '另一台电脑' });
    expect(again).toMatchObject({ kind: 'error', error: { code: 'enrol_code_used', retryable: false, status: 409 } });
    if (again.kind === 'error') expect(again.error.message).toContain('登记码已被使用');

    const wrong = await adapter({}).enrol({ code: 'AAAA-BBBB', deviceName: '某电脑' });
    expect(wrong).toMatchObject({ kind: 'error', error: { code: 'enrol_code_invalid', status: 403 } });
  });

  it('pull and push need the token', async () => {
    expect(await adapter({}).pull(null, 10)).toMatchObject({ kind: 'error', error: { code: 'unauthorized', retryable: false } });
    expect(await adapter({ token: 'not-a-token-of-this-platform' }).push(makePushItems(1))).toMatchObject({
      kind: 'error',
      error: { code: 'unauthorized', status: 401 },
    });
  });

  it('answers a browser preflight and lets scripts read Retry-After', async () => {
    const preflight = await fetch(`${platform.url}/api/v1/push`, {
      method: 'OPTIONS',
      headers: { origin: 'app://xinyong', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const health = await fetch(`${platform.url}/api/v1/health`, { headers: { origin: 'app://xinyong' } });
    expect(health.headers.get('access-control-allow-origin')).toBe('*');
    expect(health.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('health needs no token and speaks protocol v1', async () => {
    expect(await adapter({}).health()).toMatchObject({ kind: 'ok', value: { ok: true, protocol: 1, schemaVersion: 1 } });
  });
});

describe('pull', () => {
  it('a first load in pages ends with exactly the platform state (digest)', async () => {
    const mirror = new MemoryMirror();
    const { pages, snapshotSeq } = await pullAll(adapter(), mirror, 500);
    const platformDigest = await platform.admin.digest();
    expect(snapshotSeq).toBe(platformDigest.highSeq);
    expect(mirror.lastSeq).toBe(platformDigest.highSeq);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(RECORDS / 500));
    // 3000 generated + 9 demo records, 57 measures, 14 matters (at least: other tests add more)
    expect(mirror.entities.size).toBeGreaterThanOrEqual(RECORDS + 9 + 14);
    expect(mirror.digest()).toEqual({ count: platformDigest.count, digest: platformDigest.digest });
  });

  it('duplicate changes in a page (send-twice switch) are recognised by seq', async () => {
    await platform.admin.setFaults({ duplicatePages: 1 });
    const client = adapter();
    const raw = await client.pull(null, 200);
    if (raw.kind !== 'ok') throw new Error(JSON.stringify(raw));
    expect(raw.value.changes).toHaveLength(400);
    const seqs = raw.value.changes.map((c) => c.seq);
    expect(new Set(seqs).size).toBe(200);
    expect(freshChanges(raw.value.changes, 0)).toMatchObject({ duplicates: 200 });

    const mirror = new MemoryMirror();
    const { duplicates } = await pullAll(client, mirror, 500);
    expect(duplicates).toBeGreaterThan(RECORDS);
    await platform.admin.setFaults({});
    const platformDigest = await platform.admin.digest();
    expect(mirror.digest().digest).toBe(platformDigest.digest);
  });

  it('a removed record, a deleted record and an objection show up as changes after the cursor', async () => {
    const client = adapter();
    const mirror = new MemoryMirror();
    await pullAll(client, mirror);
    const { cursor, lastSeq } = mirror;

    await platform.admin.command({ op: 'remove', id: 'R00000010' });
    await platform.admin.command({ op: 'delete', id: 'R00000011' });
    await platform.admin.command({ op: 'objection', id: 'DEMO-R01', action: 'raise' });

    const result = await client.pull(cursor, 100);
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    const changes = result.value.changes;
    expect(changes.every((c) => c.seq > lastSeq)).toBe(true);
    expect(changes).toHaveLength(3);
    expect(changes[0]).toMatchObject({ op: 'upsert', kind: 'record', data: { id: 'R00000010', version: 2, removedOn: TODAY } });
    expect(changes[1]).toMatchObject({ op: 'delete', kind: 'record', id: 'R00000011' });
    expect(changes[2]).toMatchObject({ op: 'upsert', data: { id: 'DEMO-R01', objection: 'pending', version: 2 } });
    expect(result.value.snapshotSeq).toBeUndefined();
    await platform.admin.command({ op: 'objection', id: 'DEMO-R01', action: 'reject' });

    await pullAll(client, mirror);
    expect(mirror.entities.has('record:R00000011')).toBe(false);
    expect(mirror.digest().digest).toBe((await platform.admin.digest()).digest);
  });

  it('after compaction an old cursor is told to start over; a current one is not', async () => {
    const client = adapter();
    const mirror = new MemoryMirror();
    await pullAll(client, mirror);
    const old = mirror.cursor;
    await platform.admin.command({ op: 'change', id: 'R00000020', patch: { reason: '更正列入事由' } });
    await platform.admin.command({ op: 'delete', id: 'R00000021' });
    const upToDate = new MemoryMirror();
    await pullAll(client, upToDate);
    const firstPage = await client.pull(null, 500); // a first load under way while the log is compacted
    if (firstPage.kind !== 'ok') throw new Error(JSON.stringify(firstPage));

    const compacted = await platform.admin.command({ op: 'compact' });
    expect(compacted.removed).toBeGreaterThan(0);

    const reset = await client.pull(old, 100);
    expect(reset).toMatchObject({ kind: 'reset', reason: 'cursor_too_old' });
    if (reset.kind === 'reset') expect(reset.message).toContain('重新下载');
    expect(await client.pull(firstPage.value.nextCursor, 500)).toMatchObject({ kind: 'reset', reason: 'cursor_too_old' });
    expect(await client.pull(upToDate.cursor, 100)).toMatchObject({ kind: 'ok', value: { changes: [] } });

    // A first load begun after the compaction pages through cursors below the floor unharmed.
    const fresh = new MemoryMirror();
    const { pages } = await pullAll(client, fresh, 500);
    expect(pages).toBeGreaterThan(2);
    expect(fresh.digest().digest).toBe((await platform.admin.digest()).digest);
    expect(fresh.applied).toBe(fresh.entities.size); // compacted: one change per entity
  });
});

describe('push', () => {
  it('1,000 records through drops, 5xx and lost replies: the platform holds each exactly once', async () => {
    const items = makePushItems(1000, 3);
    await platform.admin.setFaults({ drop: 0.15, error5xx: 0.15, loseReply: 0.2, seed: 42 });
    const client = adapter();
    const final = new Map<string, PushOutcome>();
    let attempts = 0;
    for (let i = 0; i < items.length; i += 50) {
      const batch = items.slice(i, i + 50);
      const done = await pushUntilDone(client, batch);
      attempts += done.attempts;
      for (const o of done.outcomes) final.set(o.id, o);
    }
    const stats = await platform.admin.stats();
    await platform.admin.setFaults({});

    expect([...final.values()].every((o) => o.status === 'accepted' || o.status === 'duplicate')).toBe(true);
    expect(final.size).toBe(1000);
    // Faults really happened, and replies lost after commit came back as duplicates.
    expect(attempts).toBeGreaterThan(20);
    expect(stats.faultCounters.dropped).toBeGreaterThan(0);
    expect(stats.faultCounters.errors5xx).toBeGreaterThan(0);
    expect(stats.faultCounters.lostReplies).toBeGreaterThan(0);
    expect([...final.values()].filter((o) => o.status === 'duplicate').length).toBeGreaterThan(0);

    const ours = new Set(items.map((it) => it.id));
    const received = (await platform.admin.received()).filter((r) => ours.has(r.id));
    expect(received).toHaveLength(1000);
    expect(new Set(received.map((r) => r.id)).size).toBe(1000);

    // Sending everything once more changes nothing.
    const again = await pushUntilDone(client, items.slice(0, 200));
    expect(again.outcomes.every((o) => o.status === 'duplicate')).toBe(true);
    expect((await platform.admin.received()).filter((r) => ours.has(r.id))).toHaveLength(1000);
  });

  it('a business rejection is an answer for that record, not an error for the batch', async () => {
    const [good1, good2] = makePushItems(2, 9);
    const [template] = makePushItems(1, 10);
    if (good1 === undefined || good2 === undefined || template?.payload.kind !== 'check') throw new Error('fixture');
    const badMatter = pushItem({ kind: 'check', record: { ...template.payload.record, matterId: 'NO-SUCH-MATTER' } });
    const badId = pushItem({
      kind: 'check',
      record: { ...template.payload.record, id: `${template.payload.record.id}-x`, identifier: '9137130212345' },
    });
    const result = await adapter().push([good1, badMatter, badId, good2]);
    if (result.kind !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.value.map((o) => o.status)).toEqual(['accepted', 'rejected', 'rejected', 'accepted']);
    expect(result.value[1]).toMatchObject({ code: 'unknown_matter' });
    expect(result.value[1]?.reason).toContain('NO-SUCH-MATTER');
    expect(result.value[2]).toMatchObject({ code: 'invalid_identifier' });
  });

  it('the admin client reads a received record back as the device sent it; an unknown id is a 404', async () => {
    const [template] = makePushItems(5, 12).filter((it) => it.payload.kind === 'finding');
    if (template?.payload.kind !== 'finding') throw new Error('fixture');
    const item = pushItem({
      kind: 'finding',
      record: { ...template.payload.record, initiate: { behaviour: '虚开增值税专用发票', evidence: '发票存根照片 2 张' } },
    });
    expect(await adapter().push([item])).toMatchObject({ kind: 'ok', value: [{ id: item.id, status: 'accepted' }] });
    expect(await platform.admin.receivedPayload(item.id)).toEqual(item.payload);
    await expect(platform.admin.receivedPayload('finding:no-such-record')).rejects.toThrow('平台未收到编号为 finding:no-such-record 的记录');
  });

  it('429 / 503 come with Retry-After, which the adapter reports in ms', async () => {
    await platform.admin.setFaults({ overload: 1, retryAfterSeconds: 2 });
    const result = await adapter().push(makePushItems(1, 11));
    expect(result).toMatchObject({ kind: 'retryAfter', ms: 2000 });
    if (result.kind === 'retryAfter') {
      expect([429, 503]).toContain(result.status);
      expect(result.message).toContain('2 秒后重试');
    }
  });

  it('a platform slower than the timeout is a retryable timeout', async () => {
    await platform.admin.setFaults({ delayMs: 1500 });
    expect(await adapter({ token, timeoutMs: 300 }).health()).toMatchObject({
      kind: 'error',
      error: { code: 'timeout', retryable: true },
    });
  });
});

describe('persistence', () => {
  it('a restarted platform has the same data, devices and received records', async () => {
    const before = await platform.admin.digest();
    const mirror = new MemoryMirror();
    await pullAll(adapter(), mirror);
    const receivedBefore = (await platform.admin.received()).length;
    const dataDir = platform.dataDir;
    await platform.stop({ keepData: true });
    platform = await spawnPlatform({ dataDir, records: RECORDS, seed: 7, today: TODAY });
    try {
      expect(await platform.admin.digest()).toEqual(before);
      expect((await platform.admin.received()).length).toBe(receivedBefore);
      expect(await adapter().pull(mirror.cursor, 10)).toMatchObject({ kind: 'ok', value: { changes: [] } });
    } finally {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
