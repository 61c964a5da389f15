/**
 * Messages between the page and the import worker (import-worker.ts), and the worker's handler,
 * kept apart from the worker entry so they can be tested without a Worker.
 *
 * page → worker: ImportRequest (the file's bytes are transferred, not copied)
 * worker → page: any number of 'progress', then exactly one 'result' or 'error'. A valid file
 * of more than RESULT_CHUNK records sends them first as 'records' messages of RESULT_CHUNK and
 * then the 'result' with `chunked: true` and no records: one message of 100,000 records held
 * the page's thread for its whole deserialisation (part of a 0.6–0.9 s stall in the bench);
 * `collectImportEvents` puts them together again.
 */
import { IMPORT_KIND_LIST, type ImportKind } from '../../shared/import/columns';
import type { ImportOk, ImportResult } from '../../shared/import/validate';
import { parseImport, type ImportProgress } from './parse-import';

export interface ImportRequest {
  bytes: Uint8Array;
  kind: ImportKind;
  /** The app's clock (epoch ms), for the ID-number birth-date check. */
  now?: number;
  /** Matter ids of the current catalogue (measures naming unknown ones get a warning). */
  matterIds?: string[];
}

/** Records per 'records' message. */
export const RESULT_CHUNK = 5_000;

export type ImportEvent =
  | { type: 'progress'; progress: ImportProgress }
  /** Records of the result, in order (before a chunked 'result'). */
  | { type: 'records'; records: ImportOk['records'] }
  | { type: 'result'; result: ImportResult; chunked?: true }
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
      if (result.ok && result.records.length > RESULT_CHUNK) {
        for (let i = 0; i < result.records.length; i += RESULT_CHUNK) {
          post({ type: 'records', records: result.records.slice(i, i + RESULT_CHUNK) as ImportOk['records'] });
        }
        post({ type: 'result', result: { ...result, records: [] }, chunked: true });
      } else post({ type: 'result', result });
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
}

/**
 * The page's side: feed it every event; it answers the result (records put together again) once
 * the 'result' event has come, else undefined.
 */
export function collectImportEvents(): (e: ImportEvent) => ImportResult | undefined {
  const parts: ImportOk['records'][] = [];
  return (e) => {
    if (e.type === 'records') parts.push(e.records);
    if (e.type !== 'result') return undefined;
    if (!e.chunked || !e.result.ok) return e.result;
    return { ...e.result, records: parts.flat() } as ImportOk;
  };
}
