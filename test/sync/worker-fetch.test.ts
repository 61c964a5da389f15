import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receivedBody, serveFetch, workerFetch, type FetchEndpoint, type FromFetchWorker, type ToFetchWorker } from '../../renderer/sync/worker-fetch';

/** Both ends of worker-fetch over a MessageChannel, the fetch side using Node's fetch. */
function pair(): { fetchImpl: typeof fetch; close: () => void } {
  const channel = new MessageChannel();
  serveFetch(channel.port1 as unknown as FetchEndpoint<FromFetchWorker, ToFetchWorker>, fetch);
  const fetchImpl = workerFetch(channel.port2 as unknown as FetchEndpoint<ToFetchWorker, FromFetchWorker>);
  return { fetchImpl, close: () => channel.port1.close() };
}

let server: Server;
let base = '';
/** Lets the test finish a slow body (the head is sent at once). */
let finishSlow: (() => void) | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/page') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-next-cursor': 'c2' });
      res.end(JSON.stringify({ n: '名单'.repeat(50_000) }));
    } else if (req.url === '/echo') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, body }));
      });
    } else if (req.url === '/slow') {
      res.writeHead(200, { 'x-next-cursor': 'later' });
      res.write('part one,');
      finishSlow = () => res.end('part two');
    } else if (req.url === '/hang') {
      // Never answers: the caller's signal ends it.
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('only a little');
      setTimeout(() => res.destroy(), 20);
    } else {
      res.writeHead(503, { 'retry-after': '7' });
      res.end('{"error":{"code":"unavailable","message":"维护中"}}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

describe('worker-fetch', () => {
  it('answers with the status, headers and whole body the server sent', async () => {
    const { fetchImpl, close } = pair();
    const r = await fetchImpl(`${base}/page`, { method: 'GET', headers: { accept: 'application/json' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-next-cursor')).toBe('c2');
    expect(((await r.json()) as { n: string }).n).toBe('名单'.repeat(50_000));
    const e = await fetchImpl(`${base}/echo`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(e.status).toBe(201);
    expect(await e.json()).toEqual({ method: 'POST', auth: 'Bearer t', body: '{"a":1}' });
    const u = await fetchImpl(`${base}/other`);
    expect(u.status).toBe(503);
    expect(u.headers.get('retry-after')).toBe('7');
    close();
  });

  it('gives the head before the body is complete', async () => {
    const { fetchImpl, close } = pair();
    const r = await fetchImpl(`${base}/slow`);
    expect(r.headers.get('x-next-cursor')).toBe('later');
    const text = r.text();
    finishSlow?.();
    expect(await text).toBe('part one,part two');
    close();
  });

  it('ends a request when its signal aborts (the adapter’s timeout), with the signal’s reason', async () => {
    const { fetchImpl, close } = pair();
    await expect(fetchImpl(`${base}/hang`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: 'TimeoutError' });
    const already = new AbortController();
    already.abort();
    await expect(fetchImpl(`${base}/page`, { signal: already.signal })).rejects.toMatchObject({ name: 'AbortError' });
    close();
  });

  it('fails a body cut off mid-way, and a refused connection, as fetch would', async () => {
    const { fetchImpl, close } = pair();
    const r = await fetchImpl(`${base}/cut`);
    await expect(r.arrayBuffer()).rejects.toThrow();
    await expect(fetchImpl('http://127.0.0.1:1/nothing')).rejects.toThrow();
    close();
  });

  it('hands the body over as sent, with a Blob of it for a successful GET, without reading the stream', async () => {
    const { fetchImpl, close } = pair();
    const r = await fetchImpl(`${base}/page`);
    const got = await receivedBody(r);
    const text = JSON.stringify({ n: '名单'.repeat(50_000) });
    expect(new TextDecoder().decode(got?.bytes)).toBe(text);
    expect(await got?.blob?.text()).toBe(text);
    expect(r.bodyUsed).toBe(false);
    const e = await fetchImpl(`${base}/echo`, { method: 'POST', headers: {}, body: 'x' });
    const posted = await receivedBody(e);
    expect(posted?.blob).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(posted?.bytes))).toMatchObject({ method: 'POST', body: 'x' });
    const u = await receivedBody(await fetchImpl(`${base}/other`));
    expect(u?.blob).toBeUndefined();
    expect(new TextDecoder().decode(u?.bytes)).toContain('维护中');
    expect(receivedBody(new Response('plain'))).toBeUndefined();
    close();
  });

  it('fails the handed-over body of a reply cut off mid-way, and of an aborted request', async () => {
    const { fetchImpl, close } = pair();
    await expect(receivedBody(await fetchImpl(`${base}/cut`))).rejects.toThrow();
    const abort = new AbortController();
    const slow = await fetchImpl(`${base}/slow`, { signal: abort.signal });
    const body = receivedBody(slow);
    abort.abort();
    await expect(body).rejects.toMatchObject({ name: 'AbortError' });
    finishSlow?.();
    close();
  });
});
