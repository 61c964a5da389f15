/**
 * `fetch` run on another thread: the sync worker hands its requests to fetch-worker.ts, which
 * reads each body whole and transfers it back (no copy). Why: a first load is bound by the sync
 * worker's CPU (parsing and building the mirror), and a response body is read by the thread
 * that asked for it, in small chunks, each one a task on that thread. Measured at 1,000,000
 * records (`npm run bench -- --only sync`): ~10 s of the sync worker waiting for bodies it asked
 * for early (read-ahead), because they arrived only while it was idle. In the fetch worker they
 * arrive while the sync worker builds.
 *
 * The answer's status and headers are given as soon as they come (the HTTP adapter asks for the
 * next page when it sees X-Next-Cursor), its body when it is complete. Abort signals (the
 * adapter's timeouts) cross as messages. Kept apart from the worker entry so Node tests drive
 * both ends over a MessageChannel.
 */
import type { ReceivedBody } from '../../shared/sync/http-adapter';

/** The two ends of a channel: a Worker, a worker's global scope, or a MessagePort. */
export interface FetchEndpoint<Out, In> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  onmessage: ((e: { data: In }) => void) | null;
}

export interface FetchRequest {
  type: 'fetch';
  id: number;
  url: string;
  method: string;
  headers: [string, string][];
  body?: string;
}

export type ToFetchWorker = FetchRequest | { type: 'abort'; id: number };

export type FromFetchWorker =
  | { type: 'head'; id: number; status: number; statusText: string; headers: [string, string][] }
  /** `blob`: the same bytes as a Blob, made on the fetch worker for a successful GET (a pull page is staged as one). */
  | { type: 'body'; id: number; body: ArrayBuffer; blob?: Blob }
  | { type: 'error'; id: number; name: string; message: string };

/** The fetch worker's side: answers each request with its head, then its body (transferred). */
export function serveFetch(port: FetchEndpoint<FromFetchWorker, ToFetchWorker>, fetchImpl: typeof fetch): void {
  const running = new Map<number, AbortController>();
  const fail = (id: number, e: unknown): void => {
    running.delete(id);
    port.postMessage({ type: 'error', id, name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
  };
  port.onmessage = ({ data }) => {
    if (data.type === 'abort') {
      running.get(data.id)?.abort();
      running.delete(data.id);
      return;
    }
    const { id } = data;
    const abort = new AbortController();
    running.set(id, abort);
    fetchImpl(data.url, {
      method: data.method,
      headers: data.headers,
      ...(data.body === undefined ? {} : { body: data.body }),
      signal: abort.signal,
    })
      .then(async (response) => {
        port.postMessage({ type: 'head', id, status: response.status, statusText: response.statusText, headers: [...response.headers] });
        const body = await response.arrayBuffer();
        if (!running.has(id)) return;
        running.delete(id);
        // Copying the bytes into a Blob here spares the sync worker that copy (3–4 MB a pull
        // page, into fresh memory); a Blob crosses by reference.
        const blob = data.method === 'GET' && response.ok ? new Blob([body]) : undefined;
        port.postMessage({ type: 'body', id, body, ...(blob ? { blob } : {}) }, [body]);
      })
      .catch((e: unknown) => {
        if (running.has(id)) fail(id, e);
      });
  };
}

/**
 * The body of a Response made by workerFetch as the fetch worker sent it (a Blob of the bytes
 * for a successful GET), without reading its stream: reading the stream
 * copies the bytes into a new buffer on the calling thread. `undefined` for any other Response.
 */
const receivedBodies = new WeakMap<Response, Promise<ReceivedBody>>();
export function receivedBody(response: Response): Promise<ReceivedBody> | undefined {
  return receivedBodies.get(response);
}

interface Pending {
  head: (r: Response) => void;
  received: { resolve: (b: ReceivedBody) => void; reject: (e: Error) => void } | undefined;
  body: ReadableStreamDefaultController<Uint8Array> | undefined;
  fail: (e: Error) => void;
  settled: boolean;
}

/**
 * A fetch for the sync engine that runs on the worker behind `port`. Only what the HTTP adapter
 * uses: string URLs, method, headers as a record, a string body, an AbortSignal.
 */
export function workerFetch(port: FetchEndpoint<ToFetchWorker, FromFetchWorker>): typeof fetch {
  let next = 1;
  const pending = new Map<number, Pending>();
  port.onmessage = ({ data }) => {
    const p = pending.get(data.id);
    if (!p) return;
    if (data.type === 'head') {
      const stream = new ReadableStream<Uint8Array>({ start: (c) => void (p.body = c) });
      p.settled = true;
      // Statuses a Response cannot be built with (1xx, 0) do not come from fetch here.
      const response = new Response(data.status === 204 || data.status === 304 ? null : stream, { status: data.status, statusText: data.statusText, headers: data.headers });
      const received = new Promise<ReceivedBody>((resolve, reject) => void (p.received = { resolve, reject }));
      received.catch(() => undefined); // read through the stream instead: its error is the one seen
      receivedBodies.set(response, received);
      p.head(response);
    } else if (data.type === 'body') {
      pending.delete(data.id);
      const bytes = new Uint8Array(data.body);
      p.body?.enqueue(bytes);
      p.body?.close();
      p.received?.resolve(data.blob ? { bytes, blob: data.blob } : { bytes });
    } else {
      pending.delete(data.id);
      const error = Object.assign(new Error(data.message), { name: data.name });
      if (p.settled) {
        p.body?.error(error);
        p.received?.reject(error);
      } else p.fail(error);
    }
  };
  const impl = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const id = next++;
      const signal = init.signal ?? undefined;
      const entry: Pending = { head: resolve, received: undefined, body: undefined, fail: reject, settled: false };
      const onAbort = (): void => {
        if (!pending.has(id)) return;
        pending.delete(id);
        port.postMessage({ type: 'abort', id });
        const reason: unknown = signal?.reason;
        const error = reason instanceof Error ? reason : new DOMException('已取消', 'AbortError');
        if (entry.settled) {
          entry.body?.error(error);
          entry.received?.reject(error);
        } else reject(error);
      };
      if (signal?.aborted) {
        const reason: unknown = signal.reason;
        reject(reason instanceof Error ? reason : new DOMException('已取消', 'AbortError'));
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, entry);
      const headers = Object.entries((init.headers ?? {}) as Record<string, string>);
      port.postMessage({
        type: 'fetch',
        id,
        url: String(input instanceof Request ? input.url : input),
        method: init.method ?? 'GET',
        headers,
        ...(typeof init.body === 'string' ? { body: init.body } : {}),
      });
    });
  return impl as typeof fetch;
}
