/** What the exploration pages (explore-*.ts) share: IndexedDB requests as promises, percentiles. */

export function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((res, rej) => {
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
}

export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((res, rej) => {
    tx.oncomplete = () => res();
    tx.onerror = () => rej(tx.error);
    tx.onabort = () => rej(tx.error);
  });
}

/** p50 … max of `xs` in ms (3 decimals), and how many exceed 5 ms. */
export function percentiles(xs: readonly number[]): Record<string, number> {
  const s = xs.slice().sort((a, b) => a - b);
  const at = (p: number): number => Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 1000) / 1000;
  return { count: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), over5ms: s.filter((x) => x > 5).length };
}
