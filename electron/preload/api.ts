/**
 * The bridge object the preload exposes as `window.clientApi`: one named function per
 * ClientApi method, each bound to its fixed channel. The page never gets `ipcRenderer`, so it
 * cannot send on any other channel or listen to anything but the updater status.
 *
 * No Electron import here (it is injected), so tests run it in Node.
 */
import { InvokeChannel, PushChannel } from '../../shared/ipc/channels';
import type { ClientApi, UpdaterStatus } from '../../shared/ipc/contract';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createClientApi(ipc: IpcRendererLike): ClientApi {
  // Results are checked against the contract's schemas in main before they are sent.
  const invoke = <T>(channel: string, ...args: unknown[]): Promise<T> => ipc.invoke(channel, ...args) as Promise<T>;

  return {
    getAppInfo: () => invoke(InvokeChannel.getAppInfo),
    openFile: (options) => invoke(InvokeChannel.openFile, options),
    saveFile: (request) => invoke(InvokeChannel.saveFile, request),
    printToPdf: (request) => invoke(InvokeChannel.printToPdf, request),
    getSecretBackend: () => invoke(InvokeChannel.getSecretBackend),
    getSecret: (key) => invoke(InvokeChannel.getSecret, key),
    setSecret: (key, value) => invoke(InvokeChannel.setSecret, key, value),
    deleteSecret: (key) => invoke(InvokeChannel.deleteSecret, key),
    getUpdaterStatus: () => invoke(InvokeChannel.getUpdaterStatus),
    checkForUpdates: () => invoke(InvokeChannel.checkForUpdates),
    installUpdate: () => invoke(InvokeChannel.installUpdate),
    setBusy: (busy) => invoke(InvokeChannel.setBusy, busy),
    openExternal: (url) => invoke(InvokeChannel.openExternal, url),
    onUpdaterStatus: (listener) => {
      // The IPC event object (with its `sender`) never reaches the page: only the status.
      const forward = (_event: unknown, status: unknown) => listener(status as UpdaterStatus);
      ipc.on(PushChannel.updaterStatus, forward);
      return () => {
        ipc.removeListener(PushChannel.updaterStatus, forward);
      };
    },
  } satisfies ClientApi;
}
