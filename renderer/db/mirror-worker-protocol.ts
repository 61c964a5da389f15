/**
 * Messages between the UI and mirror-worker.ts, and the worker's message handler itself (kept
 * apart from the worker entry so it can be tested in Node). Bulk loads and compaction run in
 * the worker; the UI thread only sees progress.
 *
 * A streamed load: `begin`, then `batch` messages (each acknowledged with `ack` once stored in
 * the loader, so the sender never has more than a few batches in flight), then `end`.
 * A list import: `import`, then its records as `batch` messages, then `end`; the records are
 * checked again and applied as delta-log rows in one transaction (renderer/import/apply.ts
 * applyListImport); `done` then carries how many were applied and ignored, and whether a
 * compaction started.
 *
 * After each job's `done` or `error`, the worker keeps its database open until the automatic
 * compaction (on in workers: mirror-store scheduleCompaction, also started by maintainMirror at
 * open) has settled, then closes it and posts `idle`: terminate the worker only after `idle`,
 * or the compaction is lost (the next start does it again).
 */
import type { AuditEvent } from '../../shared/domain/audit';
import type { ListRecord } from '../../shared/domain/schemas';
import { generateRecords } from '../../shared/sample/generator';
import { applyListImport, type ImportActor } from '../import/apply';
import { mirrorMaintenance, openDatabase, type DatabaseOptions, type HechataiDb } from './database';
import { compactMirror, compactionPending, loadMirror, pendingCompaction, type LoadStats, type Tuning } from './mirror-store';

export type MirrorWorkerRequest =
  /** Generate the synthetic sample inside the worker and load it. */
  | {
      type: 'load-sample';
      dbName: string;
      seed: number;
      subjects: number;
      records: number;
      today: string;
      meta?: Record<string, unknown>;
      tuning?: Partial<Tuning>;
    }
  | { type: 'begin'; dbName: string; total?: number; meta?: Record<string, unknown>; tuning?: Partial<Tuning> }
  | { type: 'batch'; records: ListRecord[] }
  | { type: 'end' }
  /** The actor is checked here too (assertCan 'list.import'), and `meta` written in the import's transaction. */
  | { type: 'import'; dbName: string; actor: ImportActor; meta?: Record<string, unknown>; audit?: { key: string; event: AuditEvent } }
  | { type: 'compact'; dbName: string }
  | { type: 'abort' };

export type MirrorWorkerEvent =
  | { type: 'progress'; done: number; total?: number }
  | { type: 'ack' }
  /** `stats` for loads and compaction; `imported` for an import (`compacting`: a compaction of the mirror started after it). */
  | { type: 'done'; stats?: LoadStats; imported?: { applied: number; ignored: number; compacting: boolean } }
  | { type: 'error'; name: string; message: string }
  /** After `done` or `error`: the job's automatic compaction has settled (`compacted`: one finished) and its database is closed. */
  | { type: 'idle'; compacted: boolean };

/** An async iterable fed by `push` and closed by `close` (the batches of a streamed load). */
class BatchQueue implements AsyncIterable<ListRecord[]> {
  constructor(private readonly onTake: () => void) {}
  private items: ListRecord[][] = [];
  private closed = false;
  private wake: (() => void) | undefined;
  push(batch: ListRecord[]): void {
    this.items.push(batch);
    this.wake?.();
  }
  close(): void {
    this.closed = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<ListRecord[], void, undefined> {
    for (;;) {
      const next = this.items.shift();
      if (next) {
        this.onTake();
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

function* sampleBatches(req: Extract<MirrorWorkerRequest, { type: 'load-sample' }>): Generator<ListRecord[], void, undefined> {
  let batch: ListRecord[] = [];
  for (const r of generateRecords({ seed: req.seed, subjects: req.subjects, records: req.records, today: req.today })) {
    batch.push(r);
    if (batch.length === 2_000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The worker's behaviour: one job at a time. `post` sends events back; `dbOptions` lets tests
 * use fake-indexeddb.
 */
export function mirrorWorkerHandler(post: (e: MirrorWorkerEvent) => void, dbOptions: DatabaseOptions = {}): (req: MirrorWorkerRequest) => void {
  let abort: AbortController | undefined;
  let queue: BatchQueue | undefined;
  let db: HechataiDb | undefined;

  type Done = Omit<Extract<MirrorWorkerEvent, { type: 'done' }>, 'type'>;
  const run = (dbName: string, job: (db: HechataiDb, signal: AbortSignal) => Promise<Done>): void => {
    if (abort) {
      post({ type: 'error', name: 'BusyError', message: '名单镜像正在更新' });
      // Every job ends with `idle`, a refused one too (the client counts them).
      post({ type: 'idle', compacted: false });
      return;
    }
    abort = new AbortController();
    db = openDatabase(dbName, dbOptions);
    const current = db;
    job(current, abort.signal)
      .then((done) => post({ type: 'done', ...done }))
      .catch((e: unknown) => post({ type: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        abort = undefined;
        queue = undefined;
        db = undefined;
      })
      .then(async () => {
        // The compaction the job (or the open) started runs on this connection: keep it open.
        await mirrorMaintenance(current);
        let compacted = false;
        while (compactionPending(current)) if (await pendingCompaction(current)) compacted = true;
        return compacted;
      })
      .then(
        (compacted) => compacted,
        () => false,
      )
      .then((compacted) => {
        current.close();
        post({ type: 'idle', compacted });
      });
  };
  const onProgress = (done: number, total?: number): void => post({ type: 'progress', done, ...(total === undefined ? {} : { total }) });

  return (req) => {
    switch (req.type) {
      case 'load-sample':
        run(req.dbName, async (d, signal) => ({
          stats: await loadMirror(d, sampleBatches(req), { signal, total: req.records, onProgress, ...(req.meta ? { meta: req.meta } : {}), ...(req.tuning ? { tuning: req.tuning } : {}) }),
        }));
        return;
      case 'begin': {
        // Acknowledged when the loader takes a batch: the sender's window of batches in flight.
        const q = new BatchQueue(() => post({ type: 'ack' }));
        run(req.dbName, async (d, signal) => {
          queue = q;
          return { stats: await loadMirror(d, q, { signal, onProgress, ...(req.total === undefined ? {} : { total: req.total }), ...(req.meta ? { meta: req.meta } : {}), ...(req.tuning ? { tuning: req.tuning } : {}) }) };
        });
        return;
      }
      case 'import': {
        const q = new BatchQueue(() => post({ type: 'ack' }));
        run(req.dbName, async (d, signal) => {
          queue = q;
          const records: ListRecord[] = [];
          for await (const batch of q) for (const r of batch) records.push(r);
          signal.throwIfAborted();
          const { applied, ignored } = await applyListImport(d, req.actor, records, { signal, onProgress, meta: req.meta ?? {}, ...(req.audit ? { audit: req.audit } : {}) });
          return { imported: { applied, ignored, compacting: compactionPending(d) } };
        });
        return;
      }
      case 'batch':
        queue?.push(req.records);
        return;
      case 'end':
        queue?.close();
        return;
      case 'compact':
        run(req.dbName, async (d, signal) => ({ stats: await compactMirror(d, { signal, onProgress }) }));
        return;
      case 'abort':
        abort?.abort(new DOMException('已取消', 'AbortError'));
        queue?.close();
        return;
    }
  };
}
