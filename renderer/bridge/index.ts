/**
 * The only renderer module that reads the host bridge. Everything else imports
 * `getClientApi()` from here, so the Electron preload and the browser variant's in-page
 * bridge (./web.ts) are interchangeable behind the same ClientApi contract.
 */
import type { ClientApi } from '../../shared/ipc/contract';

export type {
  AppInfo,
  ClientApi,
  InstallUpdateResult,
  OpenFileOptions,
  OpenFileResult,
  PrintToPdfRequest,
  SaveFileRequest,
  SaveFileResult,
  SecretBackend,
  SecretKey,
  UpdaterStatus,
} from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Set by electron/preload (contextBridge) or by installWebBridge() in the browser variant. */
    clientApi?: ClientApi;
  }
}

export function getClientApi(): ClientApi {
  const api = window.clientApi;
  if (!api) {
    throw new Error(
      '未找到客户端接口（window.clientApi）：请通过信用核查台桌面程序或浏览器版入口（web.html）打开。 / ' +
        'The client bridge (window.clientApi) is missing: open the app through the desktop client or the browser variant (web.html).',
    );
  }
  return api;
}
