/**
 * What the sync engine needs from a city platform, whatever dialect the city speaks. Our own
 * HTTP/JSON protocol (PROTOCOL.md) is HttpPlatformAdapter; a city behind a gateway with its own
 * forms, or a site served by file exchange, gets its own adapter with the same four methods.
 *
 * Adapters never throw for anything the network or the platform does: every answer is a value
 * the engine can act on (apply, start over, wait, back off, or show to the clerk).
 */
import type { EnrolRequest, EnrolResponse, HealthResponse, PullPage, PushItem, PushOutcome } from './protocol';

export interface AdapterError {
  /** A protocol error code (ERRORS in protocol.ts), or network / timeout / bad_response / protocol_mismatch. */
  code: string;
  /** Chinese, for the clerk. */
  message: string;
  /** True when the same request may succeed later (network, 5xx); false when it cannot (401, 403, bad request). */
  retryable: boolean;
  /** HTTP status, when there was an answer. */
  status?: number;
}

export type AdapterResult<T> =
  | { kind: 'ok'; value: T }
  /** The platform asked to be left alone for `ms` (429 / 503 with Retry-After). */
  | { kind: 'retryAfter'; ms: number; status: number; message: string }
  | { kind: 'error'; error: AdapterError };

/**
 * A pull may also be told to start over (410): drop the cursor and load a fresh snapshot.
 * `raw`, when the adapter has it, is the page as received in the protocol's own JSON (UTF-8,
 * PROTOCOL.md) as a Blob: the engine stages it during a first load instead of the parsed
 * records (a structured clone of 5,000 records cost the worker ~50 ms a page; the browser keeps
 * a Blob's bytes, so storing one costs this thread next to nothing) and reads it back with
 * `decodePage`. An adapter for another dialect leaves it out.
 */
export type PullResult =
  | { kind: 'ok'; value: PullPage; raw?: Blob }
  | Exclude<AdapterResult<PullPage>, { kind: 'ok' }>
  | { kind: 'reset'; reason: string; message: string };

export interface PlatformAdapter {
  /** For logs and the settings screen, e.g. `http-v1 http://10.1.2.3:7311`. */
  readonly description: string;
  /** Is the platform reachable and speaking our protocol? (`navigator.onLine` proves nothing.) */
  health(): Promise<AdapterResult<HealthResponse>>;
  /** One-time enrolment of this device with a code from the platform administrator. */
  enrol(request: EnrolRequest): Promise<AdapterResult<EnrolResponse>>;
  /** Changes after `cursor` (null = first load), at most `limit`, validated whole. */
  pull(cursor: string | null, limit: number): Promise<PullResult>;
  /** Sends outbox entries; one outcome per record, in order. Safe to repeat (idempotent on id). */
  push(records: readonly PushItem[]): Promise<AdapterResult<PushOutcome[]>>;
}

export const adapterOk = <T>(value: T): AdapterResult<T> => ({ kind: 'ok', value });
export const adapterError = (error: AdapterError): { kind: 'error'; error: AdapterError } => ({ kind: 'error', error });
