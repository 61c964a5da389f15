/**
 * The browser variant's bridge: the same ClientApi as the Electron preload, implemented in the
 * page, for the demo build and the WebdriverIO tests in Chromium (the Electron binary is not
 * available everywhere). Arguments are checked with the contract's schemas, as main does, so
 * a bad call fails the same way in both variants.
 *
 * Differences a reader should know:
 * - openFile uses a hidden `<input type=file data-testid="web-bridge-file-input">`. Under
 *   WebDriver (`navigator.webdriver`) no native dialog can be driven, so the input is not
 *   clicked: the test sets the file on it (`addValue(path)`) and the `change` event answers.
 * - saveFile and printToPdf hand the bytes to the browser (download, print dialog): the
 *   outcome is unknown, so they answer `delegated`.
 * - Secrets live in memory only (`session-only`, reason `web_variant`); no updater.
 */
import { version } from '../../package.json';
import {
  InvokeChannel,
  MAX_OPEN_FILE_BYTES,
  allowedExternalUrl,
  fileTooLargeMessage,
  ipcRoutes,
  type ClientApi,
  type IpcRoutes,
  type OpenFileOptions,
  type OpenFileResult,
  type RouteArgs,
  type SecretKey,
} from '../../shared/ipc/contract';

export const WEB_FILE_INPUT_TEST_ID = 'web-bridge-file-input';

/** What the web bridge needs from the page; tests pass fakes. */
export interface WebHost {
  /** Lets the user pick one file; null when cancelled. */
  pickFile(accept: string): Promise<File | null>;
  download(fileName: string, blob: Blob): void;
  print(): void;
  openWindow(url: string): void;
  userAgent: string;
}

function checkArgs<K extends keyof IpcRoutes>(method: K, args: unknown[]): RouteArgs<K> {
  const parsed = ipcRoutes[method].args.safeParse(args);
  if (!parsed.success) {
    throw new Error(`参数无效 / Invalid arguments for ${InvokeChannel[method]}: ${parsed.error.message}`);
  }
  return parsed.data as RouteArgs<K>;
}

function acceptFor(options: OpenFileOptions): string {
  const extensions = (options.filters ?? []).flatMap((f) => f.extensions);
  return extensions.includes('*') ? '' : extensions.map((e) => `.${e}`).join(',');
}

export function createWebClientApi(host: WebHost): ClientApi {
  const secrets = new Map<SecretKey, string>();
  const chrome = /Chrome\/([\d.]+)/.exec(host.userAgent)?.[1];

  async function openFile(...args: unknown[]): Promise<OpenFileResult> {
    const [options] = checkArgs('openFile', args);
    const limit = Math.min(options.maxBytes ?? MAX_OPEN_FILE_BYTES, MAX_OPEN_FILE_BYTES);
    const file = await host.pickFile(acceptFor(options));
    if (file === null) return { status: 'cancelled' };
    if (file.size > limit) {
      return { status: 'too-large', name: file.name, size: file.size, limit, message: fileTooLargeMessage(file.size, limit) };
    }
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      return { status: 'opened', name: file.name, size: bytes.byteLength, lastModified: file.lastModified, bytes };
    } catch (error) {
      return { status: 'failed', message: `无法读取文件 / Cannot read the file ${file.name}: ${String(error)}` };
    }
  }

  return {
    getAppInfo: async () => ({
      name: '信用核查台',
      version,
      variant: 'web',
      platform: 'web',
      arch: 'web',
      packaged: false,
      versions: chrome ? { chrome } : {},
    }),
    openFile: (options) => openFile(options),
    saveFile: async (...args) => {
      const [request] = checkArgs('saveFile', args);
      host.download(request.suggestedName, new Blob([request.bytes], { type: 'application/octet-stream' }));
      return { status: 'delegated' };
    },
    printToPdf: async (...args) => {
      checkArgs('printToPdf', args);
      host.print(); // the browser's dialog offers "Save as PDF"
      return { status: 'delegated' };
    },
    getSecretBackend: async () => ({ mode: 'session-only', reason: 'web_variant' }),
    getSecret: async (...args) => {
      const [key] = checkArgs('getSecret', args);
      return secrets.get(key) ?? null;
    },
    setSecret: async (...args) => {
      const [key, value] = checkArgs('setSecret', args);
      secrets.set(key, value);
      return { mode: 'session-only', reason: 'web_variant' };
    },
    deleteSecret: async (...args) => {
      const [key] = checkArgs('deleteSecret', args);
      secrets.delete(key);
      return undefined;
    },
    getUpdaterStatus: async () => ({ state: 'unsupported' }),
    checkForUpdates: async () => ({ state: 'unsupported' }),
    installUpdate: async () => ({ status: 'refused', reason: 'unsupported' }),
    setBusy: async (...args) => {
      checkArgs('setBusy', args);
      return undefined;
    },
    openExternal: async (...args) => {
      const [url] = checkArgs('openExternal', args);
      const allowed = allowedExternalUrl(url);
      if (allowed === null) return false;
      host.openWindow(allowed);
      return true;
    },
    onUpdaterStatus: () => () => {},
  } satisfies ClientApi;
}

/** The page's own file input, download link, print and window.open. */
export function browserHost(win: Window = window): WebHost {
  const doc = win.document;
  return {
    userAgent: win.navigator.userAgent,
    pickFile(accept) {
      doc.querySelector(`[data-testid="${WEB_FILE_INPUT_TEST_ID}"]`)?.remove();
      const input = doc.createElement('input');
      input.type = 'file';
      input.accept = accept;
      input.dataset['testid'] = WEB_FILE_INPUT_TEST_ID;
      // Invisible but present, so WebDriver can still set a file on it.
      input.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;';
      doc.body.append(input);
      return new Promise<File | null>((resolve) => {
        const finish = (file: File | null) => {
          input.remove();
          resolve(file);
        };
        input.addEventListener('change', () => finish(input.files?.[0] ?? null), { once: true });
        input.addEventListener('cancel', () => finish(null), { once: true });
        if (!win.navigator.webdriver) input.click();
      });
    },
    download(fileName, blob) {
      const url = URL.createObjectURL(blob);
      const a = doc.createElement('a');
      a.href = url;
      a.download = fileName;
      a.style.display = 'none';
      doc.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000); // after the browser has taken the bytes
    },
    print: () => win.print(),
    openWindow: (url) => {
      win.open(url, '_blank', 'noopener');
    },
  };
}

/** Installs the in-page bridge as `window.clientApi` (before the app starts). */
export function installWebBridge(): void {
  if (window.clientApi) return;
  window.clientApi = Object.freeze(createWebClientApi(browserHost()));
}
