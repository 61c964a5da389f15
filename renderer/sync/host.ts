/**
 * Starts the sync for the app: the engine in a Web Worker when the page can start one (the
 * counter never waits for a first load's build), else in this thread. The platform token is
 * kept through the bridge's secret store (OS-encrypted, or this session only: the status says
 * which, and the sync page tells the clerk to enrol again after a restart).
 */
import { getClientApi, type SecretBackend } from '../bridge';
import type { SecretMode } from '../../shared/sync/engine-core';
import { DB_NAME, type HechataiDb } from '../db/database';
import { SyncEngine, type SecretStore } from './engine';
import type { SyncHandle } from './store';
import { SYNC_WORKER_PREFIX, SyncWorkerClient, type Endpoint, type FromWorker, type ToWorker } from './worker-protocol';

const modeOf = (b: SecretBackend): SecretMode => (b.mode === 'encrypted' ? { mode: 'encrypted', provider: b.provider } : { mode: 'session-only', reason: b.reason });

/** The platform token in the bridge's secret store (`platformToken`). */
export function bridgeSecretStore(): SecretStore {
  const api = getClientApi();
  return {
    getToken: () => api.getSecret('platformToken'),
    setToken: async (token) => modeOf(await api.setSecret('platformToken', token)),
    deleteToken: () => api.deleteSecret('platformToken'),
    backend: async () => modeOf(await api.getSecretBackend()),
  };
}

export interface StartSyncOptions {
  /** The page's database (used when the engine runs in this thread). */
  db: HechataiDb;
  /** Default true: run the engine in a Web Worker when possible. */
  worker?: boolean;
}

/** Starts the engine (periodic sync per its settings) and returns the handle the UI uses. */
export function startSync(opts: StartSyncOptions): SyncHandle {
  const secrets = bridgeSecretStore();
  let handle: SyncHandle & { start(): Promise<void> };
  const online = (): void => handle.notifyOnline();
  if ((opts.worker ?? true) && typeof Worker !== 'undefined') {
    // The database name travels in the worker's name (Vite needs the URL as a plain literal).
    const worker = new Worker(new URL('./sync-worker.ts', import.meta.url), { type: 'module', name: `${SYNC_WORKER_PREFIX}${opts.db.name || DB_NAME}` });
    handle = new SyncWorkerClient(worker as unknown as Endpoint<ToWorker, FromWorker>, secrets, () => {
      window.removeEventListener('online', online);
      worker.terminate();
    });
  } else {
    const engine = new SyncEngine({ db: opts.db, secrets, fetchImpl: fetch.bind(window), onlineHint: () => navigator.onLine });
    const dispose = engine.dispose.bind(engine);
    engine.dispose = async () => {
      window.removeEventListener('online', online);
      await dispose();
    };
    handle = engine;
  }
  window.addEventListener('online', online);
  void handle.start();
  return handle;
}
