/**
 * The browser's storage for the mirror: ask that it be persistent (so Chromium does not evict
 * a clerk's records under disk pressure), and check free quota before a big load. The quota
 * Chromium reports is a share of free disk, so the check is a floor, not a promise.
 */

/** Bytes one mirror record takes on disk, measured by `npm run bench` (storage.bytesPerRecord). */
export const BYTES_PER_RECORD = 160;

export async function requestPersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

/**
 * Null when there is room for a load of `records` (the new generation is written beside the
 * old one, so twice the size is needed at the peak); otherwise a message saying what is short.
 */
export async function quotaProblem(records: number): Promise<string | null> {
  if (!navigator.storage?.estimate) return null;
  const { quota, usage } = await navigator.storage.estimate();
  if (quota === undefined || usage === undefined) return null;
  const need = records * BYTES_PER_RECORD * 2;
  const free = quota - usage;
  if (free >= need) return null;
  const mb = (n: number) => `${Math.ceil(n / 1024 / 1024).toLocaleString('zh-CN')} MB`;
  return `磁盘空间不足：载入 ${records.toLocaleString('zh-CN')} 条名单约需 ${mb(need)}，当前可用约 ${mb(free)}。请清理磁盘后重试，现有名单保持不变。`;
}
