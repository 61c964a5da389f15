import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp';
import { PRIVILEGED_SCHEMES, contentTypeFor, createAppProtocolHandler, resolveRequestPath } from './protocol';

const root = join(tmpdir(), 'hechatai-protocol-root');

describe('resolveRequestPath', () => {
  it('maps app://hechatai paths under the root, with index.html for directories', () => {
    expect(resolveRequestPath(root, 'app://hechatai/index.html')).toEqual({ ok: true, filePath: join(root, 'index.html') });
    expect(resolveRequestPath(root, 'app://hechatai/')).toEqual({ ok: true, filePath: join(root, 'index.html') });
    expect(resolveRequestPath(root, 'app://hechatai')).toEqual({ ok: true, filePath: join(root, 'index.html') });
    expect(resolveRequestPath(root, 'app://hechatai/assets/%E5%90%8D%E5%8D%95.js?v=1#x')).toEqual({
      ok: true,
      filePath: join(root, 'assets', '名单.js'),
    });
  });

  it.each([
    ['encoded slashes and dots', 'app://hechatai/assets%2F..%2F..%2F..%2Fetc%2Fpasswd'],
    ['backslashes', 'app://hechatai/..%5C..%5Cwindows%5Cwin.ini'],
    ['a drive letter', 'app://hechatai/C:/Windows/win.ini'],
    ['an NTFS stream', 'app://hechatai/index.html::$DATA'],
    ['a NUL byte', 'app://hechatai/index.html%00.png'],
  ])('refuses %s with 403', (_what, url) => {
    const result = resolveRequestPath(root, url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.status).toBe(403);
  });

  it('dot-dot segments, plain or %2e-encoded, are resolved by the URL parser and stay inside the root', () => {
    for (const url of ['app://hechatai/../../etc/passwd', 'app://hechatai/%2e%2e/%2e%2e/etc/passwd']) {
      expect(resolveRequestPath(root, url)).toEqual({ ok: true, filePath: join(root, 'etc', 'passwd') });
    }
  });

  it('refuses other hosts and schemes (404) and broken escapes (400)', () => {
    expect(resolveRequestPath(root, 'app://other/index.html')).toEqual({ ok: false, status: 404 });
    expect(resolveRequestPath(root, 'app://hechatai:1/index.html')).toEqual({ ok: false, status: 404 });
    expect(resolveRequestPath(root, 'https://hechatai/index.html')).toEqual({ ok: false, status: 404 });
    expect(resolveRequestPath(root, 'app://hechatai/%E5%90')).toEqual({ ok: false, status: 400 });
  });

  it('every resolved path is strictly inside the root', () => {
    for (const url of ['app://hechatai/a/b/../../../x', 'app://hechatai/./a', 'app://hechatai//a//b']) {
      const result = resolveRequestPath(root, url);
      if (result.ok) expect(result.filePath.startsWith(root + sep)).toBe(true);
    }
  });
});

describe('the app:// scheme', () => {
  it('is standard and secure (an origin for IndexedDB) and never bypasses CSP', () => {
    const scheme = PRIVILEGED_SCHEMES[0];
    expect(scheme?.scheme).toBe('app');
    expect(scheme?.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(scheme?.privileges?.bypassCSP).toBeFalsy();
    expect(scheme?.privileges?.allowServiceWorkers).toBeFalsy();
  });

  it('serves scripts with a JavaScript type (module scripts and workers need it)', () => {
    expect(contentTypeFor('/x/index-abc.js')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/INDEX.HTML')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/font.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/x/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('createAppProtocolHandler', () => {
  let dir: string;
  let handle: (request: Request) => Promise<Response>;

  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'hechatai-protocol-'));
    dir = join(base, 'renderer');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>信用核查台</title>');
    writeFileSync(join(dir, 'assets', 'main.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.txt'), 'outside the root');
    handle = createAppProtocolHandler({ rootDir: dir, readFile: (path) => readFile(path) });
  });

  it('serves index.html with the CSP and nosniff headers', async () => {
    const response = await handle(new Request('app://hechatai/index.html'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('信用核查台');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves assets with their type', async () => {
    const response = await handle(new Request('app://hechatai/assets/main.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('answers 404 for a missing file and for a directory', async () => {
    expect((await handle(new Request('app://hechatai/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://hechatai/assets'))).status).toBe(404);
  });

  it('never serves a file outside the root, and error responses carry the CSP too', async () => {
    const response = await handle(new Request('app://hechatai/..%2Fsecret.txt'));
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await handle(new Request('app://hechatai/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    const post = await handle(new Request('app://hechatai/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });

  it('answers 500 when reading fails for another reason', async () => {
    const failing = createAppProtocolHandler({
      rootDir: dir,
      readFile: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })),
    });
    expect((await failing(new Request('app://hechatai/index.html'))).status).toBe(500);
  });
});
