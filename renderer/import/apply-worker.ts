/**
 * The page's way to merge a big list import in the mirror worker (mirror-worker.ts), so that
 * neither the check of 100,000 records nor the new generation's writes take the counter's
 * thread: pass `workerGeneration(db.name)` as applyImport's `generation`.
 */
import { MirrorWorkerClient } from '../db/mirror-worker-client';
import type { ListGeneration } from './apply';

export function workerGeneration(dbName: string, createWorker?: () => Worker): ListGeneration {
  return async (records, job) => {
    const client = new MirrorWorkerClient(createWorker?.());
    try {
      const { applied, ignored } = await client.importList(records, {
        dbName,
        actor: job.actor,
        meta: job.meta,
        ...(job.signal ? { signal: job.signal } : {}),
        ...(job.onProgress ? { onProgress: job.onProgress } : {}),
      });
      return { applied, ignored };
    } finally {
      client.terminate();
    }
  };
}
