/**
 * Main-process entry: wires Electron's APIs into the small modules beside this file.
 * Policy lives (and is unit-tested) in those modules; this file only connects them.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import type { WebContents } from 'electron';
import log from 'electron-log/main';
import electronUpdater from 'electron-updater';
import { PushChannel, type UpdaterStatus } from '../../shared/ipc/contract';
import { readTextIfExists, resolveUpdateFeed, UPDATE_CONFIG_FILE } from './config';
import { createFileService } from './files';
import { createMainHandlers } from './handlers';
import { isTrustedSender, registerIpcHandlers } from './ipc';
import { configureLogging } from './log';
import { APP_SCHEME, resolveRendererSource } from './origin';
import { createAppProtocolHandler, PRIVILEGED_SCHEMES } from './protocol';
import { createSecretStore, secretFileAt } from './secrets';
import { hardenSession, hardenWebContents, openIfAllowed } from './security';
import { createUpdateController } from './updater';
import { createMainWindow } from './window';

const APP_USER_MODEL_ID = 'cn.xinyong.hechatai';
/** Pinned so a renamed product never moves clerks' IndexedDB to a new, empty profile. */
const USER_DATA_DIR = 'xinyong-hechatai';

const here = fileURLToPath(new URL('.', import.meta.url)); // out/main/
const PRELOAD_PATH = join(here, '../preload/index.cjs');
const RENDERER_ROOT = join(here, '../renderer');

// First: the single-instance lock, IndexedDB and the logs all live under userData. An explicit
// --user-data-dir (Chromedriver in e2e tests, a portable setup) still wins.
if (!app.commandLine.hasSwitch('user-data-dir')) app.setPath('userData', join(app.getPath('appData'), USER_DATA_DIR));
configureLogging(log, { packaged: app.isPackaged });
protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES); // must happen before `ready`
app.enableSandbox();

// Two instances on one profile corrupt IndexedDB ("Internal error opening backing store").
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start(): void {
  const source = resolveRendererSource({
    isPackaged: app.isPackaged,
    devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  });
  let mainWindow: BrowserWindow | null = null;

  const openAllowedLink = (url: string): boolean =>
    openIfAllowed(url, (allowed) => {
      shell.openExternal(allowed).catch((error: unknown) => log.warn('openExternal failed', error)); // eng-disable OPEN_EXTERNAL_JS_CHECK  `allowed` passed the https origin allow-list in openIfAllowed
    });

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, {
      isTrustedUrl: source.isTrustedUrl,
      openAllowedLink,
      onRefused: (what, url) => log.warn(`refused ${what}`, url),
    });
  });

  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
    // No default menu in an installed build: no Ctrl+R reload in the middle of a check.
    if (app.isPackaged) Menu.setApplicationMenu(null);

    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: RENDERER_ROOT, readFile: (path) => readFile(path) }));
    hardenSession(session.defaultSession, source.isTrustedUrl);

    const userData = app.getPath('userData');
    const feed = resolveUpdateFeed({
      env: process.env,
      configFileText: readTextIfExists(join(userData, UPDATE_CONFIG_FILE)),
    });
    if (feed.source === 'invalid') log.warn('update configuration ignored:', feed.problem);
    else log.info(feed.url === null ? 'updates off (no update URL configured)' : `updates from ${feed.url} (${feed.source})`);

    const sendStatus = (status: UpdaterStatus) => {
      if (mainWindow !== null && !mainWindow.isDestroyed()) mainWindow.webContents.send(PushChannel.updaterStatus, status);
    };
    const updates = createUpdateController({
      feedUrl: feed.url,
      getUpdater: () => {
        const updater = electronUpdater.autoUpdater;
        updater.logger = log;
        return updater;
      },
      onStatus: sendStatus,
      log,
      now: Date.now,
    });

    const files = createFileService({
      dialogs: {
        showOpenDialog: (options) =>
          mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options),
        showSaveDialog: (options) =>
          mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options),
      },
      fs: { stat, readFile: (path) => readFile(path), writeFile: (path, data) => writeFile(path, data) },
      defaultDir: app.getPath('documents'),
    });

    const secrets = createSecretStore({
      safeStorage,
      platform: process.platform,
      file: secretFileAt(join(userData, 'secrets.json')),
      log,
    });

    const handlers = createMainHandlers<WebContents>({
      appInfo: () => ({
        name: '信用核查台',
        version: app.getVersion(),
        variant: 'electron',
        platform: process.platform,
        arch: process.arch,
        packaged: app.isPackaged,
        versions: { electron: process.versions.electron, chrome: process.versions.chrome },
      }),
      files,
      // Copied into a plain Uint8Array: the contract's bytes type, a PDF is small.
      printPage: (sender, options) => sender.printToPDF(options).then((pdf) => new Uint8Array(pdf)),
      secrets,
      updates,
      openAllowedLink,
    });
    registerIpcHandlers(ipcMain, handlers, (event) => isTrustedSender(event, mainWindow, source.isTrustedUrl), log);

    const window = createMainWindow({
      BrowserWindow,
      preloadPath: PRELOAD_PATH,
      entryUrl: source.entryUrl,
      devTools: !app.isPackaged,
      onLoadError: (error) => log.error('renderer failed to load', error),
    });
    mainWindow = window;
    window.on('closed', () => {
      mainWindow = null;
    });
    // A reloaded or crashed page has no counter transaction in progress any more.
    window.webContents.on('did-navigate', () => updates.setBusy(false));
    window.webContents.on('render-process-gone', (_event, details) => {
      log.error('renderer process gone', details.reason);
      updates.setBusy(false);
    });

    updates.start({ firstCheckAfterMs: 60_000, intervalMs: 4 * 60 * 60 * 1000 });
  });
}
