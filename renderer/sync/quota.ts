/**
 * Room on disk for a first load (or a reload after "start over") from the platform: checked
 * when the platform has said how big the load is (the first page's snapshotSeq), before
 * anything of it is written. The pages are staged first (resumable download), then built into a
 * new generation beside the current mirror, which keeps serving checks until the switch: at the
 * peak the disk holds the staged pages and two mirrors. Works in the sync worker (WorkerNavigator
 * has `storage` too); where the browser cannot estimate, nothing is refused.
 */
import { BYTES_PER_RECORD } from '../app/storage';

/**
 * Bytes one staged record takes in IndexedDB until the build is done. Pages are staged as the
 * platform sent them (protocol JSON, ~710 bytes a record with the reference platform's data):
 * `npm run bench -- --only sync` measured 861 bytes a record when the last page was in
 * (sync.firstLoad.storage.stagedBytesPerRecord: the staged pages plus the generation built
 * alongside, ~150), so 750 for the pages, rounded up. Compact pages (PROTOCOL.md) take less
 * (366–426 bytes a record in the same figure on 2026-12-03/04, ~275 of them the pages); the room
 * asked for stays that of full pages, which a platform that does not know `format=compact` sends.
 */
export const STAGED_BYTES_PER_RECORD = 750;

export interface StorageEstimateLike {
  quota?: number;
  usage?: number;
}

/** Bytes a load of `records` list records needs at its peak. */
export const firstLoadBytes = (records: number): number => records * (STAGED_BYTES_PER_RECORD + 2 * BYTES_PER_RECORD);

async function browserEstimate(): Promise<StorageEstimateLike | undefined> {
  if (typeof navigator === 'undefined' || !('storage' in navigator) || !navigator.storage?.estimate) return undefined;
  return navigator.storage.estimate();
}

/**
 * Null when there is room for a load of `records` list records; otherwise a Chinese message
 * saying how much is needed and how much is free.
 */
export async function firstLoadQuotaProblem(
  records: number,
  estimate: () => Promise<StorageEstimateLike | undefined> = browserEstimate,
): Promise<string | null> {
  const e = await estimate().catch(() => undefined);
  if (e?.quota === undefined || e.usage === undefined) return null;
  const need = firstLoadBytes(records);
  const free = e.quota - e.usage;
  if (free >= need) return null;
  const mb = (n: number): string => `${Math.ceil(Math.max(n, 0) / 1024 / 1024).toLocaleString('zh-CN')} MB`;
  return `磁盘空间不足，未开始下载名单：平台共有约 ${records.toLocaleString('zh-CN')} 条名单，下载并建立本机名单约需 ${mb(need)}，当前可用约 ${mb(free)}。请清理磁盘后再同步，本机现有名单保持不变，仍可用于核查。`;
}
