/**
 * The engine behind the worker protocol, over a real MessageChannel (structured clone, as
 * between a page and its Web Worker): calls, status snapshots, and the token asked from the
 * page's secret store (never written to the worker's database).
 */
import 'fake-indexeddb/auto';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySecretStore } from '../../renderer/sync/engine';
import { SyncWorkerClient, serveSyncEngine, type Endpoint } from '../../renderer/sync/worker-protocol';
import { spawnPlatform, type SpawnedPlatform } from '../platform/spawn';
import { freshDbName, makeEngine, mirrorDigest, openDb, waitFor } from './helpers';

let platform: SpawnedPlatform;

beforeAll(async () => {
  platform = await spawnPlatform({ records: 200, seed: 61, today: '2026-11-20' });
}, 30_000);

afterAll(async () => {
  await platform.stop();
});

function endpoint<Out, In>(port: MessagePort): Endpoint<Out, In> {
  let handler: ((e: { data: In }) => void) | null = null;
  port.on('message', (data: In) => handler?.({ data }));
  return {
    postMessage: (m: Out) => port.postMessage(m),
    get onmessage() {
      return handler;
    },
    set onmessage(fn) {
      handler = fn;
    },
  };
}

describe('sync engine behind the worker protocol', () => {
  it('enrols, syncs and reports status through messages; the token stays with the page', async () => {
    const { port1, port2 } = new MessageChannel();
    const db = openDb(freshDbName('worker'));
    const pageSecrets = memorySecretStore({ mode: 'encrypted', provider: 'dpapi' });
    serveSyncEngine(endpoint(port1), (secrets, store) => makeEngine(db, { secrets, store }));
    const client = new SyncWorkerClient(endpoint(port2), pageSecrets, () => {
      port1.close();
      port2.close();
    });

    await client.start();
    const code = await platform.admin.enrolCode();
    const enrolled = await client.enrol({ baseUrl: platform.url, code, deviceName: '工作线程窗口' });
    expect(enrolled).toMatchObject({ ok: true, value: { deviceName: '工作线程窗口', department: '市场监督管理局' } });
    expect(pageSecrets.token).toMatch(/^[\w-]{16,}$/);
    const outcome = await client.syncNow();
    expect(outcome.ok).toBe(true);
    const status = await waitFor(client as never, (s) => s.mirrorSource === 'platform' && s.load === null);
    expect(status).toMatchObject({ connectivity: 'online', secret: { mode: 'encrypted', provider: 'dpapi' }, enrolment: { deviceName: '工作线程窗口' } });
    const theirs = await platform.admin.digest();
    expect(await mirrorDigest(db)).toEqual({ count: theirs.count, digest: theirs.digest });
    expect(await client.listRejected()).toEqual([]);
    expect(await client.exportOutbox()).toMatchObject({ ok: false, message: '没有待上报的记录' });
    const bytes = new TextEncoder().encode('not a package');
    expect(await client.importPackage(bytes)).toMatchObject({ ok: false, code: 'not_a_package' });

    // Nothing of the token in the database.
    const meta = JSON.stringify(await db.meta.toArray());
    expect(meta).not.toContain(pageSecrets.token as string);
    await client.dispose();
    db.close();
  });
});
