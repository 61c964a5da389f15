/**
 * The `app://hechatai/` protocol that serves the built renderer (out/renderer) to the window.
 *
 * Pure logic over injected file reading, so it is tested in Node. `electron/main/index.ts`
 * registers the scheme as privileged before `ready` and installs the handler with
 * `protocol.handle`.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { CONTENT_SECURITY_POLICY } from './csp';
import { APP_HOST, APP_SCHEME } from './origin';

/**
 * standard: real origin (IndexedDB, relative URLs); secure: a secure context like https;
 * supportFetchAPI/corsEnabled: fetch() and module scripts and workers load from it;
 * codeCache: V8 caches compiled scripts. Never bypassCSP, never service workers.
 */
export const PRIVILEGED_SCHEMES: CustomScheme[] = [
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
  },
];

export type ResolvedRequestPath = { ok: true; filePath: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Maps `app://hechatai/<path>` to a file under `rootDir`, refusing anything that would leave
 * it (`..`, encoded `%2F..`, backslashes, drive letters, NUL) with 403.
 */
export function resolveRequestPath(rootDir: string, rawUrl: string): ResolvedRequestPath {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') {
    return { ok: false, status: 404 };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  // Our built files never contain these; on Windows they would mean another root or a stream.
  if (/[\\:]/.test(pathname) || pathname.includes('\u0000')) return { ok: false, status: 403 };
  if (pathname === '' || pathname.endsWith('/')) pathname += 'index.html';

  const root = resolve(rootDir);
  const filePath = resolve(root, `.${pathname.startsWith('/') ? '' : '/'}${pathname}`);
  const rel = relative(root, filePath);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return { ok: false, status: 403 };
  }
  return { ok: true, filePath };
}

const MIME_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8', // module scripts and workers are refused without a JS type
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function contentTypeFor(filePath: string): string {
  const dot = filePath.lastIndexOf('.');
  const ext = dot === -1 ? '' : filePath.slice(dot + 1).toLowerCase();
  return MIME_TYPES[ext] ?? 'application/octet-stream';
}

/** Headers on every response, errors included: the CSP also governs workers' scripts. */
export function responseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

export interface ProtocolHandlerDeps {
  /** The built renderer (out/renderer); inside app.asar in a packaged build. */
  rootDir: string;
  readFile(filePath: string): Promise<Uint8Array<ArrayBuffer>>;
}

const NOT_FOUND_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

function errorResponse(status: number): Response {
  return new Response(null, { status, headers: responseHeaders('text/plain; charset=utf-8') });
}

export function createAppProtocolHandler(deps: ProtocolHandlerDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse(405);
    const resolved = resolveRequestPath(deps.rootDir, request.url);
    if (!resolved.ok) return errorResponse(resolved.status);
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await deps.readFile(resolved.filePath);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      return errorResponse(typeof code === 'string' && NOT_FOUND_CODES.has(code) ? 404 : 500);
    }
    const headers = { ...responseHeaders(contentTypeFor(resolved.filePath)), 'Content-Length': String(body.byteLength) };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}
