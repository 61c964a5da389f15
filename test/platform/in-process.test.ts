/**
 * The platform started in-process (startPlatform), as a client-engine test would use it when
 * it wants to move the world and switch faults without HTTP round trips.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { HttpPlatformAdapter } from '../../shared/sync/http-adapter';
import { startPlatform } from './server';

it('startPlatform serves the protocol and exposes its store and fault switches', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-inproc-'));
  const platform = await startPlatform({ dataDir, port: 0, records: 50, seed: 2, today: '2026-11-20' });
  try {
    const client = new HttpPlatformAdapter({ baseUrl: platform.url, fetchImpl: fetch });
    const enrolled = await client.enrol({ code: platform.store.createEnrolCode(), deviceName: '测试机' });
    if (enrolled.kind !== 'ok') throw new Error(JSON.stringify(enrolled));
    const device = new HttpPlatformAdapter({ baseUrl: platform.url, fetchImpl: fetch, token: enrolled.value.token });

    const first = await device.pull(null, 1000);
    if (first.kind !== 'ok') throw new Error(JSON.stringify(first));
    expect(first.value).toMatchObject({ hasMore: false, snapshotSeq: platform.store.highSeq() });

    platform.store.apply({ op: 'expire', id: 'R00000003' });
    const next = await device.pull(first.value.nextCursor, 1000);
    expect(next).toMatchObject({ kind: 'ok', value: { changes: [{ op: 'upsert', data: { id: 'R00000003', validTo: '2026-11-19' } }] } });

    platform.faults.set({ error5xx: 1 });
    expect(await device.health()).toMatchObject({ kind: 'error', error: { code: 'internal', retryable: true, status: 500 } });
  } finally {
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
