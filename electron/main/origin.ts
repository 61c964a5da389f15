/**
 * Where the renderer comes from, and which URLs count as "our own page".
 *
 * The installed app serves the renderer from the privileged `app://hechatai` origin. It must
 * never change: IndexedDB (every clerk's mirror and records) is tied to the origin.
 * Under `electron-vite dev` (never in a packaged build) the renderer comes from Vite's dev
 * server on the loopback interface instead.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'hechatai';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** True for URLs on `app://hechatai` (no port, no credentials). */
export function isAppUrl(raw: string): boolean {
  const url = parse(raw);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

export interface RendererSource {
  /** What the main window loads. */
  entryUrl: string;
  /** Whether a frame URL belongs to our renderer (IPC sender check, navigation, permissions). */
  isTrustedUrl(raw: string): boolean;
  kind: 'app' | 'dev-server';
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The app origin, or in an unpackaged run a loopback Vite dev server given by electron-vite
 * (`ELECTRON_RENDERER_URL`). A packaged build ignores the variable, so it cannot be pointed
 * at another origin from the environment.
 */
export function resolveRendererSource(options: {
  isPackaged: boolean;
  devServerUrl: string | undefined;
}): RendererSource {
  const dev = !options.isPackaged && options.devServerUrl ? parse(options.devServerUrl) : null;
  if (dev && dev.protocol === 'http:' && LOOPBACK_HOSTS.has(dev.hostname)) {
    const origin = dev.origin;
    return {
      kind: 'dev-server',
      entryUrl: dev.href,
      isTrustedUrl: (raw) => parse(raw)?.origin === origin,
    };
  }
  return { kind: 'app', entryUrl: APP_ENTRY_URL, isTrustedUrl: isAppUrl };
}
