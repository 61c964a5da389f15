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
import { toStored, type HechataiDb } from './database';
import { MetaKeys, writeMeta } from './meta';

export const SAMPLE_SEED = 20261121;
export const SAMPLE_RECORDS = 5_000;
const CHUNK = 1_000;

export type SeedProgress = (done: number, total: number) => void;

export async function isMirrorEmpty(db: HechataiDb): Promise<boolean> {
  return (await db.measures.limit(1).count()) === 0;
}

export async function seedSample(db: HechataiDb, now: number, onProgress?: SeedProgress): Promise<void> {
  const measures = z.array(Measure).parse(measuresJson);
  const matters = z.array(Matter).parse(mattersJson);
  const today = chinaDate(now);
  const records: ListRecord[] = [
    ...demoRecords(today),
    ...generateRecords({ seed: SAMPLE_SEED, records: SAMPLE_RECORDS, today }),
  ];
  const total = records.length;
  onProgress?.(0, total);
  // One transaction: a crash mid-seed leaves an empty mirror, which seeds again at next start.
  await db.transaction('rw', [db.records, db.measures, db.matters, db.meta], async () => {
    await db.measures.bulkPut(measures);
    await db.matters.bulkPut(matters);
    for (let i = 0; i < total; i += CHUNK) {
      await db.records.bulkPut(records.slice(i, i + CHUNK).map(toStored));
      onProgress?.(Math.min(i + CHUNK, total), total);
    }
    await writeMeta(db, MetaKeys.mirrorAsOf, now);
    await writeMeta(db, MetaKeys.mirrorSource, 'sample');
  });
}
