/**
 * Web Worker entry for the big mirror jobs (bulk load, sample generation, compaction), so the
 * counter UI never freezes: `new Worker(new URL('./mirror-worker.ts', import.meta.url),
 * { type: 'module' })`, or use mirror-worker-client.ts. Dexie and IndexedDB work the same here.
 */
import { mirrorWorkerHandler, type MirrorWorkerEvent, type MirrorWorkerRequest } from './mirror-worker-protocol';

// The DOM lib types `self` as a Window; in a dedicated worker it is the worker's global scope.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<MirrorWorkerRequest>) => void) | null;
  postMessage: (e: MirrorWorkerEvent) => void;
};
const handle = mirrorWorkerHandler((e) => scope.postMessage(e));
scope.onmessage = (e) => handle(e.data);
