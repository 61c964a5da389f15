/**
 * Auto-update from the site's intranet server (electron-updater, generic provider), never
 * forced on a clerk in the middle of a counter transaction:
 * - nothing happens without a configured URL (see config.ts): status `disabled`;
 * - an update is downloaded in the background and installs when the app quits;
 * - it installs earlier only when the user asks and the renderer has not said it is busy
 *   (`setBusy(true)` while a check or a 承诺 is being recorded).
 */
import type { InstallUpdateResult, UpdaterStatus } from '../../shared/ipc/contract';

/** The part of electron-updater's AppUpdater this module uses. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'download-progress', listener: (info: { percent: number }) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateControllerDeps {
  /** The intranet feed, or null: updates off. */
  feedUrl: string | null;
  /** Called only when a feed is configured, so electron-updater is not even loaded otherwise. */
  getUpdater(): UpdaterLike;
  onStatus(status: UpdaterStatus): void;
  log: { info(...params: unknown[]): void; warn(...params: unknown[]): void };
  now(): number;
}

const MAX_MESSAGE = 500;

export function createUpdateController(deps: UpdateControllerDeps) {
  let status: UpdaterStatus = deps.feedUrl === null ? { state: 'disabled' } : { state: 'idle' };
  let busy = false;
  let updater: UpdaterLike | null = null;
  let timers: Array<ReturnType<typeof setTimeout>> = [];

  function setStatus(next: UpdaterStatus): void {
    status = next;
    deps.onStatus(next);
  }

  function ensureUpdater(feedUrl: string): UpdaterLike {
    if (updater) return updater;
    const u = deps.getUpdater();
    u.setFeedURL({ provider: 'generic', url: feedUrl });
    u.autoDownload = true;
    u.autoInstallOnAppQuit = true; // installing at quit interrupts nobody
    u.allowDowngrade = false;
    u.allowPrerelease = false;
    let downloadingVersion = '';
    u.on('checking-for-update', () => setStatus({ state: 'checking' }));
    u.on('update-available', (info) => {
      downloadingVersion = info.version;
      setStatus({ state: 'downloading', version: info.version, percent: 0 });
    });
    u.on('download-progress', (info) => {
      const percent = Math.min(100, Math.max(0, Number.isFinite(info.percent) ? info.percent : 0));
      setStatus({ state: 'downloading', version: downloadingVersion, percent });
    });
    u.on('update-not-available', () => setStatus({ state: 'up-to-date', checkedAt: deps.now() }));
    u.on('update-downloaded', (info) => {
      deps.log.info(`update ${info.version} downloaded; installs on quit or on request`);
      setStatus({ state: 'downloaded', version: info.version });
    });
    u.on('error', (error) => {
      deps.log.warn('updater error', error);
      // A failed later check must not hide an update that is ready to install.
      if (status.state !== 'downloaded') setStatus({ state: 'error', message: String(error.message).slice(0, MAX_MESSAGE) });
    });
    updater = u;
    return u;
  }

  async function check(): Promise<UpdaterStatus> {
    if (deps.feedUrl === null) return status;
    if (status.state === 'downloading' || status.state === 'downloaded' || status.state === 'checking') return status;
    try {
      await ensureUpdater(deps.feedUrl).checkForUpdates();
    } catch (error) {
      // electron-updater also emits 'error'; this covers a throw before it could.
      if (status.state !== 'error') {
        setStatus({ state: 'error', message: String(error instanceof Error ? error.message : error).slice(0, MAX_MESSAGE) });
      }
    }
    return status;
  }

  function install(): InstallUpdateResult {
    if (status.state !== 'downloaded' || updater === null) return { status: 'refused', reason: 'not-downloaded' };
    if (busy) return { status: 'refused', reason: 'busy' };
    const u = updater;
    // After the IPC reply has gone out: quitAndInstall closes the window.
    setTimeout(() => u.quitAndInstall(false, true), 0);
    return { status: 'installing' };
  }

  return {
    getStatus: (): UpdaterStatus => status,
    check,
    install,
    setBusy(value: boolean): void {
      busy = value;
    },
    isBusy: (): boolean => busy,
    /** First check shortly after start, then periodically; nothing when updates are off. */
    start(options: { firstCheckAfterMs: number; intervalMs: number }): void {
      if (deps.feedUrl === null) return;
      timers.push(setTimeout(() => void check(), options.firstCheckAfterMs));
      timers.push(setInterval(() => void check(), options.intervalMs));
    },
    stop(): void {
      for (const t of timers) clearTimeout(t);
      timers = [];
    },
  };
}

export type UpdateController = ReturnType<typeof createUpdateController>;
