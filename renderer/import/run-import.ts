/**
 * The page side of an import: starts import-worker.ts for one file and returns the outcome as a
 * promise, with progress and a cancel that really stops the work (SheetJS parses in one
 * synchronous call, so cancelling terminates the worker rather than asking it nicely).
 */
import type { ImportKind } from '../../shared/import/columns';
import type { ImportResult } from '../../shared/import/validate';
import { collectImportEvents, type ImportEvent, type ImportRequest } from './import-protocol';
import type { ImportProgress } from './parse-import';

export type { ImportProgress } from './parse-import';

export interface RunImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** The app's clock (epoch ms). */
  now?: number;
  /** Matter ids of the current catalogue, for warnings on measures. */
  matterIds?: string[];
  /** Tests may pass their own worker. */
  createWorker?: () => Worker;
}

export interface ImportJob {
  /** Resolves with the validated import or the list of errors; rejects only if the worker fails (AbortError after cancel). */
  promise: Promise<ImportResult>;
  cancel: () => void;
}

const startWorker = (): Worker => new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' });

/** Reads and validates `bytes` in a worker. The bytes are transferred: the array is empty afterwards. */
export function runImport(bytes: Uint8Array, kind: ImportKind, opts: RunImportOptions = {}): ImportJob {
  const worker = (opts.createWorker ?? startWorker)();
  let settle: { resolve: (r: ImportResult) => void; reject: (e: unknown) => void } | undefined;
  const promise = new Promise<ImportResult>((resolve, reject) => (settle = { resolve, reject }));
  const end = (): void => {
    worker.terminate();
    settle = undefined;
  };
  const collect = collectImportEvents();
  worker.onmessage = (e: MessageEvent<ImportEvent>) => {
    const msg = e.data;
    const result = collect(msg);
    if (msg.type === 'progress') opts.onProgress?.(msg.progress);
    else if (msg.type === 'records') return;
    else if (msg.type === 'result') {
      if (result) settle?.resolve(result);
      end();
    } else {
      settle?.reject(new Error(`导入文件读取失败：${msg.message}`));
      end();
    }
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    settle?.reject(new Error(`导入组件出错：${e.message || '无法启动'}`));
    end();
  };
  const req: ImportRequest = {
    bytes,
    kind,
    ...(opts.now === undefined ? {} : { now: opts.now }),
    ...(opts.matterIds ? { matterIds: opts.matterIds } : {}),
  };
  worker.postMessage(req, [bytes.buffer]);
  return {
    promise,
    cancel: () => {
      settle?.reject(new DOMException('导入已取消', 'AbortError'));
      end();
    },
  };
}
