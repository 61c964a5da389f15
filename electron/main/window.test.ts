import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createMainWindow, type MainWindow } from './window';

function build(overrides: { devTools?: boolean } = {}) {
  const created: BrowserWindowConstructorOptions[] = [];
  const loadURL = vi.fn(() => Promise.resolve());
  const once = vi.fn();
  class FakeBrowserWindow {
    loadURL = loadURL;
    once = once;
    show = vi.fn();
    isDestroyed = () => false;
    webContents = {} as MainWindow['webContents'];
    constructor(options: BrowserWindowConstructorOptions) {
      created.push(options);
    }
  }
  const win = createMainWindow({
    BrowserWindow: FakeBrowserWindow as unknown as new (o: BrowserWindowConstructorOptions) => MainWindow,
    preloadPath: '/app/out/preload/index.cjs',
    entryUrl: 'app://hechatai/index.html',
    devTools: overrides.devTools ?? false,
    onLoadError: vi.fn(),
  });
  const options = created[0];
  if (!options) throw new Error('no window created');
  return { win, options, prefs: options.webPreferences ?? {}, loadURL, once };
}

describe('createMainWindow', () => {
  it('isolates the page: context isolation, sandbox, no Node anywhere, web security on', () => {
    const { prefs } = build();
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('uses the given preload and loads the app origin', () => {
    const { prefs, loadURL } = build();
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(loadURL).toHaveBeenCalledWith('app://hechatai/index.html');
  });

  it('keeps DevTools closed in an installed build', () => {
    expect(build({ devTools: false }).prefs.devTools).toBe(false);
    expect(build({ devTools: true }).prefs.devTools).toBe(true);
  });

  it('shows the window only once it has painted', () => {
    const { options, once } = build();
    expect(options.show).toBe(false);
    expect(once).toHaveBeenCalledWith('ready-to-show', expect.any(Function));
  });
});
