/**
 * What a page may do beyond rendering itself: navigate, open windows, attach webviews, use
 * permissions. Everything is refused except what the counter app needs.
 *
 * Applied to every webContents (app `web-contents-created`) and to the default session, by
 * electron/main/index.ts. Takes narrow interfaces so the rules are tested in Node.
 */
import { allowedExternalUrl } from '../../shared/ipc/external-links';

export type NavigationDecision = 'allow' | 'open-external' | 'deny';

/** Our own page may reload itself; an allow-listed link goes to the system browser; all else stops. */
export function decideNavigation(url: string, isTrustedUrl: (url: string) => boolean): NavigationDecision {
  if (isTrustedUrl(url)) return 'allow';
  return allowedExternalUrl(url) === null ? 'deny' : 'open-external';
}

export interface NavigationPolicy {
  isTrustedUrl(url: string): boolean;
  /** Opens a link in the system browser if the allow-list permits (see openIfAllowed). */
  openAllowedLink(url: string): void;
  onRefused?(what: string, url: string): void;
}

interface Preventable {
  preventDefault(): void;
}
interface NavigationEvent extends Preventable {
  url: string;
}

/** The part of Electron's WebContents this module touches. */
export interface HardenableContents {
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function hardenWebContents(contents: HardenableContents, policy: NavigationPolicy): void {
  const guard = (what: string) => (event: NavigationEvent) => {
    const decision = decideNavigation(event.url, policy.isTrustedUrl);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-external') policy.openAllowedLink(event.url);
    else policy.onRefused?.(what, event.url);
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-redirect', guard('redirect'));

  // The app has a single window: window.open and target=_blank never create another one.
  contents.setWindowOpenHandler(({ url }) => {
    if (allowedExternalUrl(url) !== null) policy.openAllowedLink(url);
    else policy.onRefused?.('window.open', url);
    return { action: 'deny' };
  });

  // webviewTag is off in webPreferences; this also stops a webview injected some other way.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    policy.onRefused?.('webview', '');
  });
}

/**
 * Permissions the renderer may use, and only from our own page:
 * clipboard-sanitized-write copies a verdict or a record number for the clerk;
 * persistent-storage asks Chromium not to evict IndexedDB (the mirror and local records).
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'persistent-storage']);

export function isPermissionGranted(
  permission: string,
  requestingUrl: string,
  isTrustedUrl: (url: string) => boolean,
): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isTrustedUrl(requestingUrl);
}

/** The part of Electron's Session this module touches. */
export interface HardenableSession {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean): void;
}

export function hardenSession(session: HardenableSession, isTrustedUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, isTrustedUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, isTrustedUrl),
  );
}

/**
 * Opens `url` with `open` only if it passes the external-link allow-list; says whether it did.
 * The single way the app reaches shell.openExternal.
 */
export function openIfAllowed(url: string, open: (allowedUrl: string) => void): boolean {
  const allowed = allowedExternalUrl(url);
  if (allowed === null) return false;
  open(allowed);
  return true;
}
