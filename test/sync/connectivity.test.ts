/**
 * Online detection, the retry schedule and enrolment, with a fake clock and hand-driven timers
 * (the engine's own scheduling, not a test loop), against the reference platform in another
 * process.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusHeadline, type SyncStatus } from '../../shared/sync/engine-core';
import type { HechataiDb } from '../../renderer/db/database';
import { memorySecretStore, syncPosition, type SyncEngine, type Timers } from '../../renderer/sync/engine';
import { spawnPlatform, type SpawnedPlatform } from '../platform/spawn';
import { enrol, freshDbName, makeEngine, openDb, waitFor } from './helpers';

let platform: SpawnedPlatform;

beforeAll(async () => {
  platform = await spawnPlatform({ records: 300, seed: 51, today: '2026-11-20' });
}, 30_000);

afterAll(async () => {
  await platform.stop();
});

/** Timers the test fires by hand, and a clock it moves. */
class ManualTime implements Timers {
  now = Date.UTC(2026, 10, 20, 2, 0, 0);
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Fires the timer the engine set for its next cycle (the longest-standing one not the counts poll). */
  fireSync(pollMs: number): number {
    for (const [id, t] of this.pending) {
      if (t.ms === pollMs) continue;
      this.pending.delete(id);
      // One more millisecond, so every cycle ends at a moment of its own.
      this.now += t.ms + 1;
      t.fn();
      return t.ms;
    }
    throw new Error('no sync timer pending');
  }
}

/** A fetch that fails like a cable pulled out while `down` is true, and counts calls. */
function flakyFetch(): typeof fetch & { down: boolean; calls: number } {
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    f.calls++;
    if (f.down) throw new TypeError('fetch failed');
    return fetch(input, init);
  }) as typeof fetch & { down: boolean; calls: number };
  f.down = false;
  f.calls = 0;
  return f;
}

const POLL = 3_600_000;

describe('online detection and the retry schedule', () => {
  let db: HechataiDb;
  let engine: SyncEngine;
  const time = new ManualTime();
  const net = flakyFetch();
  let online = true;

  beforeAll(async () => {
    db = openDb(freshDbName('conn'));
    engine = makeEngine(db, {
      fetchImpl: net,
      now: () => time.now,
      random: () => 0.5,
      timers: time,
      onlineHint: () => online,
      tuning: { backoff: { baseMs: 1_000, capMs: 300_000 }, countsPollMs: POLL },
    });
    await enrol(engine, platform);
  });

  afterAll(async () => {
    await engine.dispose();
    db.close();
  });

  async function fire(): Promise<SyncStatus> {
    const before = engine.getSnapshot();
    time.fireSync(POLL);
    return waitFor(engine, (s) => s !== before && s.phase === 'idle' && (s.lastSuccessAt !== before.lastSuccessAt || s.lastError !== before.lastError || s.failures !== before.failures));
  }

  it('navigator.onLine === false means offline, without a request', async () => {
    online = false;
    const calls = net.calls;
    const outcome = await engine.syncNow();
    expect(outcome.error?.code).toBe('offline');
    expect(net.calls).toBe(calls);
    expect(engine.getSnapshot().connectivity).toBe('offline');
    expect(statusHeadline(engine.getSnapshot())).toBe('离线');
    online = true;
  });

  it('a true onLine proves nothing: the health probe decides, and a failure is said in plain words', async () => {
    net.down = true;
    const outcome = await engine.syncNow();
    expect(outcome.error?.code).toBe('network');
    expect(engine.getSnapshot()).toMatchObject({ connectivity: 'offline', lastError: { message: '无法连接信用平台，请检查网络；恢复后将自动重试' } });
    net.down = false;
  });

  it('retries on its own timer: 1 s doubling with jitter, capped at 5 minutes; Retry-After honoured; back to the interval on success', async () => {
    net.down = true;
    await engine.start();
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const s = await fire();
      expect(s.connectivity).toBe('offline');
      delays.push((s.nextAttemptAt ?? 0) - time.now);
    }
    // random() = 0.5: three quarters of the ceiling (1 s, 2 s, 4 s … 300 s).
    // The two earlier tests failed once each: this run starts at the third consecutive failure.
    const expected = Array.from({ length: 12 }, (_, i) => 0.75 * Math.min(300_000, 1000 * 2 ** (i + 2)));
    expect(delays).toEqual(expected);

    // The platform answers again, but is overloaded: wait as told (7 s), not the backoff.
    net.down = false;
    await platform.admin.setFaults({ overload: 1, retryAfterSeconds: 7 });
    const busy = await fire();
    expect(busy.connectivity).toBe('online');
    expect(busy.lastError?.message).toMatch(/7 秒后重试/);
    const wait = (busy.nextAttemptAt ?? 0) - time.now;
    expect(wait).toBeGreaterThanOrEqual(7_000);
    expect(wait).toBeLessThanOrEqual(7_700);

    await platform.admin.setFaults({});
    const ok = await fire();
    expect(ok).toMatchObject({ lastError: null, failures: 0, connectivity: 'online', load: null });
    expect(ok.nextAttemptAt).toBe(time.now + ok.intervalMs);
    expect(ok.mirrorCompleteAt).toBe(time.now);
    await engine.stop();
  });

  it('the interval is configurable and automatic sync can be turned off', async () => {
    expect(await engine.setSchedule({ autoSync: true, intervalMs: 5_000 })).toMatchObject({ ok: false });
    expect(await engine.setSchedule({ autoSync: true, intervalMs: 60_000 })).toMatchObject({ ok: true });
    await engine.start();
    const s = await fire();
    expect((s.nextAttemptAt ?? 0) - time.now).toBe(60_000);
    await engine.setSchedule({ autoSync: false, intervalMs: 60_000 });
    expect(engine.getSnapshot().nextAttemptAt).toBeNull();
    expect([...time.pending.values()].filter((t) => t.ms !== POLL)).toHaveLength(0);
    await engine.stop();
  });
});

describe('enrolment and the token', () => {
  it('refuses a wrong address, a wrong code and a used code with the platform messages', async () => {
    const db = openDb(freshDbName('enrol'));
    const engine = makeEngine(db);
    expect(await engine.enrol({ baseUrl: 'ftp://x', code: 'AAAA-BBBB', deviceName: '窗口' })).toMatchObject({ ok: false, code: 'bad_url' });
    expect(await engine.enrol({ baseUrl: platform.url, code: 'ZZZZ-ZZZZ', deviceName: '窗口' })).toMatchObject({
      ok: false,
      message: '登记码无效，请核对后重新输入',
    });
    const code = await platform.admin.enrolCode();
    expect((await engine.enrol({ baseUrl: platform.url, code, deviceName: '窗口' })).ok).toBe(true);
    expect(await engine.enrol({ baseUrl: platform.url, code, deviceName: '窗口' })).toMatchObject({
      ok: false,
      message: '登记码已被使用，请向平台管理员申请新的登记码',
    });
    const dead = await engine.enrol({ baseUrl: 'http://127.0.0.1:9', code, deviceName: '窗口' });
    expect(dead).toMatchObject({ ok: false });
    if (!dead.ok) expect(dead.message).toContain('无法连接信用平台');
    await engine.dispose();
    db.close();
  });

  it('a session-only secret store is reported; after a restart the clerk must enrol again, and the mirror stays', async () => {
    const name = freshDbName('session');
    let db = openDb(name);
    const session = memorySecretStore({ mode: 'session-only', reason: 'basic_text' });
    let engine = makeEngine(db, { secrets: session });
    await enrol(engine, platform);
    expect(engine.getSnapshot().secret).toEqual({ mode: 'session-only', reason: 'basic_text' });
    expect((await engine.syncNow()).ok).toBe(true);
    const position = await syncPosition(db);
    await engine.dispose();
    db.close();

    // Restart: the session store is empty now.
    db = openDb(name);
    engine = makeEngine(db, { secrets: memorySecretStore({ mode: 'session-only', reason: 'basic_text' }) });
    await engine.init();
    expect(engine.getSnapshot()).toMatchObject({ tokenMissing: true, enrolment: { deviceName: '测试窗口' } });
    expect(statusHeadline(engine.getSnapshot())).toBe('需重新登记');
    const outcome = await engine.syncNow();
    expect(outcome).toMatchObject({ ok: false, error: { code: 'token_missing' }, nextAt: null });
    await enrol(engine, platform);
    expect(engine.getSnapshot().tokenMissing).toBe(false);
    expect((await engine.syncNow()).ok).toBe(true);
    // Same platform: the mirror was kept, no reload.
    expect((await syncPosition(db)).pull?.cursor).toBe(position.pull?.cursor);
    await engine.dispose();
    db.close();
  });

  it('a token the platform does not know (401) asks for a new enrolment and is not retried', async () => {
    const name = freshDbName('revoked');
    const db = openDb(name);
    const secrets = memorySecretStore({ mode: 'encrypted', provider: 'test' });
    let engine = makeEngine(db, { secrets });
    await enrol(engine, platform);
    await engine.dispose();
    secrets.token = 'not-a-token-the-platform-issued-000000';
    engine = makeEngine(db, { secrets });
    await engine.start();
    const outcome = await engine.syncNow();
    expect(outcome).toMatchObject({ ok: false, error: { code: 'unauthorized' }, nextAt: null });
    expect(engine.getSnapshot()).toMatchObject({ tokenMissing: true, nextAttemptAt: null });
    expect(outcome.error?.message).toContain('重新登记');
    await engine.dispose();
    db.close();
  });
});
