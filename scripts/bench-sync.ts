/**
 * Sync benchmark, end to end against the reference platform running as a separate process:
 *
 *   1. first load of N list records (download + build of the mirror generation);
 *   2. a delta pull of C changes made on the platform after that load;
 *   3. P outbox records pushed.
 *
 *   npx tsx scripts/bench-sync.ts [--records 10000] [--changes 10000] [--push 10000]
 *
 * Prints ONE JSON line. The client runs in Node on fake-indexeddb, which is NOT representative
 * of Chromium's IndexedDB (different storage engine, no structured-clone cost profile, no
 * relaxed durability): use the numbers to compare versions of the engine, not to predict the
 * desktop app. The same engine can be driven from the browser bench page for real figures.
 */
import 'fake-indexeddb/auto';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { SyncEngine, memorySecretStore } from '../renderer/sync/engine';
import { openDatabase } from '../renderer/db/database';
import { PlatformStore } from '../test/platform/store';
import { makePushItems } from '../test/platform/fixtures';
import { spawnPlatform, type SpawnedPlatform } from '../test/platform/spawn';
import { enqueueItems, mirrorDigest, payloadsOf } from '../test/sync/helpers';
import { recordId } from '../shared/sample/generator';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '10000' },
    changes: { type: 'string', default: '10000' },
    push: { type: 'string', default: '10000' },
    verify: { type: 'boolean', default: true },
  },
});
const N = Number(values.records);
const C = Number(values.changes);
const P = Number(values.push);
const TODAY = '2026-11-20';

const rate = (n: number, ms: number): number => Math.round((n * 1000) / Math.max(ms, 1));

async function main(): Promise<void> {
  let platform: SpawnedPlatform = await spawnPlatform({ records: N, seed: 99, today: TODAY, startTimeoutMs: 120_000 });
  const dataDir = platform.dataDir;
  const db = openDatabase(`bench-sync-${process.pid}`);
  const secrets = memorySecretStore({ mode: 'encrypted', provider: 'bench' });
  const engine = new SyncEngine({ db, fetchImpl: fetch, secrets, tuning: { countsPollMs: 3_600_000 } });
  const out: Record<string, unknown> = {
    bench: 'sync',
    client: 'node + fake-indexeddb',
    note: 'Node + fake-indexeddb is NOT representative of Chromium IndexedDB; compare engine versions with it, measure the app in the browser bench page',
    node: process.version,
  };
  try {
    const code = await platform.admin.enrolCode();
    const enrolled = await engine.enrol({ baseUrl: platform.url, code, deviceName: 'bench' });
    if (!enrolled.ok) throw new Error(enrolled.message);

    // 1. First load.
    const stats = await platform.admin.stats();
    let buildAt = 0;
    const unsub = engine.subscribe(() => {
      if (buildAt === 0 && engine.getSnapshot().load?.stage === 'build') buildAt = performance.now();
    });
    const t0 = performance.now();
    const first = await engine.syncNow();
    const t1 = performance.now();
    unsub();
    if (!first.ok) throw new Error(`first load: ${first.error?.message}`);
    out.firstLoad = {
      records: stats.records,
      changes: stats.changes,
      ms: Math.round(t1 - t0),
      recordsPerSec: rate(stats.records, t1 - t0),
      downloadMs: Math.round(buildAt - t0),
      buildMs: Math.round(t1 - buildAt),
    };

    // 2. C changes on the platform, made in-process on its database between two runs of it
    // (10,000 admin requests would measure the admin API, not the sync).
    await platform.stop({ keepData: true });
    const store = PlatformStore.open({ file: `${dataDir}/platform.sqlite`, today: TODAY });
    store.db.pragma('synchronous = OFF');
    const count = Math.min(C, N);
    store.db.transaction(() => {
      for (let i = 0; i < C; i++) store.apply({ op: 'change', id: recordId(i % count), patch: { reason: `基准测试修改 ${i}` } });
    })();
    store.close();
    platform = await spawnPlatform({ dataDir, records: N, seed: 99, today: TODAY, startTimeoutMs: 120_000 });
    // Same platform, new address (a new port): the enrolment carries over, the token is valid.
    await db.meta.put({ key: 'sync.enrolment', value: { ...engine.getSnapshot().enrolment, baseUrl: platform.url } });
    const engine2 = new SyncEngine({ db, fetchImpl: fetch, secrets, tuning: { countsPollMs: 3_600_000 } });
    const t2 = performance.now();
    const delta = await engine2.syncNow();
    const t3 = performance.now();
    if (!delta.ok) throw new Error(`delta pull: ${delta.error?.message}`);
    out.deltaPull = { changes: C, ms: Math.round(t3 - t2), changesPerSec: rate(C, t3 - t2), pageSize: 500 };

    // 3. P outbox records pushed.
    await enqueueItems(db, payloadsOf(makePushItems(P, 3)));
    const t4 = performance.now();
    const pushed = await engine2.syncNow();
    const t5 = performance.now();
    if (!pushed.ok) throw new Error(`push: ${pushed.error?.message}`);
    const received = (await platform.admin.stats()).received;
    out.push = { records: P, received, ms: Math.round(t5 - t4), recordsPerSec: rate(P, t5 - t4), batch: 200 };

    if (values.verify) {
      const theirs = await platform.admin.digest();
      const mine = await mirrorDigest(db);
      out.mirrorEqualsPlatform = mine.digest === theirs.digest && mine.count === theirs.count;
    }
    await engine2.dispose();
  } finally {
    await engine.dispose();
    db.close();
    await sleep(10);
    await platform.stop();
  }
  console.log(JSON.stringify(out));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
