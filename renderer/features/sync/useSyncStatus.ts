/** The sync status as React state (useSyncExternalStore over the engine's store). */
import { useSyncExternalStore } from 'react';
import type { SyncStatus } from '../../../shared/sync/engine-core';
import type { SyncStatusSource } from '../../sync/store';

export function useSyncStatus(source: SyncStatusSource): SyncStatus {
  return useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
}
