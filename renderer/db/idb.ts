/**
 * Thin promise helpers over the IndexedDB connection Dexie opened. The mirror store uses the
 * raw API for two measured reasons: it chooses durability per transaction (bulk pages relaxed,
 * the generation switch strict; Dexie sets one durability for the whole database), and a
 * look-up issues all its requests in one transaction without per-request wrapper overhead.
 * The schema itself stays declared in database.ts only.
 */
import type { HechataiDb } from './database';

export function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export function txDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new DOMException('IndexedDB transaction aborted', 'AbortError'));
  });
}

/** The open IDBDatabase behind a Dexie instance (opening it first when needed). */
export async function rawDb(db: HechataiDb): Promise<IDBDatabase> {
  if (!db.isOpen()) await db.open();
  return db.backendDB();
}

export function tx(
  idb: IDBDatabase,
  stores: string[],
  mode: IDBTransactionMode,
  durability: IDBTransactionDurability = 'default',
): IDBTransaction {
  // fake-indexeddb and older engines ignore the options bag; Chromium honours it.
  return mode === 'readwrite' ? idb.transaction(stores, mode, { durability }) : idb.transaction(stores, mode);
}

export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The load was cancelled', 'AbortError');
}
