/**
 * The page's way to apply a list import in the mirror worker (mirror-worker.ts), so that
 * neither the check of 100,000 records nor the import's transaction, nor the compaction that
 * may follow it, takes the counter's thread: pass `workerListWriter(db.name)` as applyImport's
 * `writer`. The import's promise settles when the import is applied; the worker is ended only
 * once its background compaction has settled (`mirrorReorganised`), so that it is not lost.
 */
import { MirrorWorkerClient } from '../db/mirror-worker-client';
import type { ListWriter } from './apply';

export function workerListWriter(dbName: string, createWorker?: () => Worker): ListWriter {
  return async (records, job) => {
    const client = new MirrorWorkerClient(createWorker?.());
    const started = client.importList(records, {
      dbName,
      actor: job.actor,
      meta: job.meta,
      ...(job.audit ? { audit: job.audit } : {}),
      ...(job.signal ? { signal: job.signal } : {}),
      ...(job.onProgress ? { onProgress: job.onProgress } : {}),
    });
    // After the job, failed ones too: the worker may be finishing a compaction its open started.
    const ended = client.idle().then(
      (compacted) => {
        client.terminate();
        return compacted;
      },
      () => {
        client.terminate();
        return false;
      },
    );
    const r = await started;
    return { applied: r.applied, ignored: r.ignored, ...(r.compacting ? { mirrorReorganised: ended } : {}) };
  };
}
