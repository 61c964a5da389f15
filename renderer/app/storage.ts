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

/** Bytes this origin may still write, if the engine says (a share of free disk). */
export async function freeStorageBytes(): Promise<number | undefined> {
  if (!navigator.storage?.estimate) return undefined;
  const { quota, usage } = await navigator.storage.estimate();
  return quota === undefined || usage === undefined ? undefined : quota - usage;
}

/** Bytes as whole MB, rounded up, for messages. */
export function mbText(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20).toLocaleString('zh-CN')} MB`;
}

/**
 * Null when there is room for a load of `records` (the new generation is written beside the
 * old one, so twice the size is needed at the peak); otherwise a message saying what is short.
 */
export async function quotaProblem(records: number): Promise<string | null> {
  const free = await freeStorageBytes();
  const need = records * BYTES_PER_RECORD * 2;
  if (free === undefined || free >= need) return null;
  return `磁盘空间不足：载入 ${records.toLocaleString('zh-CN')} 条名单约需 ${mbText(need)}，当前可用约 ${mbText(free)}。请清理磁盘后重试，现有名单保持不变。`;
}
