/**
 * PlatformAdapter for our own HTTP/JSON protocol (PROTOCOL.md). Every answer is parsed with
 * the schemas of protocol.ts before the engine sees it; nothing here throws.
 *
 * `fetch` is passed in (shared/ may not touch runtime globals): the renderer passes
 * `window.fetch.bind(window)`, Node tests pass `fetch`.
 */
import type { z } from 'zod';
import type { AdapterError, AdapterResult, PlatformAdapter, PullResult } from './adapter';
import { adapterError, adapterOk } from './adapter';
import {
  API_PATHS,
  NEXT_CURSOR_HEADER,
  EnrolResponse,
  ErrorBody,
  HealthResponse,
  PROTOCOL_VERSION,
  PUSH_BATCH_MAX,
  PushResponse,
  ResetBody,
  parsePage,
  parseRetryAfter,
  type EnrolRequest,
  type PushItem,
  type PullFormat,
  type PushOutcome,
} from './protocol';

export interface HttpPlatformAdapterOptions {
  /** e.g. `http://10.20.30.40:7311`; may carry a path prefix when behind a gateway. */
  baseUrl: string;
  fetchImpl: typeof fetch;
  /** The device token from enrolment (or a getter, so a re-enrolment is picked up). */
  token?: string | (() => string | undefined);
  /** Per request; default 30 s. */
  timeoutMs?: number;
  now?: () => number;
  /**
   * Pull pages asked for ahead of the engine, following the platform's X-Next-Cursor header
   * (PROTOCOL.md); default 3, 0 = none. See `pull`.
   */
  readAhead?: number;
  /**
   * A Response's body without reading its stream, where the fetch has it already (the sync
   * worker's fetch worker: renderer/sync/worker-fetch.ts `receivedBody`); `blob`, if given,
   * holds the same bytes and is what a pull page is staged as. `undefined`: read the stream.
   */
  bodyOf?: (response: Response) => Promise<ReceivedBody> | undefined;
  /**
   * The page format asked for (PROTOCOL.md, "Compact pages"); default `compact`. A platform
   * that does not know the parameter sends full pages, which are read the same way.
   */
  pullFormat?: PullFormat;
}

/** A body a fetch already holds: its bytes, and (for a pull page) a Blob of them. */
export interface ReceivedBody {
  bytes: Uint8Array<ArrayBuffer>;
  blob?: Blob;
}

type Answer =
  /** `bytes`: the body as received (a pull page is staged as it came). */
  | { kind: 'answer'; status: number; retryAfter: string | null; json: unknown; bytes: Uint8Array<ArrayBuffer>; blob?: Blob | undefined }
  | { kind: 'error'; error: AdapterError };

const utf8 = new TextDecoder();

const aheadKey = (cursor: string | null, limit: number): string => `${limit} ${cursor ?? ''}`;

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export class HttpPlatformAdapter implements PlatformAdapter {
  readonly description: string;
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly token: () => string | undefined;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly readAhead: number;
  private readonly bodyOf: HttpPlatformAdapterOptions['bodyOf'];
  private readonly pullFormat: PullFormat;
  /** Pull requests made ahead of the engine, by cursor and limit. */
  private readonly ahead = new Map<string, { at: number; result: Promise<PullResult> }>();
  /** The next cursor the newest page announced, not asked for yet. */
  private announced: { cursor: string; limit: number } | undefined;

  constructor(opts: HttpPlatformAdapterOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.description = `http-v${PROTOCOL_VERSION} ${this.base}`;
    this.fetchImpl = opts.fetchImpl;
    const token = opts.token;
    this.token = typeof token === 'function' ? token : () => token;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.now = opts.now ?? (() => Date.now());
    this.readAhead = opts.readAhead ?? 3;
    this.bodyOf = opts.bodyOf;
    this.pullFormat = opts.pullFormat ?? 'compact';
  }

  async health(): Promise<AdapterResult<HealthResponse>> {
    const result = this.expect(await this.send('GET', API_PATHS.health), HealthResponse);
    if (result.kind === 'ok' && result.value.protocol !== PROTOCOL_VERSION) {
      return adapterError({
        code: 'protocol_mismatch',
        message: `信用平台使用协议 v${result.value.protocol}，本机为 v${PROTOCOL_VERSION}，请升级客户端或联系平台管理员`,
        retryable: false,
      });
    }
    return result;
  }

  async enrol(request: EnrolRequest): Promise<AdapterResult<EnrolResponse>> {
    return this.expect(await this.send('POST', API_PATHS.enrol, request, false), EnrolResponse);
  }

  /**
   * One page of changes. When the platform names the next cursor in a header (X-Next-Cursor),
   * the next pages (up to `readAhead`) are asked for as soon as each page's headers arrive,
   * before its body is read: the platform prepares and sends them while the engine works on
   * this one, instead of only when the engine asks. A pull of the cursor that a page announced
   * takes that request (if asked less than `timeoutMs` ago); any other cursor drops what was
   * asked ahead (the body's `nextCursor` is what counts, so a wrong header costs a request,
   * never a page).
   */
  async pull(cursor: string | null, limit: number): Promise<PullResult> {
    const key = aheadKey(cursor, limit);
    const pending = this.ahead.get(key);
    // Not an answer kept from long ago (a stopped sync): the mirror's age is taken from pulls.
    if (pending && this.now() - pending.at <= this.timeoutMs) {
      this.ahead.delete(key);
      this.askAhead();
      return pending.result;
    }
    this.ahead.clear();
    this.announced = undefined;
    return this.pullNow(cursor, limit);
  }

  /** Asks for announced pages until `readAhead` are under way. */
  private askAhead(): void {
    while (this.announced && this.ahead.size < this.readAhead) {
      const { cursor, limit } = this.announced;
      this.announced = undefined;
      const key = aheadKey(cursor, limit);
      if (!this.ahead.has(key)) this.ahead.set(key, { at: this.now(), result: this.pullNow(cursor, limit) });
    }
  }

  private async pullNow(cursor: string | null, limit: number): Promise<PullResult> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor !== null) query.set('after', cursor);
    if (this.pullFormat !== 'full') query.set('format', this.pullFormat);
    const onHeaders = (headers: Headers): void => {
      const next = headers.get(NEXT_CURSOR_HEADER);
      if (this.readAhead === 0 || next === null || next === '' || next.length > 1_000) return;
      this.announced = { cursor: next, limit };
      this.askAhead();
    };
    const answer = await this.send('GET', `${API_PATHS.changes}?${query.toString()}`, undefined, true, onHeaders);
    if (answer.kind === 'answer' && answer.status === 410) {
      const reset = ResetBody.safeParse(answer.json);
      return reset.success
        ? { kind: 'reset', reason: reset.data.reason, message: reset.data.message ?? '需要重新下载全部名单' }
        : { kind: 'reset', reason: 'unknown', message: '信用平台要求重新下载全部名单' };
    }
    if (answer.kind === 'answer' && answer.status >= 200 && answer.status < 300) {
      const page = parsePage(answer.json);
      if (!page.ok) return adapterError({ code: 'bad_response', message: page.error.message, retryable: true, status: answer.status });
      // A Blob: the browser keeps its bytes, so staging it stores a reference (storing the
      // bytes themselves made IndexedDB copy and compress 3–4 MB a page on this thread).
      return { kind: 'ok', value: page.value, raw: answer.blob ?? new Blob([answer.bytes]) };
    }
    return this.failure(answer);
  }

  async push(records: readonly PushItem[]): Promise<AdapterResult<PushOutcome[]>> {
    if (records.length === 0) return adapterOk([]);
    if (records.length > PUSH_BATCH_MAX) {
      return adapterError({ code: 'bad_request', message: `一次最多提交 ${PUSH_BATCH_MAX} 条记录`, retryable: false });
    }
    const result = this.expect(await this.send('POST', API_PATHS.push, { records }), PushResponse);
    if (result.kind !== 'ok') return result;
    const outcomes = result.value.results;
    const same = outcomes.length === records.length && outcomes.every((o, i) => o.id === records[i]?.id);
    if (!same) {
      return adapterError({
        code: 'bad_response',
        message: '信用平台的接收结果与提交的记录对不上，本批将重新提交',
        retryable: true,
      });
    }
    return adapterOk(outcomes);
  }

  // ---------------------------------------------------------------- plumbing

  private async send(method: 'GET' | 'POST', path: string, body?: unknown, auth = true, onHeaders?: (headers: Headers) => void): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = auth ? this.token() : undefined;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let response: Response;
    let bytes: Uint8Array<ArrayBuffer>;
    let blob: Blob | undefined;
    try {
      response = await this.fetchImpl(this.base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (response.ok) onHeaders?.(response.headers);
      // The body may be cut off too (a connection lost mid-reply): same as no answer.
      const received = this.bodyOf?.(response);
      if (received) ({ bytes, blob } = await received);
      else bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      return {
        kind: 'error',
        error: timeout
          ? { code: 'timeout', message: `信用平台 ${Math.round(this.timeoutMs / 1000)} 秒内未应答，稍后将自动重试`, retryable: true }
          : { code: 'network', message: '无法连接信用平台，请检查网络；恢复后将自动重试', retryable: true },
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(bytes));
    } catch {
      json = undefined; // an HTML error page from a gateway, a cut-off body: failure() says so
    }
    return { kind: 'answer', status: response.status, retryAfter: response.headers.get('retry-after'), json, bytes, blob };
  }

  /** A 2xx answer parsed by `schema`; anything else mapped by failure(). */
  private expect<S extends z.ZodType>(answer: Answer, schema: S): AdapterResult<z.output<S>> {
    if (answer.kind === 'answer' && answer.status >= 200 && answer.status < 300) {
      const parsed = schema.safeParse(answer.json);
      if (parsed.success) return adapterOk(parsed.data);
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? '' : `（${issue.path.join('.')}）`;
      return adapterError({
        code: 'bad_response',
        message: `信用平台的应答不符合协议${where}，稍后将重试；如持续出现请联系平台管理员`,
        retryable: true,
        status: answer.status,
      });
    }
    return this.failure(answer);
  }

  private failure(answer: Answer): { kind: 'error'; error: AdapterError } | { kind: 'retryAfter'; ms: number; status: number; message: string } {
    if (answer.kind === 'error') return adapterError(answer.error);
    const { status } = answer;
    const body = ErrorBody.safeParse(answer.json);
    const retryable = RETRYABLE_STATUS.has(status);
    if (status === 429 || status === 503) {
      const ms = parseRetryAfter(answer.retryAfter, this.now());
      if (ms !== undefined) {
        const message = body.success ? body.data.error.message : '信用平台繁忙，稍后将自动重试';
        return { kind: 'retryAfter', ms, status, message };
      }
    }
    if (body.success) {
      return adapterError({ code: body.data.error.code, message: body.data.error.message, retryable, status });
    }
    return adapterError({
      code: 'bad_response',
      message: `信用平台返回了无法识别的应答（HTTP ${status}）${retryable ? '，稍后将自动重试' : '，请联系平台管理员'}`,
      retryable,
      status,
    });
  }
}
