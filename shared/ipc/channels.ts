/**
 * IPC channel names between the renderer (through the preload) and the main process.
 *
 * Plain string constants with no zod import, so the sandboxed preload bundles only these
 * strings. Every channel carries the `hechatai:` prefix (after VS Code's `vscode:`), so a
 * handler can never collide with a library's channel.
 */
export const CHANNEL_PREFIX = 'hechatai:';

/** Request/response channels (`ipcRenderer.invoke` → `ipcMain.handle`), one per ClientApi method. */
export const InvokeChannel = {
  getAppInfo: 'hechatai:app:get-info',
  openFile: 'hechatai:file:open',
  saveFile: 'hechatai:file:save',
  printToPdf: 'hechatai:file:print-to-pdf',
  getSecretBackend: 'hechatai:secret:get-backend',
  getSecret: 'hechatai:secret:get',
  setSecret: 'hechatai:secret:set',
  deleteSecret: 'hechatai:secret:delete',
  getUpdaterStatus: 'hechatai:updater:get-status',
  checkForUpdates: 'hechatai:updater:check',
  installUpdate: 'hechatai:updater:install',
  setBusy: 'hechatai:session:set-busy',
  openExternal: 'hechatai:shell:open-external',
} as const;

export type InvokeMethod = keyof typeof InvokeChannel;

/** Main → renderer notifications (`webContents.send` → `ipcRenderer.on`). */
export const PushChannel = {
  updaterStatus: 'hechatai:updater:status-changed',
} as const;
