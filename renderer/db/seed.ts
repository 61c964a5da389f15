/**
 * The embedded default: on a fresh install with no platform configured, the mirror is filled
 * with the sample catalogue (resources/sample) and synthetic list records, so the app is
 * usable at once. The mirror is marked as sample data everywhere it is shown.
 */
import { z } from 'zod';
import { Matter, Measure } from '../../shared/domain/schemas';
import type { ListRecord } from '../../shared/domain/schemas';
import { chinaDate } from '../../shared/domain/rules-config';
import { demoRecords } from '../../shared/sample/demo';
import { generateRecords } from '../../shared/sample/generator';
import measuresJson from '../../resources/sample/measures.json';
import mattersJson from '../../resources/sample/matters.json';
import type { HechataiDb } from './database';
import { MetaKeys } from './meta';
import { loadMirror } from './mirror-store';

export const SAMPLE_SEED = 20261121;
export const SAMPLE_RECORDS = 5_000;
/** Subjects of the sample population: about two records per subject. */
export const SAMPLE_SUBJECTS = 2_500;
const CHUNK = 1_000;

export type SeedProgress = (done: number, total: number) => void;

export async function isMirrorEmpty(db: HechataiDb): Promise<boolean> {
  return (await db.measures.limit(1).count()) === 0;
}

/** Record batches of the demo subjects and the synthetic sample, generated as they are stored. */
function* sampleBatches(today: string): Generator<ListRecord[], void, undefined> {
  yield demoRecords(today);
  let batch: ListRecord[] = [];
  for (const r of generateRecords({ seed: SAMPLE_SEED, subjects: SAMPLE_SUBJECTS, records: SAMPLE_RECORDS, today })) {
    batch.push(r);
    if (batch.length === CHUNK) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Loads the sample as a new mirror generation; the catalogue and the mirror's meta are written
 * in the switch transaction, so a crash mid-seed leaves an empty mirror that seeds again.
 */
export async function seedSample(db: HechataiDb, now: number, onProgress?: SeedProgress): Promise<void> {
  const measures = z.array(Measure).parse(measuresJson);
  const matters = z.array(Matter).parse(mattersJson);
  const today = chinaDate(now);
  const total = demoRecords(today).length + SAMPLE_RECORDS;
  onProgress?.(0, total);
  await loadMirror(db, sampleBatches(today), {
    total,
    onProgress: (done) => onProgress?.(done, total),
    catalogue: { measures, matters },
    meta: { [MetaKeys.mirrorAsOf]: now, [MetaKeys.mirrorSource]: 'sample' },
  });
}
