import { describe, expect, it } from 'vitest';
import { HttpPlatformAdapter } from './http-adapter';
import { decodePage, type PushItem } from './protocol';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | undefined;
}

/** A fetch that answers from `reply` and records what was asked. */
function fakeFetch(reply: (call: Call) => Response | Promise<Response>): { fetchImpl: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      signal: init?.signal ?? undefined,
    };
    calls.push(call);
    return reply(call);
  }) as typeof fetch;
  return { fetchImpl, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function adapter(reply: (call: Call) => Response | Promise<Response>, timeoutMs?: number) {
  const { fetchImpl, calls } = fakeFetch(reply);
  const a = new HttpPlatformAdapter({
    baseUrl: 'http://platform.test:7311/',
    fetchImpl,
    token: 'tok-123',
    now: () => Date.UTC(2026, 10, 20),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { a, calls };
}

const emptyPage = { changes: [], nextCursor: '1.10', hasMore: false, schemaVersion: 1 };

const item: PushItem = {
  id: 'finding:f-1',
  payload: {
    kind: 'finding',
    record: {
      id: 'f-1', identifier: '91371302MD0B1A0190', subjectName: '临沂恒通达商贸有限公司', inspector: '李检查',
      at: 1, supervisionClass: '一般', findings: '未发现问题', attachments: [],
    },
  },
};

describe('HttpPlatformAdapter', () => {
  it('pulls with the cursor and the token, and returns the validated page with its bytes as received', async () => {
    const { a, calls } = adapter(() => json(200, emptyPage));
    const pulled = await a.pull('1.5', 100);
    expect(pulled).toMatchObject({ kind: 'ok', value: emptyPage });
    // The bytes decode to the same page (the engine stages them during a first load).
    const raw = pulled.kind === 'ok' ? pulled.raw : undefined;
    expect(raw).toBeInstanceOf(Blob);
    expect(decodePage(new Uint8Array(await (raw as Blob).arrayBuffer()))).toEqual({ ok: true, value: emptyPage });
    expect(calls[0]?.url).toBe('http://platform.test:7311/api/v1/changes?limit=100&after=1.5&format=compact');
    expect(calls[0]?.headers.authorization).toBe('Bearer tok-123');
    await a.pull(null, 100);
    expect(calls[1]?.url).toBe('http://platform.test:7311/api/v1/changes?limit=100&format=compact');
  });

  it('takes a body the fetch already holds (bodyOf) instead of reading the stream, and stages its Blob', async () => {
    const sent = new TextEncoder().encode(JSON.stringify(emptyPage));
    const blob = new Blob([sent]);
    const held = new WeakMap<Response, Promise<{ bytes: Uint8Array<ArrayBuffer>; blob?: Blob }>>();
    const a = new HttpPlatformAdapter({
      baseUrl: 'http://platform.test:7311',
      // The stream says something else: the adapter must not read it.
      fetchImpl: (async () => {
        const r = json(200, { not: 'this' });
        held.set(r, Promise.resolve({ bytes: sent, blob }));
        return r;
      }) as typeof fetch,
      token: 't',
      bodyOf: (r) => held.get(r),
    });
    const pulled = await a.pull(null, 100);
    expect(pulled).toMatchObject({ kind: 'ok', value: emptyPage });
    expect(pulled.kind === 'ok' ? pulled.raw : undefined).toBe(blob);
    // A response bodyOf does not know is read as usual.
    const b = new HttpPlatformAdapter({ baseUrl: 'http://platform.test:7311', fetchImpl: (async () => json(200, emptyPage)) as typeof fetch, token: 't', bodyOf: () => undefined });
    expect(await b.pull(null, 100)).toMatchObject({ kind: 'ok', value: emptyPage });
  });

  it('asks for the pages a page announces in X-Next-Cursor before the engine does, up to readAhead', async () => {
    // Pages c0 → c1 → … → c6; each announces the next in its header.
    const page = (n: number) => ({ changes: [], nextCursor: `c${n + 1}`, hasMore: n < 6, schemaVersion: 1 });
    const { a, calls } = adapter((call) => {
      const after = new URL(call.url).searchParams.get('after');
      const n = after === null ? 0 : Number(after.slice(1));
      return json(200, page(n), n < 6 ? { 'x-next-cursor': `c${n + 1}` } : {});
    });
    const asked = (): (string | null)[] => calls.map((c) => new URL(c.url).searchParams.get('after'));
    const first = await a.pull(null, 100);
    expect(first.kind === 'ok' && first.value.nextCursor).toBe('c1');
    await new Promise((r) => setTimeout(r, 20));
    // Three pages asked ahead (the default), none more until the engine takes one.
    expect(asked()).toEqual([null, 'c1', 'c2', 'c3']);
    const second = await a.pull('c1', 100);
    expect(second.kind === 'ok' && second.value.nextCursor).toBe('c2');
    await new Promise((r) => setTimeout(r, 20));
    expect(asked()).toEqual([null, 'c1', 'c2', 'c3', 'c4']);
    // Another cursor (a retry from elsewhere) drops the read-ahead and asks for what is wanted.
    const other = await a.pull('c5', 50);
    expect(other.kind === 'ok' && other.value.nextCursor).toBe('c6');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls.slice(5).map((c) => new URL(c.url).search)).toEqual(['?limit=50&after=c5&format=compact', '?limit=50&after=c6&format=compact']);
    // c6 was asked ahead; it is the last page and announces nothing: no request more.
    const last = await a.pull('c6', 50);
    expect(last.kind === 'ok' && last.value.hasMore).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(7);
  });

  it('does not hand out a page asked ahead longer ago than the timeout (a stopped sync resumed later)', async () => {
    let clock = 0;
    const { fetchImpl, calls } = fakeFetch((call) =>
      call.url.includes('after=n')
        ? json(200, { changes: [], nextCursor: 'end', hasMore: false, schemaVersion: 1 })
        : json(200, { changes: [], nextCursor: 'n', hasMore: true, schemaVersion: 1 }, { 'x-next-cursor': 'n' }),
    );
    const a = new HttpPlatformAdapter({ baseUrl: 'http://platform.test:7311', fetchImpl, token: 't', readAhead: 1, timeoutMs: 30_000, now: () => clock });
    await a.pull(null, 100);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(2);
    clock = 30_001;
    await a.pull('n', 100);
    expect(calls).toHaveLength(3);
  });

  it('a wrong X-Next-Cursor costs a request, never a page: the body decides', async () => {
    const { a, calls } = adapter((call) => {
      const after = new URL(call.url).searchParams.get('after');
      return after === null
        ? json(200, { changes: [], nextCursor: 'real', hasMore: true, schemaVersion: 1 }, { 'x-next-cursor': 'bogus' })
        : json(200, { changes: [], nextCursor: `after-${after}`, hasMore: false, schemaVersion: 1 });
    });
    const first = await a.pull(null, 100);
    const next = first.kind === 'ok' ? first.value.nextCursor : '';
    const second = await a.pull(next, 100);
    expect(second.kind === 'ok' && second.value.nextCursor).toBe('after-real');
    expect(calls.map((c) => new URL(c.url).searchParams.get('after'))).toEqual([null, 'bogus', 'real']);
  });

  it('without readAhead, or on a platform that sends no header, asks only when pulled', async () => {
    const { fetchImpl, calls } = fakeFetch(() => json(200, { changes: [], nextCursor: 'n', hasMore: true, schemaVersion: 1 }, { 'x-next-cursor': 'n' }));
    const a = new HttpPlatformAdapter({ baseUrl: 'http://platform.test:7311', fetchImpl, token: 't', readAhead: 0 });
    await a.pull(null, 100);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(1);
    const { a: b, calls: bCalls } = adapter(() => json(200, { changes: [], nextCursor: 'n', hasMore: true, schemaVersion: 1 }));
    await b.pull(null, 100);
    await new Promise((r) => setTimeout(r, 20));
    expect(bCalls).toHaveLength(1);
  });

  it('refuses a page with a bad change as a retryable bad_response naming the change', async () => {
    const bad = { ...emptyPage, changes: [{ seq: 1, op: 'delete', kind: 'record' }] };
    const result = await adapter(() => json(200, bad)).a.pull(null, 10);
    expect(result).toMatchObject({ kind: 'error', error: { code: 'bad_response', retryable: true } });
    if (result.kind === 'error') expect(result.error.message).toContain('changes[0].id');
  });

  it('maps 410 to reset, with the reason and the Chinese message', async () => {
    const { a } = adapter(() => json(410, { reset: true, reason: 'cursor_too_old', message: '需要重新下载全部名单' }));
    expect(await a.pull('1.5', 10)).toEqual({ kind: 'reset', reason: 'cursor_too_old', message: '需要重新下载全部名单' });
  });

  it('maps 429 / 503 with Retry-After to retryAfter(ms), without it to a retryable error', async () => {
    const busy = { error: { code: 'overloaded', message: '平台繁忙，请 3 秒后重试' } };
    expect(await adapter(() => json(429, busy, { 'retry-after': '3' })).a.health()).toEqual({
      kind: 'retryAfter', ms: 3000, status: 429, message: '平台繁忙，请 3 秒后重试',
    });
    expect(await adapter(() => json(503, busy)).a.push([item])).toMatchObject({
      kind: 'error', error: { code: 'overloaded', retryable: true, status: 503 },
    });
  });

  it('passes on the platform error and whether a retry can help', async () => {
    const unauthorized = { error: { code: 'unauthorized', message: '本机未登记或登记已失效' } };
    expect(await adapter(() => json(401, unauthorized)).a.pull(null, 10)).toEqual({
      kind: 'error', error: { code: 'unauthorized', message: '本机未登记或登记已失效', retryable: false, status: 401 },
    });
    const html = await adapter(() => new Response('<html>Bad Gateway</html>', { status: 502 })).a.pull(null, 10);
    expect(html).toMatchObject({ kind: 'error', error: { code: 'bad_response', retryable: true, status: 502 } });
  });

  it('turns a failed connection and a timeout into retryable errors, never a throw', async () => {
    const down = adapter(() => Promise.reject(new TypeError('fetch failed')));
    expect(await down.a.health()).toMatchObject({ kind: 'error', error: { code: 'network', retryable: true } });
    // Never answers: only the adapter's own timeout (AbortSignal.timeout) ends the wait.
    const slow = adapter(
      (call) => new Promise<Response>((_, reject) => call.signal?.addEventListener('abort', () => reject(call.signal?.reason))),
      20,
    );
    expect(await slow.a.health()).toMatchObject({ kind: 'error', error: { code: 'timeout', retryable: true } });
  });

  it('refuses a health answer of another protocol version', async () => {
    const result = await adapter(() => json(200, { ok: true, protocol: 2, serverTime: 1, schemaVersion: 1 })).a.health();
    expect(result).toMatchObject({ kind: 'error', error: { code: 'protocol_mismatch', retryable: false } });
  });

  it('pushes {records} and checks that the outcomes match the records, in order', async () => {
    const ok = adapter(() => json(200, { results: [{ id: 'finding:f-1', status: 'accepted' }], serverTime: 1 }));
    expect(await ok.a.push([item])).toEqual({ kind: 'ok', value: [{ id: 'finding:f-1', status: 'accepted' }] });
    expect(ok.calls[0]).toMatchObject({ method: 'POST', body: { records: [item] } });
    expect(ok.calls[0]?.headers['content-type']).toBe('application/json');

    const wrong = adapter(() => json(200, { results: [{ id: 'finding:other', status: 'accepted' }], serverTime: 1 }));
    expect(await wrong.a.push([item])).toMatchObject({ kind: 'error', error: { code: 'bad_response', retryable: true } });

    const none = adapter(() => json(500, {}));
    expect(await none.a.push([])).toEqual({ kind: 'ok', value: [] });
    expect(none.calls).toHaveLength(0);
  });

  it('enrols without sending a token', async () => {
    const enrolled = { deviceId: 'D-1', token: 'a-long-enough-token-123', department: '市场监督管理局', district: '兰山区' };
    const { a, calls } = adapter(() => json(200, enrolled));
    expect(await a.enrol({ code: 'ABCD-EFGH', deviceName: '3号窗口' })).toEqual({ kind: 'ok', value: enrolled });
    expect(calls[0]?.headers.authorization).toBeUndefined();
  });
});
