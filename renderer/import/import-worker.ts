/**
 * Module Web Worker that reads and validates an import file, so a 100,000-row workbook never
 * freezes the counter UI (and never runs in the main process). Start it through run-import.ts:
 * `new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' })`.
 * Receives one ImportRequest `{ bytes, kind }`; posts progress and then the result.
 */
import { importWorkerHandler, type ImportEvent, type ImportRequest } from './import-protocol';

// The DOM lib types `self` as a Window; in a dedicated worker it is the worker's global scope.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ImportRequest>) => void) | null;
  postMessage: (e: ImportEvent) => void;
};
const handle = importWorkerHandler((e) => scope.postMessage(e));
scope.onmessage = (e) => void handle(e.data);
