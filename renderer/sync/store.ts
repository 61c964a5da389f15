/**
 * The sync status as a small observable store: `subscribe(listener)` + `getSnapshot()`, the
 * pair React's useSyncExternalStore wants. The snapshot is immutable and replaced only when
 * something changed (reduceStatus returns the same object otherwise), so components re-render
 * only on real changes. No React here.
 *
 * Also the interface every sync front end implements (SyncHandle): the engine running in this
 * thread (engine.ts) and the proxy of an engine in a Web Worker (worker-client.ts).
 */
import { INITIAL_STATUS, reduceStatus, type CycleOutcome, type EnrolmentInfo, type SyncEvent, type SyncStatus } from '../../shared/sync/engine-core';
import type { OutboxEntry } from '../../shared/sync/outbox';

export type Listener = () => void;

export interface SyncStatusSource {
  getSnapshot(): SyncStatus;
  subscribe(listener: Listener): () => void;
}

export class SyncStore implements SyncStatusSource {
  private status: SyncStatus;
  private readonly listeners = new Set<Listener>();

  constructor(initial: SyncStatus = INITIAL_STATUS) {
    this.status = initial;
  }

  readonly getSnapshot = (): SyncStatus => this.status;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  dispatch(event: SyncEvent): void {
    this.set(reduceStatus(this.status, event));
  }

  /** Replaces the whole snapshot (the worker proxy receives whole snapshots). */
  set(next: SyncStatus): void {
    if (next === this.status) return;
    this.status = next;
    for (const l of [...this.listeners]) l();
  }
}

/** An action the clerk asked for: done, or a Chinese message saying why not. */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; message: string; code?: string };

export interface EnrolInput {
  /** e.g. http://10.20.30.40:7311 */
  baseUrl: string;
  /** The one-time code, XXXX-XXXX (case, spaces and hyphens do not matter). */
  code: string;
  deviceName: string;
}

export interface ExportedPackage {
  fileName: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** Records in the package. */
  count: number;
}

export interface ImportSummary {
  /** Pages of the package read. */
  pages: number;
  /** Changes applied to the mirror and the catalogue (repeats and old ones dropped). */
  applied: number;
  /** The package rebuilt the whole mirror (a full package). */
  rebuilt: boolean;
  /** Outbox entries the package confirmed (accepted / duplicate / rejected). */
  receipts: { accepted: number; duplicate: number; rejected: number };
}

/** What the UI can ask of the sync, wherever the engine runs. */
export interface SyncHandle extends SyncStatusSource {
  /** 立即同步: one cycle now (probe, push, pull); resolves when it ends. */
  syncNow(): Promise<CycleOutcome>;
  enrol(input: EnrolInput): Promise<ActionResult<EnrolmentInfo>>;
  /** Forgets the enrolment and the token; the mirror and local records stay. */
  forgetEnrolment(): Promise<void>;
  setSchedule(schedule: { autoSync: boolean; intervalMs: number }): Promise<ActionResult<null>>;
  /** Re-reads the outbox counts (call after saving records, or let the engine's poll see them). */
  refreshCounts(): Promise<void>;
  listRejected(): Promise<OutboxEntry[]>;
  resubmit(ids: string[]): Promise<number>;
  withdraw(ids: string[]): Promise<number>;
  exportOutbox(): Promise<ActionResult<ExportedPackage>>;
  importPackage(bytes: Uint8Array): Promise<ActionResult<ImportSummary>>;
  /** The host saw the network come back (window 'online'): try soon. */
  notifyOnline(): void;
  /** Stops the engine (and the worker); the handle is unusable afterwards. */
  dispose(): Promise<void>;
}
