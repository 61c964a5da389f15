import { describe, expect, it } from 'vitest';
import { HttpPlatformAdapter } from './http-adapter';
import type { PushItem } from './protocol';

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
  it('pulls with the cursor and the token, and returns the validated page', async () => {
    const { a, calls } = adapter(() => json(200, emptyPage));
    expect(await a.pull('1.5', 100)).toEqual({ kind: 'ok', value: emptyPage });
    expect(calls[0]?.url).toBe('http://platform.test:7311/api/v1/changes?limit=100&after=1.5');
    expect(calls[0]?.headers.authorization).toBe('Bearer tok-123');
    await a.pull(null, 100);
    expect(calls[1]?.url).toBe('http://platform.test:7311/api/v1/changes?limit=100');
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
