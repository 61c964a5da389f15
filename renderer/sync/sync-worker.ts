/**
 * Web Worker entry of the sync engine: `new Worker(new URL('./sync-worker.ts', import.meta.url),
 * { type: 'module' })`, or use startSync() in host.ts. The worker opens the database by name
 * (Dexie and IndexedDB work the same here), fetches the platform itself, and asks the page for
 * the platform token (worker-protocol.ts).
 */
import { openDatabase } from '../db/database';
import { SyncEngine } from './engine';
import { SYNC_WORKER_PREFIX, serveSyncEngine, type Endpoint, type FromWorker, type ToWorker } from './worker-protocol';

// The DOM lib types `self` as a Window; in a dedicated worker it is the worker's global scope.
const scope = self as unknown as Endpoint<FromWorker, ToWorker> & {
  name: string;
  navigator: { onLine: boolean };
  addEventListener(type: 'online', fn: () => void): void;
};
const db = openDatabase(scope.name.startsWith(SYNC_WORKER_PREFIX) ? scope.name.slice(SYNC_WORKER_PREFIX.length) : undefined);

const engine = serveSyncEngine(scope, (secrets, store) =>
  new SyncEngine({
    db,
    secrets,
    store,
    fetchImpl: fetch.bind(globalThis),
    onlineHint: () => scope.navigator.onLine,
  }),
);
scope.addEventListener('online', () => engine.notifyOnline());
