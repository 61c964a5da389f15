/**
 * The UI side of mirror-worker.ts: starts the worker and turns its messages into promises with
 * progress callbacks and AbortSignal support. A job's promise settles at the worker's `done` or
 * `error`; `idle()` settles once every job's background compaction has too: terminate after it.
 */
import type { AuditEvent } from '../../shared/domain/audit';
import type { ListRecord } from '../../shared/domain/schemas';
import type { ImportActor } from '../import/apply';
import { DB_NAME } from './database';
import type { LoadStats, RecordBatches, Tuning } from './mirror-store';
import type { MirrorWorkerEvent, MirrorWorkerRequest } from './mirror-worker-protocol';

export interface WorkerJobOptions {
  dbName?: string;
  onProgress?: (done: number, total?: number) => void;
  signal?: AbortSignal;
  meta?: Record<string, unknown>;
  tuning?: Partial<Tuning>;
}

/** Batches sent ahead of the worker's acknowledgements. */
const WINDOW = 4;
/** Records per message of an import. */
const IMPORT_BATCH = 5_000;

type Done = Extract<MirrorWorkerEvent, { type: 'done' }>;

function statsOf(done: Done): LoadStats {
  if (!done.stats) throw new Error('名单镜像进程未报告载入结果');
  return done.stats;
}

export class MirrorWorkerClient {
  private readonly worker: Worker;
  private listener: ((e: MirrorWorkerEvent) => void) | undefined;
  /** Jobs started and not yet followed by `idle`. */
  private busy = 0;
  private compacted = false;
  private idleWaiters: ((compacted: boolean) => void)[] = [];

  constructor(worker?: Worker) {
    this.worker = worker ?? new Worker(new URL('./mirror-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<MirrorWorkerEvent>) => {
      if (e.data.type === 'idle') {
        this.busy = Math.max(0, this.busy - 1);
        if (e.data.compacted) this.compacted = true;
        if (this.busy === 0) this.wakeIdle();
      } else this.listener?.(e.data);
    };
    // A worker that failed to start or crashed posts nothing more: nobody should wait for it.
    this.worker.addEventListener('error', () => {
      this.busy = 0;
      this.wakeIdle();
    });
  }

  private wakeIdle(): void {
    for (const wake of this.idleWaiters.splice(0)) wake(this.compacted);
  }

  /**
   * Resolves when every job started here has finished, its background compaction included:
   * true if a compaction of the mirror finished in this worker, false if none did (not due,
   * failed, or cut short).
   */
  idle(): Promise<boolean> {
    if (this.busy === 0) return Promise.resolve(this.compacted);
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private send(req: MirrorWorkerRequest): void {
    this.worker.postMessage(req);
  }

  /** Runs one job: resolves with its outcome, rejects with its error (an AbortError when cancelled). */
  private job(start: () => void, opts: WorkerJobOptions, onAck?: () => void): Promise<Done> {
    this.busy++;
    return new Promise<Done>((resolve, reject) => {
      const onAbort = (): void => this.send({ type: 'abort' });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.listener = (e) => {
        if (e.type === 'progress') opts.onProgress?.(e.done, e.total);
        else if (e.type === 'ack') onAck?.();
        else if (e.type === 'done' || e.type === 'error') {
          opts.signal?.removeEventListener('abort', onAbort);
          this.listener = undefined;
          if (e.type === 'done') resolve(e);
          else reject(Object.assign(new Error(e.message), { name: e.name }));
        }
      };
      start();
    });
  }

  /** Generates the synthetic sample inside the worker and loads it as a new generation. */
  async loadSample(sample: { seed: number; subjects: number; records: number; today: string }, opts: WorkerJobOptions = {}): Promise<LoadStats> {
    return statsOf(await this.job(() => this.send({ type: 'load-sample', dbName: opts.dbName ?? DB_NAME, ...sample, ...(opts.meta ? { meta: opts.meta } : {}), ...(opts.tuning ? { tuning: opts.tuning } : {}) }), opts));
  }

  /** Loads batches produced on this side (e.g. a platform download) in the worker. */
  async load(batches: RecordBatches, opts: WorkerJobOptions & { total?: number } = {}): Promise<LoadStats> {
    const begin: MirrorWorkerRequest = { type: 'begin', dbName: opts.dbName ?? DB_NAME, ...(opts.total === undefined ? {} : { total: opts.total }), ...(opts.meta ? { meta: opts.meta } : {}), ...(opts.tuning ? { tuning: opts.tuning } : {}) };
    return statsOf(await this.stream(begin, batches, opts));
  }

  /**
   * A list import, checked again and applied inside the worker as delta-log rows in one
   * transaction (renderer/import/apply.ts applyListImport), `meta` with it. Cancelling leaves
   * the mirror as it was. `compacting`: the worker has started folding the delta into a new
   * generation; `idle()` tells when it has finished.
   */
  async importList(
    records: readonly ListRecord[],
    opts: Omit<WorkerJobOptions, 'tuning'> & { actor: ImportActor; audit?: { key: string; event: AuditEvent } },
  ): Promise<{ applied: number; ignored: number; compacting: boolean }> {
    const start: MirrorWorkerRequest = { type: 'import', dbName: opts.dbName ?? DB_NAME, actor: opts.actor, ...(opts.meta ? { meta: opts.meta } : {}), ...(opts.audit ? { audit: opts.audit } : {}) };
    function* batches(): Generator<ListRecord[]> {
      for (let i = 0; i < records.length; i += IMPORT_BATCH) yield records.slice(i, i + IMPORT_BATCH);
    }
    const done = await this.stream(start, batches(), opts);
    if (!done.imported) throw new Error('名单镜像进程未报告导入结果');
    return done.imported;
  }

  /** Sends `start`, then the batches (at most WINDOW unacknowledged), then `end`. */
  private async stream(start: MirrorWorkerRequest, batches: RecordBatches, opts: WorkerJobOptions): Promise<Done> {
    let credit = WINDOW;
    let wake: (() => void) | undefined;
    const done = this.job(
      () => this.send(start),
      opts,
      () => {
        credit++;
        wake?.();
      },
    );
    let failed = false;
    done.catch(() => {
      failed = true;
      wake?.();
    });
    for await (const batch of batches) {
      while (credit === 0 && !failed) await new Promise<void>((r) => (wake = r));
      if (failed || opts.signal?.aborted) break;
      credit--;
      this.send({ type: 'batch', records: batch as ListRecord[] });
    }
    this.send({ type: 'end' });
    return done;
  }

  async compact(opts: WorkerJobOptions = {}): Promise<LoadStats> {
    return statsOf(await this.job(() => this.send({ type: 'compact', dbName: opts.dbName ?? DB_NAME }), opts));
  }

  terminate(): void {
    this.worker.terminate();
  }
}
