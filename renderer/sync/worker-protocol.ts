/**
 * The sync engine in a Web Worker (sync-worker.ts), so the first load's build never freezes the
 * counter: messages between the page and the worker, the worker-side handler (kept apart from
 * the worker entry so Node tests drive it over a MessageChannel), and the page-side proxy that
 * implements the same SyncHandle as the engine itself.
 *
 * The platform token never lives in the worker's storage: the worker asks the page for it, and
 * the page asks the bridge (the OS secret store).
 */
import type { CycleOutcome, EnrolmentInfo, SecretMode, SyncStatus } from '../../shared/sync/engine-core';
import type { OutboxEntry } from '../../shared/sync/outbox';
import type { SecretStore, SyncEngine } from './engine';
import { SyncStore, type ActionResult, type EnrolInput, type ExportedPackage, type ImportSummary, type SyncHandle } from './store';

/** The worker's name is this prefix and the database name. */
export const SYNC_WORKER_PREFIX = 'hechatai-sync:';

/** The engine methods the page may call, with their arguments and results. */
export interface SyncCalls {
  start: { args: []; result: void };
  syncNow: { args: []; result: CycleOutcome };
  enrol: { args: [EnrolInput]; result: ActionResult<EnrolmentInfo> };
  forgetEnrolment: { args: []; result: void };
  setSchedule: { args: [{ autoSync: boolean; intervalMs: number }]; result: ActionResult<null> };
  refreshCounts: { args: []; result: void };
  listRejected: { args: []; result: OutboxEntry[] };
  resubmit: { args: [string[]]; result: number };
  withdraw: { args: [string[]]; result: number };
  exportOutbox: { args: []; result: ActionResult<ExportedPackage> };
  importPackage: { args: [Uint8Array]; result: ActionResult<ImportSummary> };
  notifyOnline: { args: []; result: void };
  dispose: { args: []; result: void };
}
export type SyncMethod = keyof SyncCalls;

type SecretOp = { op: 'get' } | { op: 'set'; token: string } | { op: 'delete' } | { op: 'backend' };

export type ToWorker =
  | { type: 'call'; id: number; method: SyncMethod; args: unknown[] }
  | { type: 'secret-reply'; id: number; ok: boolean; value?: unknown; error?: string };

export type FromWorker =
  | { type: 'status'; status: SyncStatus }
  | { type: 'result'; id: number; ok: boolean; value?: unknown; error?: string }
  | ({ type: 'secret'; id: number } & SecretOp);

/** The two ends of a channel: a Worker, a worker's global scope, or a MessagePort. */
export interface Endpoint<Out, In> {
  postMessage(message: Out): void;
  onmessage: ((e: { data: In }) => void) | null;
}

const METHODS: readonly SyncMethod[] = [
  'start', 'syncNow', 'enrol', 'forgetEnrolment', 'setSchedule', 'refreshCounts', 'listRejected',
  'resubmit', 'withdraw', 'exportOutbox', 'importPackage', 'notifyOnline', 'dispose',
];

// ---------------------------------------------------------------- worker side

/**
 * Serves an engine over `port`. `makeEngine` receives the secret store that asks the page, and
 * the store the status flows from.
 */
export function serveSyncEngine(
  port: Endpoint<FromWorker, ToWorker>,
  makeEngine: (secrets: SecretStore, store: SyncStore) => SyncEngine,
): SyncEngine {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ask = (op: SecretOp): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ type: 'secret', id, ...op });
    });
  const secrets: SecretStore = {
    getToken: async () => (await ask({ op: 'get' })) as string | null,
    setToken: async (token) => (await ask({ op: 'set', token })) as SecretMode,
    deleteToken: async () => {
      await ask({ op: 'delete' });
    },
    backend: async () => (await ask({ op: 'backend' })) as SecretMode,
  };
  const store = new SyncStore();
  const engine = makeEngine(secrets, store);
  store.subscribe(() => port.postMessage({ type: 'status', status: store.getSnapshot() }));

  port.onmessage = (e) => {
    const msg = e.data;
    if (msg.type === 'secret-reply') {
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.ok) w?.resolve(msg.value);
      else w?.reject(new Error(msg.error ?? '无法读取登记凭据'));
      return;
    }
    if (!METHODS.includes(msg.method)) {
      port.postMessage({ type: 'result', id: msg.id, ok: false, error: `unknown method ${String(msg.method)}` });
      return;
    }
    void (async () => {
      try {
        const fn = engine[msg.method] as (...args: unknown[]) => unknown;
        const value = await fn.apply(engine, msg.args);
        port.postMessage({ type: 'result', id: msg.id, ok: true, value });
      } catch (err) {
        port.postMessage({ type: 'result', id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    })();
  };
  return engine;
}

// ---------------------------------------------------------------- page side

/** The page's view of an engine running in a worker: the same SyncHandle as the engine. */
export class SyncWorkerClient implements SyncHandle {
  private readonly store = new SyncStore();
  private nextId = 1;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly port: Endpoint<ToWorker, FromWorker>,
    private readonly secrets: SecretStore,
    private readonly onDispose?: () => void,
  ) {
    port.onmessage = (e) => this.receive(e.data);
  }

  readonly getSnapshot = (): SyncStatus => this.store.getSnapshot();
  readonly subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  private receive(msg: FromWorker): void {
    if (msg.type === 'status') this.store.set(msg.status);
    else if (msg.type === 'result') {
      const c = this.calls.get(msg.id);
      this.calls.delete(msg.id);
      if (msg.ok) c?.resolve(msg.value);
      else c?.reject(new Error(msg.error ?? '同步进程出错'));
    } else void this.answerSecret(msg);
  }

  private async answerSecret(msg: Extract<FromWorker, { type: 'secret' }>): Promise<void> {
    try {
      let value: unknown;
      if (msg.op === 'get') value = await this.secrets.getToken();
      else if (msg.op === 'set') value = await this.secrets.setToken(msg.token);
      else if (msg.op === 'delete') value = await this.secrets.deleteToken();
      else value = await this.secrets.backend();
      this.port.postMessage({ type: 'secret-reply', id: msg.id, ok: true, value });
    } catch (err) {
      this.port.postMessage({ type: 'secret-reply', id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private call<M extends SyncMethod>(method: M, ...args: SyncCalls[M]['args']): Promise<SyncCalls[M]['result']> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ type: 'call', id, method, args });
    });
  }

  start(): Promise<void> {
    return this.call('start');
  }
  syncNow(): Promise<CycleOutcome> {
    return this.call('syncNow');
  }
  enrol(input: EnrolInput): Promise<ActionResult<EnrolmentInfo>> {
    return this.call('enrol', input);
  }
  forgetEnrolment(): Promise<void> {
    return this.call('forgetEnrolment');
  }
  setSchedule(schedule: { autoSync: boolean; intervalMs: number }): Promise<ActionResult<null>> {
    return this.call('setSchedule', schedule);
  }
  refreshCounts(): Promise<void> {
    return this.call('refreshCounts');
  }
  listRejected(): Promise<OutboxEntry[]> {
    return this.call('listRejected');
  }
  resubmit(ids: string[]): Promise<number> {
    return this.call('resubmit', ids);
  }
  withdraw(ids: string[]): Promise<number> {
    return this.call('withdraw', ids);
  }
  exportOutbox(): Promise<ActionResult<ExportedPackage>> {
    return this.call('exportOutbox');
  }
  importPackage(bytes: Uint8Array): Promise<ActionResult<ImportSummary>> {
    return this.call('importPackage', bytes);
  }
  notifyOnline(): void {
    void this.call('notifyOnline');
  }
  async dispose(): Promise<void> {
    await this.call('dispose').catch(() => undefined);
    for (const c of this.calls.values()) c.reject(new Error('同步已停止'));
    this.calls.clear();
    this.onDispose?.();
  }
}
