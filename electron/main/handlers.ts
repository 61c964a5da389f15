/**
 * The implementation of every ClientApi method in main: each one delegates to a service.
 * `MainHandlers` makes a forgotten method a compile error; ipc.ts guards them all.
 */
import type { AppInfo } from '../../shared/ipc/contract';
import type { FileService } from './files';
import type { MainHandlers } from './ipc';
import type { SecretStore } from './secrets';
import type { UpdateController } from './updater';

export interface MainServices<S> {
  appInfo(): AppInfo;
  files: FileService;
  /** Renders the sender's page to PDF bytes (webContents.printToPDF). */
  printPage(sender: S, options: { pageSize: 'A4'; landscape: boolean; printBackground: boolean }): Promise<Uint8Array<ArrayBuffer>>;
  secrets: SecretStore;
  updates: UpdateController;
  /** Opens a link in the system browser if the allow-list permits; false when refused. */
  openAllowedLink(url: string): boolean;
}

export function createMainHandlers<S>(services: MainServices<S>): MainHandlers<S> {
  return {
    getAppInfo: () => services.appInfo(),
    openFile: (_context, options) => services.files.openFile(options),
    saveFile: (_context, request) => services.files.saveFile(request),
    printToPdf: ({ sender }, request) => services.files.printToPdf(request, (options) => services.printPage(sender, options)),
    getSecretBackend: () => services.secrets.getBackend(),
    getSecret: (_context, key) => services.secrets.get(key),
    setSecret: (_context, key, value) => services.secrets.set(key, value),
    deleteSecret: (_context, key) => services.secrets.delete(key),
    getUpdaterStatus: () => services.updates.getStatus(),
    checkForUpdates: () => services.updates.check(),
    installUpdate: () => services.updates.install(),
    setBusy: (_context, busy) => {
      services.updates.setBusy(busy);
      return undefined;
    },
    openExternal: (_context, url) => services.openAllowedLink(url),
  };
}
