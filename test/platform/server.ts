/**
 * The reference city platform's HTTP server (node:http): the protocol of shared/sync/PROTOCOL.md
 * under /api/v1/, admin endpoints under /admin/ (guarded by an admin token), and the fault
 * switches of faults.ts on every /api/ request. Bodies are parsed with the same schemas the
 * client uses (shared/sync/protocol.ts). /api/ answers carry CORS headers (any origin; the
 * token, not the origin, is the credential) so the renderer may call it directly; Retry-After
 * is exposed to scripts.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IsoDate } from '../../shared/domain/schemas';
import {
  API_PATHS,
  NEXT_CURSOR_HEADER,
  ERRORS,
  EnrolRequest,
  MAX_BODY_BYTES,
  PUSH_BATCH_MAX,
  PushEnvelope,
  errorBody,
  parsePullQuery,
  resetBody,
  type ErrorCode,
  type PushResponse,
} from '../../shared/sync/protocol';
import { openOutboxPackage } from '../../shared/sync/package';
import { AdminCommand, AdminCommands, CommandError } from './commands';
import { FaultInjector, Faults, type FaultPlan, type FaultsInput } from './faults';
import { PlatformStore, type Device } from './store';

export interface PlatformOptions {
  /** Directory of the database (platform.sqlite); created if missing, reused if present. */
  dataDir: string;
  host?: string;
  /** 0 = any free port (the URL says which). */
  port?: number;
  /** Generated list records to seed an empty database with (besides measures, matters and the demo records). */
  records?: number;
  seed?: number;
  today?: IsoDate;
  /** Fixed admin token (tests); random otherwise. */
  adminToken?: string;
  faults?: FaultsInput;
  clock?: () => number;
  /** One line per request, for the CLI's --verbose. */
  log?: (line: string) => void;
}

export interface RunningPlatform {
  url: string;
  adminToken: string;
  dbFile: string;
  store: PlatformStore;
  faults: FaultInjector;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  /** The body as JSON bytes already (a pull page): sent as they are. */
  bytes?: Buffer;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const fail = (code: ErrorCode, message?: string): HttpError => new HttpError(ERRORS[code].status, errorBody(code, message));

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.bytes ?? Buffer.from(JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) throw fail('unsupported_media_type');
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw fail('payload_too_large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw fail('payload_too_large');
    chunks.push(buf);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw fail('bad_request', '请求内容不是有效的 JSON');
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

const digestOf = (s: string): Buffer => createHash('sha256').update(s).digest();

function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return issue === undefined ? '' : `${issue.path.map(String).join('.')}：${issue.message}`;
}

export async function startPlatform(opts: PlatformOptions): Promise<RunningPlatform> {
  const dbFile = join(resolve(opts.dataDir), 'platform.sqlite');
  const store = PlatformStore.open({
    file: dbFile,
    seed: { records: opts.records ?? 5000, seed: opts.seed ?? 1 },
    ...(opts.clock === undefined ? {} : { clock: opts.clock }),
    ...(opts.today === undefined ? {} : { today: opts.today }),
  });
  const faults = new FaultInjector(opts.faults);
  const adminToken = opts.adminToken ?? randomBytes(24).toString('base64url');
  const adminDigest = digestOf(adminToken);
  const log = opts.log;

  function device(req: IncomingMessage): Device {
    const token = bearer(req);
    const found = token === undefined ? undefined : store.authenticate(token);
    if (found === undefined) throw fail('unauthorized');
    return found;
  }

  async function api(req: IncomingMessage, url: URL, plan: FaultPlan): Promise<Reply> {
    const route = `${req.method ?? ''} ${url.pathname}`;
    switch (route) {
      case `GET ${API_PATHS.health}`:
        return { status: 200, body: store.health() };
      case `POST ${API_PATHS.enrol}`: {
        const parsed = EnrolRequest.safeParse(await readJson(req));
        if (!parsed.success) throw fail('bad_request', `登记请求不完整（${firstIssue(parsed.error)}）`);
        const result = store.enrol(parsed.data);
        if (!result.ok) throw fail(result.error);
        return { status: 200, body: result.value };
      }
      case `GET ${API_PATHS.changes}`: {
        device(req);
        const query = parsePullQuery(url.searchParams);
        if (!query.ok) throw fail('bad_request', query.error);
        if (plan.duplicatePage) {
          const answer = store.pull(query.value);
          if (answer.kind === 'reset') return { status: 410, body: resetBody(answer.reason) };
          const page = answer.page;
          if (page.changes.length > 0) {
            faults.count('duplicatedPages');
            return { status: 200, body: { ...page, changes: [...page.changes, ...page.changes] } };
          }
          return { status: 200, body: page };
        }
        const answer = store.pullBytes(query.value);
        if (answer.kind === 'reset') return { status: 410, body: resetBody(answer.reason) };
        // The next cursor in a header too: a client may ask for the next page before reading this one's body.
        return { status: 200, body: null, bytes: answer.bytes, ...(answer.next === null ? {} : { headers: { [NEXT_CURSOR_HEADER]: answer.next } }) };
      }
      case `POST ${API_PATHS.push}`: {
        const who = device(req);
        const json = await readJson(req);
        const count = (json as { records?: unknown } | null)?.records;
        if (Array.isArray(count) && count.length > PUSH_BATCH_MAX) {
          throw fail('payload_too_large', `一次最多提交 ${PUSH_BATCH_MAX} 条记录，本次 ${count.length} 条，请分批提交`);
        }
        const envelope = PushEnvelope.safeParse(json);
        if (!envelope.success) throw fail('bad_request', `提交格式不正确（${firstIssue(envelope.error)}）`);
        const body: PushResponse = { results: store.push(who, envelope.data.records), serverTime: store.now() };
        return { status: 200, body };
      }
    }
    const known = Object.values(API_PATHS).includes(url.pathname as (typeof API_PATHS)[keyof typeof API_PATHS]);
    throw fail(known ? 'method_not_allowed' : 'not_found');
  }

  async function admin(req: IncomingMessage, url: URL): Promise<Reply> {
    const token = bearer(req);
    if (token === undefined || !timingSafeEqual(digestOf(token), adminDigest)) {
      throw new HttpError(401, errorBody('unauthorized', '管理令牌不正确（见平台启动时的输出）'));
    }
    const route = `${req.method ?? ''} ${url.pathname}`;
    switch (route) {
      case 'GET /admin/stats':
        return { status: 200, body: { ...store.stats(), faults: faults.current, faultCounters: faults.counters } };
      case 'GET /admin/digest':
        return { status: 200, body: url.searchParams.get('mode') === 'sum' ? store.sumDigest() : store.digest() };
      case 'GET /admin/received/payload': {
        // One received record in full, e.g. to check what a device reported.
        const id = url.searchParams.get('id');
        if (id === null) throw fail('bad_request', '缺少 id 参数');
        const payload = store.receivedPayload(id);
        if (payload === undefined) throw new HttpError(404, errorBody('not_found', `平台未收到编号为 ${id} 的记录`));
        return { status: 200, body: { id, payload } };
      }
      case 'GET /admin/received':
        return { status: 200, body: { received: store.received() } };
      case 'GET /admin/package': {
        // A list package for a device that is never online (file exchange).
        const device = url.searchParams.get('device');
        if (device === null) throw fail('bad_request', '缺少 device 参数');
        const query = parsePullQuery(url.searchParams);
        if (!query.ok) throw fail('bad_request', query.error);
        try {
          return { status: 200, body: store.listPackage(device, query.value.after, query.value.limit) };
        } catch (e) {
          if (e instanceof CommandError) throw new HttpError(404, { error: { code: e.code, message: e.message } });
          throw e;
        }
      }
      case 'POST /admin/outbox-package': {
        // An outbox package carried from a device that is never online: received like a push.
        const opened = openOutboxPackage(JSON.stringify(await readJson(req)));
        if (!opened.ok) throw fail('bad_request', opened.error.message);
        const device = store.deviceById(opened.value.deviceId);
        if (device === undefined) throw fail('bad_request', `数据包来自未登记的设备 ${opened.value.deviceId}`);
        const results = opened.value.records.length === 0 ? [] : store.push(device, opened.value.records);
        return { status: 200, body: { results, cursor: opened.value.cursor } };
      }
      case 'GET /admin/faults':
        return { status: 200, body: { faults: faults.current, counters: faults.counters } };
      case 'PUT /admin/faults': {
        const parsed = Faults.safeParse(await readJson(req));
        if (!parsed.success) throw fail('bad_request', `故障开关设置不正确（${firstIssue(parsed.error)}）`);
        return { status: 200, body: { faults: faults.set(parsed.data), counters: faults.counters } };
      }
      case 'POST /admin/commands': {
        // Many commands in one transaction (all or none).
        const parsed = AdminCommands.safeParse(await readJson(req));
        if (!parsed.success) throw fail('bad_request', `命令不正确（${firstIssue(parsed.error)}）`);
        try {
          return { status: 200, body: store.applyAll(parsed.data.commands) };
        } catch (e) {
          if (!(e instanceof CommandError)) throw e;
          const status = e.code === 'not_found' ? 404 : e.code === 'conflict' ? 409 : 400;
          throw new HttpError(status, { error: { code: e.code, message: e.message } });
        }
      }
      case 'POST /admin/command': {
        const parsed = AdminCommand.safeParse(await readJson(req));
        if (!parsed.success) throw fail('bad_request', `命令不正确（${firstIssue(parsed.error)}）`);
        try {
          return { status: 200, body: store.apply(parsed.data) };
        } catch (e) {
          if (!(e instanceof CommandError)) throw e;
          const status = e.code === 'not_found' ? 404 : e.code === 'conflict' ? 409 : 400;
          throw new HttpError(status, { error: { code: e.code, message: e.message } });
        }
      }
    }
    throw fail('not_found');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://platform.invalid');
    const started = Date.now();
    let outcome = '';
    try {
      if (url.pathname.startsWith('/admin/')) {
        const reply = await admin(req, url);
        outcome = String(reply.status);
        send(res, reply);
        return;
      }
      if (!url.pathname.startsWith('/api/')) throw fail('not_found');
      // The renderer (app:// origin, or the browser build) calls the platform cross-origin.
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-expose-headers', `retry-after, ${NEXT_CURSOR_HEADER}`);
      if (req.method === 'OPTIONS') {
        outcome = '204 preflight';
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
      const plan = faults.plan();
      if (plan.delayMs > 0) await sleep(plan.delayMs);
      if (plan.drop) {
        outcome = 'fault: dropped';
        req.socket.destroy();
        return;
      }
      if (plan.overload !== undefined) {
        outcome = `fault: ${plan.overload}`;
        const code = plan.overload === 429 ? 'overloaded' : 'unavailable';
        const seconds = faults.current.retryAfterSeconds;
        const message = `${plan.overload === 429 ? '平台繁忙' : '平台维护中'}，请 ${seconds} 秒后重试（将自动重试）`;
        send(res, { status: plan.overload, body: errorBody(code, message), headers: { 'retry-after': String(seconds) } });
        return;
      }
      if (plan.error5xx) {
        outcome = 'fault: 500';
        send(res, { status: 500, body: errorBody('internal') });
        return;
      }
      const reply = await api(req, url, plan);
      if (plan.loseReply) {
        // The work is committed (better-sqlite3 commits synchronously), the client never hears.
        outcome = 'fault: reply lost after commit';
        faults.count('lostReplies');
        req.socket.destroy();
        return;
      }
      outcome = String(reply.status);
      send(res, reply);
    } catch (e) {
      if (e instanceof HttpError) {
        outcome = String(e.status);
        send(res, { status: e.status, body: e.body });
      } else {
        outcome = `500 ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
        if (!res.headersSent) send(res, { status: 500, body: errorBody('internal') });
        else res.destroy();
      }
    } finally {
      log?.(`${new Date(started).toISOString()} ${req.method ?? ''} ${url.pathname}${url.search} → ${outcome} (${Date.now() - started} ms)`);
    }
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 7311, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    adminToken,
    dbFile,
    store,
    faults,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
