/**
 * The page's side of the look-up worker (lookup-worker.ts, lookup-host.ts): once attached to a
 * database, every `lookupIdentifiers` of this context goes to the worker, which answers from
 * the look-up file of the current generation (lookup-file.ts) when it can and through
 * IndexedDB when it cannot. A worker that fails to start or dies hands its look-ups back to
 * this context (through IndexedDB), so the counter never waits on a broken worker.
 */
import { z } from 'zod';
import type { HechataiDb } from './database';
import type { LookupHostStats } from './lookup-host';
import { MirrorChangedError, lookupInHere, routeLookups, type IdentifierHits } from './mirror-store';

export const LookupRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('open'), dbName: z.string().min(1) }),
  z.object({ kind: z.literal('lookup'), id: z.number().int(), ids: z.array(z.string()) }),
  z.object({ kind: z.literal('invalidate') }),
  /** The host's figures; with `settle`, once no look-up file is being built. */
  z.object({ kind: z.literal('status'), id: z.number().int(), settle: z.boolean() }),
]);
export type LookupRequest = z.infer<typeof LookupRequest>;

export type LookupReply =
  /** `timing`: when the worker took the request and when it answered (ms since the epoch, performance.timeOrigin + now). */
  | { id: number; hits: [string, IdentifierHits][]; timing?: [number, number] }
  | { id: number; stats: LookupHostStats }
  | { id: number; error: { name: string; message: string } };

interface Pending {
  ids?: readonly string[];
  resolve: (v: LookupReply) => void;
  reject: (e: unknown) => void;
}

/** The error a reply names, as this context's class where callers test for it. */
function errorOf(e: { name: string; message: string }): Error {
  if (e.name === 'MirrorChangedError') return new MirrorChangedError();
  return Object.assign(new Error(e.message), { name: e.name });
}

export class LookupService {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private broken = false;
  /** The last answer's `timing` (the bench splits slow look-ups with it). */
  lastTiming: [number, number] | undefined;

  constructor(
    private readonly db: HechataiDb,
    worker?: Worker,
  ) {
    this.worker = worker ?? new Worker(new URL('./lookup-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<LookupReply>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if ('error' in e.data) p.reject(errorOf(e.data.error));
      else p.resolve(e.data);
    };
    this.worker.addEventListener('error', () => this.fail());
    this.post({ kind: 'open', dbName: db.name });
  }

  async lookup(identifiers: readonly string[]): Promise<Map<string, IdentifierHits>> {
    if (this.broken) return lookupInHere(this.db, identifiers);
    const reply = await this.ask({ kind: 'lookup', id: this.nextId++, ids: [...identifiers] }, identifiers);
    if (!('hits' in reply)) return lookupInHere(this.db, identifiers);
    this.lastTiming = reply.timing;
    return new Map(reply.hits);
  }

  /** The mirror changed: the worker's next look-up reads its state afresh. */
  invalidate(): void {
    if (!this.broken) this.post({ kind: 'invalidate' });
  }

  async status(settle = false): Promise<LookupHostStats | undefined> {
    if (this.broken) return undefined;
    const reply = await this.ask({ kind: 'status', id: this.nextId++, settle });
    return 'stats' in reply ? reply.stats : undefined;
  }

  close(): void {
    routeLookups(this.db, undefined);
    services.delete(this.db);
    this.broken = true;
    this.worker.terminate();
  }

  private ask(request: Extract<LookupRequest, { id: number }>, ids?: readonly string[]): Promise<LookupReply> {
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { ids, resolve, reject });
      this.post(request);
    });
  }

  private post(request: LookupRequest): void {
    this.worker.postMessage(request);
  }

  /** The worker is gone: its look-ups are answered here. */
  private fail(): void {
    if (this.broken) return;
    this.broken = true;
    routeLookups(this.db, undefined);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      if (p.ids) lookupInHere(this.db, p.ids).then((hits) => p.resolve({ id, hits: [...hits] }), p.reject);
      else p.reject(new Error('名单查询进程已停止'));
    }
  }
}

/**
 * Sends `db`'s look-ups in this context to a look-up worker, where the engine has workers and
 * the origin-private file system; undefined (look-ups stay here) elsewhere.
 */
export function attachLookupService(db: HechataiDb): LookupService | undefined {
  if (typeof Worker === 'undefined' || typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') return undefined;
  const service = new LookupService(db);
  routeLookups(db, (ids) => service.lookup(ids));
  services.set(db, service);
  return service;
}

const services = new WeakMap<HechataiDb, LookupService>();

/** The look-up service attached to `db` in this context, if any. */
export function lookupServiceOf(db: HechataiDb): LookupService | undefined {
  return services.get(db);
}

/** Tells `db`'s look-up worker, if any, that the mirror changed (after an import or a sync). */
export function mirrorChanged(db: HechataiDb): void {
  services.get(db)?.invalidate();
}
