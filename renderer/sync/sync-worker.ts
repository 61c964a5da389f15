/**
 * Web Worker entry of the sync engine: `new Worker(new URL('./sync-worker.ts', import.meta.url),
 * { type: 'module' })`, or use startSync() in host.ts. The worker opens the database by name
 * (Dexie and IndexedDB work the same here), fetches the platform itself, and asks the page for
 * the platform token (worker-protocol.ts).
 */
import { openDatabase } from '../db/database';
import { SyncEngine } from './engine';
import { workerFetch, type FetchEndpoint, type FromFetchWorker, type ToFetchWorker } from './worker-fetch';
import { SYNC_WORKER_PREFIX, serveSyncEngine, type Endpoint, type FromWorker, type ToWorker } from './worker-protocol';

// The DOM lib types `self` as a Window; in a dedicated worker it is the worker's global scope.
const scope = self as unknown as Endpoint<FromWorker, ToWorker> & {
  name: string;
  navigator: { onLine: boolean };
  addEventListener(type: 'online', fn: () => void): void;
};
/**
 * Requests go through a worker of their own (worker-fetch.ts), so bodies are read while this
 * worker builds the mirror; where a worker cannot start one, they are made here.
 */
function platformFetch(): typeof fetch {
  const direct = fetch.bind(globalThis);
  if (typeof Worker === 'undefined') return direct;
  try {
    const worker = new Worker(new URL('./fetch-worker.ts', import.meta.url), { type: 'module', name: 'hechatai-fetch' });
    let impl = workerFetch(worker as unknown as FetchEndpoint<ToFetchWorker, FromFetchWorker>);
    // A fetch worker that fails to start or dies: requests are made here from then on (one
    // under way meanwhile ends with the adapter's timeout and is retried).
    worker.addEventListener(
      'error',
      () => {
        impl = direct;
        worker.terminate();
      },
      { once: true },
    );
    return ((input, init) => impl(input, init)) as typeof fetch;
  } catch {
    return direct;
  }
}

const db = openDatabase(scope.name.startsWith(SYNC_WORKER_PREFIX) ? scope.name.slice(SYNC_WORKER_PREFIX.length) : undefined);

const engine = serveSyncEngine(scope, (secrets, store) =>
  new SyncEngine({
    db,
    secrets,
    store,
    fetchImpl: platformFetch(),
    onlineHint: () => scope.navigator.onLine,
  }),
);
scope.addEventListener('online', () => engine.notifyOnline());
