/**
 * The sync part of `npm run bench` (called by scripts/bench.mjs with its browser): the app's
 * sync engine in its Web Worker, in headless Chromium (test/bench/page/sync.ts), against the
 * reference platform started as a separate process (test/platform/spawn.ts):
 *
 *   1. first load of `records` list records: enrol → every page pulled → mirror complete;
 *   2. `changes` changes made on the platform (one admin transaction: new versions, removals
 *      from the list, expiries and tombstones), then one sync cycle pulls and applies them;
 *   3. `push` outbox entries made in the page, then one sync cycle delivers them; the platform
 *      must hold exactly that many afterwards.
 *
 * The mirror is compared with the platform after step 2 (order-independent checksum of
 * test/platform/sum-digest.ts). A seeded platform database is kept in the temp directory per
 * (records, seed) and copied for each run: seeding 1,000,000 records takes over a minute and
 * is not what is measured.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { cpuBetween, cpuSnapshot } from './proc-cpu.mjs';

const TODAY = '2026-11-20';
const TARGETS = { firstLoadMs: 30_000, deltaMs: 2_000, pushMs: 5_000 };

/**
 * The platform edits of step 2, spread over the whole id range: 60 % new versions (an edited
 * reason), 15 % 移出 (upsert with removedOn), 10 % 到期, 15 % deleted (tombstones).
 */
function platformEdits(records, changes, recordId) {
  const commands = [];
  for (let i = 0; i < changes; i++) {
    const id = recordId(Math.floor((i * records) / changes));
    const r = i % 20;
    if (r < 12) commands.push({ op: 'change', id, patch: { reason: `基准测试修改 ${i}` } });
    else if (r < 15) commands.push({ op: 'remove', id, on: TODAY });
    else if (r < 17) commands.push({ op: 'expire', id, on: TODAY });
    else commands.push({ op: 'delete', kind: 'record', id });
  }
  return commands;
}

async function seededCopy(spawnPlatform, records, seed, log) {
  // Named after the platform's database layout and the form of its stored rows too: a cache of
  // an older layout would be migrated again in every run's copy (layout 2 fills in each
  // record's compact form), one of other rows would measure them.
  const cache = join(tmpdir(), `hechatai-bench-platform-layout2ascii-${records}-${seed}`);
  const ready = join(cache, 'ready');
  if (!existsSync(ready)) {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    log(`seeding the platform with ${records.toLocaleString('en')} records (kept in ${cache} for later runs)`);
    const t0 = performance.now();
    const p = await spawnPlatform({ records, seed, today: TODAY, dataDir: cache, startTimeoutMs: 30 * 60_000 });
    await p.stop({ keepData: true });
    writeFileSync(ready, `${Math.round(performance.now() - t0)}\n`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'hechatai-bench-platform-run-'));
  copyFileSync(join(cache, 'platform.sqlite'), join(dir, 'platform.sqlite'));
  return dir;
}

/**
 * @param {{ browser: WebdriverIO.Browser, pageUrl: string, records: number, changes: number, push: number, seed: number, verify: boolean, log: (...a: unknown[]) => void, beforeTeardown?: () => Promise<void> }} o
 */
export async function runSyncBench(o) {
  const { spawnPlatform } = await tsImport('../test/platform/spawn.ts', import.meta.url);
  const { recordId } = await tsImport('../shared/sample/generator.ts', import.meta.url);
  const { browser, log } = o;
  const records = o.records;
  const changes = Math.min(o.changes, records);

  const t0 = performance.now();
  const dataDir = await seededCopy(spawnPlatform, records, o.seed, log);
  const platform = await spawnPlatform({ records, seed: o.seed, today: TODAY, dataDir, startTimeoutMs: 5 * 60_000 });
  const platformStartMs = Math.round(performance.now() - t0);
  log('platform', platform.url, `ready in ${platformStartMs} ms`);

  await browser.setTimeout({ script: 60 * 60_000 });
  await browser.url(o.pageUrl);
  await browser.waitUntil(() => browser.execute(() => Boolean(globalThis.__syncBench?.ready)), { timeout: 30_000 });
  const step = async (name, args = {}) => {
    log(`sync: ${name}`);
    const r = await browser.executeAsync(
      (n, a, done) => {
        globalThis.__syncBench.run(n, a).then(
          (value) => done({ ok: true, value }),
          (e) => done({ ok: false, error: String((e && e.stack) || e) }),
        );
      },
      name,
      args,
    );
    if (!r.ok) throw new Error(`sync step ${name} failed in the page: ${r.error}`);
    return r.value;
  };

  const out = { platform: { records, seed: o.seed, url: platform.url, startMs: platformStartMs }, targets: TARGETS };
  try {
    const stats = await platform.admin.stats();
    out.platform.content = { records: stats.records, measures: stats.measures, matters: stats.matters, highSeq: stats.highSeq };
    await step('setup', { run: String(Date.now()) });

    const code = await platform.admin.enrolCode();
    const cpuFrom = cpuSnapshot({ platform: platform.child.pid });
    out.firstLoad = await step('firstLoad', { url: platform.url, code });
    const cpu = cpuBetween(cpuFrom, cpuSnapshot({ platform: platform.child.pid }), cpus().length);
    if (cpu) out.firstLoad.cpu = cpu;
    if (out.firstLoad.records !== stats.records) throw new Error(`first load holds ${out.firstLoad.records} records, the platform ${stats.records}`);

    if (changes > 0) {
      const commands = platformEdits(records, changes, recordId);
      for (let i = 0; i < commands.length; i += 5_000) await platform.admin.commands(commands.slice(i, i + 5_000));
      out.delta = { mix: { change: 0.6, remove: 0.15, expire: 0.1, delete: 0.15 }, ...(await step('delta', { changes })) };
    }

    if (o.verify) {
      const [mine, theirs] = [await step('verify'), await platform.admin.sumDigest()];
      out.mirrorEqualsPlatform = mine.count === theirs.count && mine.sum === theirs.sum;
      out.verify = { client: mine, platform: { count: theirs.count, sum: theirs.sum } };
      if (!out.mirrorEqualsPlatform) throw new Error(`mirror differs from the platform: ${JSON.stringify(out.verify)}`);
    }

    if (o.push > 0) {
      const before = (await platform.admin.stats()).received;
      out.push = await step('push', { count: o.push, seed: o.seed });
      const after = (await platform.admin.stats()).received;
      out.push.platformReceived = after - before;
      if (after - before !== o.push || out.push.pendingAfter !== 0) {
        throw new Error(`push: the platform holds ${after - before} new records (expected exactly ${o.push}), ${out.push.pendingAfter} still pending`);
      }
    }
    await o.beforeTeardown?.();
    await step('teardown');
    out.met = {
      firstLoad: out.firstLoad.ms <= TARGETS.firstLoadMs,
      ...(out.delta ? { delta: out.delta.ms <= TARGETS.deltaMs } : {}),
      ...(out.push ? { push: out.push.ms <= TARGETS.pushMs } : {}),
    };
    return out;
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
