/**
 * Messages between the page and the import worker (import-worker.ts), and the worker's handler,
 * kept apart from the worker entry so they can be tested without a Worker.
 *
 * page → worker: ImportRequest (the file's bytes are transferred, not copied)
 * worker → page: any number of 'progress', then exactly one 'result' or 'error'.
 */
import { IMPORT_KIND_LIST, type ImportKind } from '../../shared/import/columns';
import type { ImportResult } from '../../shared/import/validate';
import { parseImport, type ImportProgress } from './parse-import';

export interface ImportRequest {
  bytes: Uint8Array;
  kind: ImportKind;
  /** The app's clock (epoch ms), for the ID-number birth-date check. */
  now?: number;
  /** Matter ids of the current catalogue (measures naming unknown ones get a warning). */
  matterIds?: string[];
}

export type ImportEvent =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'result'; result: ImportResult }
  /** An unexpected failure (a bug, out of memory), not a bad file: bad files are results. */
  | { type: 'error'; message: string };

/** Handles one request, posting progress (only when the percent moves) and the outcome. */
export function importWorkerHandler(post: (e: ImportEvent) => void): (req: ImportRequest) => Promise<void> {
  return async (req) => {
    try {
      if (!(req.bytes instanceof Uint8Array) || !IMPORT_KIND_LIST.includes(req.kind)) throw new Error('导入请求无效');
      let last = -1;
      const result = await parseImport(req.bytes, req.kind, {
        ...(req.now === undefined ? {} : { now: req.now }),
        ...(req.matterIds ? { matterIds: req.matterIds } : {}),
        onProgress: (progress) => {
          if (progress.percent === last) return;
          last = progress.percent;
          post({ type: 'progress', progress });
        },
      });
      post({ type: 'result', result });
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
}
