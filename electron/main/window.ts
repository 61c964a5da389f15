/**
 * The one application window. Its webPreferences are written out in full at the
 * `new BrowserWindow` call, so a reader (and electronegativity) sees every security switch.
 */
import type { BrowserWindow as ElectronBrowserWindow, BrowserWindowConstructorOptions } from 'electron';

export const WINDOW_TITLE = '信用核查台';

/** The part of BrowserWindow this module uses; a fake implements it in tests. */
export type MainWindow = Pick<ElectronBrowserWindow, 'loadURL' | 'once' | 'show' | 'isDestroyed' | 'webContents'>;

export interface WindowDeps<W extends MainWindow> {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => W;
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preloadPath: string;
  /** app://hechatai/index.html, or the Vite dev server when unpackaged. */
  entryUrl: string;
  /** DevTools only in unpackaged runs. */
  devTools: boolean;
  icon?: string;
  onLoadError(error: unknown): void;
}

export function createMainWindow<W extends MainWindow>(deps: WindowDeps<W>): W {
  const { BrowserWindow } = deps;
  const win = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    show: false, // shown on ready-to-show: no white flash at the counter
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    ...(deps.icon ? { icon: deps.icon } : {}),
    webPreferences: {
      preload: deps.preloadPath, // eng-disable PRELOAD_JS_CHECK  it exposes only named, schema-checked calls (electron/preload/api.ts)
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false, // a file dropped on the window must not replace the app
      disableBlinkFeatures: 'Auxclick', // middle-click cannot open links
      spellcheck: false,
      devTools: deps.devTools,
      safeDialogs: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.loadURL(deps.entryUrl).catch(deps.onLoadError);
  return win;
}
