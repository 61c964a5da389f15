import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdaterStatus } from '../../shared/ipc/contract';
import { createUpdateController, type UpdaterLike } from './updater';

class FakeUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowDowngrade = true;
  allowPrerelease = true;
  feed: unknown = null;
  setFeedURL = vi.fn((options: unknown) => {
    this.feed = options;
  });
  checkForUpdates = vi.fn(async () => null);
  quitAndInstall = vi.fn();
}

function setup(feedUrl: string | null = 'https://update.example.gov.cn/hechatai/') {
  const fake = new FakeUpdater();
  const statuses: UpdaterStatus[] = [];
  const getUpdater = vi.fn(() => fake as unknown as UpdaterLike);
  const controller = createUpdateController({
    feedUrl,
    getUpdater,
    onStatus: (s) => statuses.push(s),
    log: { info: () => {}, warn: () => {} },
    now: () => 1_700_000_000_000,
  });
  return { fake, statuses, getUpdater, controller };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('update controller', () => {
  it('without a configured URL updates are off and electron-updater is never touched', async () => {
    const { controller, getUpdater } = setup(null);
    expect(controller.getStatus()).toEqual({ state: 'disabled' });
    expect(await controller.check()).toEqual({ state: 'disabled' });
    controller.start({ firstCheckAfterMs: 10, intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(getUpdater).not.toHaveBeenCalled();
    expect(controller.install()).toEqual({ status: 'refused', reason: 'not-downloaded' });
  });

  it('uses the generic provider with the configured URL, downloads in the background, installs on quit', async () => {
    const { controller, fake } = setup();
    await controller.check();
    expect(fake.feed).toEqual({ provider: 'generic', url: 'https://update.example.gov.cn/hechatai/' });
    expect(fake.autoDownload).toBe(true);
    expect(fake.autoInstallOnAppQuit).toBe(true);
    expect(fake.allowDowngrade).toBe(false);
    expect(fake.allowPrerelease).toBe(false);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(1);
  });

  it('reports each step to the renderer', async () => {
    const { controller, fake, statuses } = setup();
    await controller.check();
    fake.emit('checking-for-update');
    fake.emit('update-available', { version: '0.2.0' });
    fake.emit('download-progress', { percent: 42.5 });
    fake.emit('update-downloaded', { version: '0.2.0' });
    expect(statuses).toEqual([
      { state: 'checking' },
      { state: 'downloading', version: '0.2.0', percent: 0 },
      { state: 'downloading', version: '0.2.0', percent: 42.5 },
      { state: 'downloaded', version: '0.2.0' },
    ]);
  });

  it('a downloaded update never installs while a counter transaction is in progress', async () => {
    const { controller, fake } = setup();
    await controller.check();
    fake.emit('update-downloaded', { version: '0.2.0' });
    controller.setBusy(true);
    expect(controller.install()).toEqual({ status: 'refused', reason: 'busy' });
    await vi.runAllTimersAsync();
    expect(fake.quitAndInstall).not.toHaveBeenCalled();
  });

  it('installs when the user asks and nothing is in progress, after the reply has gone out', async () => {
    const { controller, fake } = setup();
    await controller.check();
    fake.emit('update-downloaded', { version: '0.2.0' });
    controller.setBusy(true);
    controller.setBusy(false);
    expect(controller.install()).toEqual({ status: 'installing' });
    expect(fake.quitAndInstall).not.toHaveBeenCalled();
    await vi.runAllTimersAsync();
    expect(fake.quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('nothing to install before a download finished', async () => {
    const { controller, fake } = setup();
    await controller.check();
    fake.emit('update-available', { version: '0.2.0' });
    expect(controller.install()).toEqual({ status: 'refused', reason: 'not-downloaded' });
  });

  it('a later error does not hide an update that is ready to install', async () => {
    const { controller, fake } = setup();
    await controller.check();
    fake.emit('update-downloaded', { version: '0.2.0' });
    fake.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED'));
    expect(controller.getStatus()).toEqual({ state: 'downloaded', version: '0.2.0' });
  });

  it('an unreachable server shows as an error, and the next check tries again', async () => {
    const { controller, fake } = setup();
    fake.checkForUpdates.mockRejectedValueOnce(new Error('connect ETIMEDOUT'));
    expect(await controller.check()).toEqual({ state: 'error', message: 'connect ETIMEDOUT' });
    fake.emit('update-not-available', { version: '0.1.0' });
    expect(await controller.check()).toEqual({ state: 'up-to-date', checkedAt: 1_700_000_000_000 });
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(2);
  });

  it('checks after start and then periodically, until stopped', async () => {
    const { controller, fake } = setup();
    controller.start({ firstCheckAfterMs: 1000, intervalMs: 10_000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(3);
    controller.stop();
    await vi.advanceTimersByTimeAsync(100_000);
    expect(fake.checkForUpdates).toHaveBeenCalledTimes(3);
  });
});
