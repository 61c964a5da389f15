/**
 * The bench's look-ups timed inside a Web Worker: the same calls as on the page, with no page
 * thread in the way. Comparing the two tells how much of the look-up tail is the page thread's
 * (bench.ts, `lookupInWorker`).
 */
import { openDatabase } from '../../../renderer/db/database';
import { lookupIdentifier } from '../../../renderer/db/mirror-store';

export interface LookupJob {
  dbName: string;
  /** Warm-up look-ups, not timed. */
  warm: string[];
  ids: string[];
}

self.onmessage = async (e: MessageEvent<LookupJob>): Promise<void> => {
  const db = openDatabase(e.data.dbName);
  try {
    for (const id of e.data.warm) await lookupIdentifier(db, id);
    const ms: number[] = [];
    for (const id of e.data.ids) {
      const t = performance.now();
      await lookupIdentifier(db, id);
      ms.push(performance.now() - t);
    }
    self.postMessage({ ms });
  } catch (err) {
    self.postMessage({ error: String(err instanceof Error ? err.stack : err) });
  } finally {
    db.close();
  }
};
