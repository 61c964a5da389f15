/**
 * The UI side of mirror-worker.ts: starts the worker and turns its messages into promises with
 * progress callbacks and AbortSignal support.
 */
import type { ListRecord } from '../../shared/domain/schemas';
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

export class MirrorWorkerClient {
  private readonly worker: Worker;
  private listener: ((e: MirrorWorkerEvent) => void) | undefined;

  constructor(worker?: Worker) {
    this.worker = worker ?? new Worker(new URL('./mirror-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<MirrorWorkerEvent>) => this.listener?.(e.data);
  }

  private send(req: MirrorWorkerRequest): void {
    this.worker.postMessage(req);
  }

  /** Runs one job: resolves with its stats, rejects with its error (an AbortError when cancelled). */
  private job(start: () => void, opts: WorkerJobOptions, onAck?: () => void): Promise<LoadStats> {
    return new Promise<LoadStats>((resolve, reject) => {
      const onAbort = (): void => this.send({ type: 'abort' });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.listener = (e) => {
        if (e.type === 'progress') opts.onProgress?.(e.done, e.total);
        else if (e.type === 'ack') onAck?.();
        else {
          opts.signal?.removeEventListener('abort', onAbort);
          this.listener = undefined;
          if (e.type === 'done') resolve(e.stats);
          else reject(Object.assign(new Error(e.message), { name: e.name }));
        }
      };
      start();
    });
  }

  /** Generates the synthetic sample inside the worker and loads it as a new generation. */
  loadSample(sample: { seed: number; subjects: number; records: number; today: string }, opts: WorkerJobOptions = {}): Promise<LoadStats> {
    return this.job(() => this.send({ type: 'load-sample', dbName: opts.dbName ?? DB_NAME, ...sample, ...(opts.meta ? { meta: opts.meta } : {}), ...(opts.tuning ? { tuning: opts.tuning } : {}) }), opts);
  }

  /** Loads batches produced on this side (e.g. a platform download) in the worker. */
  async load(batches: RecordBatches, opts: WorkerJobOptions & { total?: number } = {}): Promise<LoadStats> {
    let credit = WINDOW;
    let wake: (() => void) | undefined;
    const done = this.job(
      () => this.send({ type: 'begin', dbName: opts.dbName ?? DB_NAME, ...(opts.total === undefined ? {} : { total: opts.total }), ...(opts.meta ? { meta: opts.meta } : {}), ...(opts.tuning ? { tuning: opts.tuning } : {}) }),
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

  compact(opts: WorkerJobOptions = {}): Promise<LoadStats> {
    return this.job(() => this.send({ type: 'compact', dbName: opts.dbName ?? DB_NAME }), opts);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
