/**
 * For tests of the mirror: small pages, runs and index pages (a few thousand records then
 * cross every boundary), the demo records plus synthetic ones, and batches to load them in.
 */
import type { ListRecord } from '../../shared/domain/schemas';
import { demoRecords } from '../../shared/sample/demo';
import { generateRecords } from '../../shared/sample/generator';
import type { Tuning } from './mirror-store';

export const TODAY = '2026-11-21';

/** Tiny pages, runs and index pages, so a few thousand records exercise every boundary. */
export const SMALL: Partial<Tuning> = { pageRecords: 16, runRecords: 700, flushRecords: 100, indexPageBytes: 512, idPageBytes: 256, inFlight: 2 };

/** The demo records and `n` synthetic ones (about three a subject). */
export function sample(n: number, seed = 7): ListRecord[] {
  return [...demoRecords(TODAY), ...generateRecords({ seed, subjects: Math.ceil(n / 3), records: n, today: TODAY })];
}

export function* batches(records: readonly ListRecord[], size = 250): Generator<ListRecord[]> {
  for (let i = 0; i < records.length; i += size) yield records.slice(i, i + size);
}
