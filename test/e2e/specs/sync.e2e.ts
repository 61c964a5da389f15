/**
 * A fresh install enrols with the city platform (the reference platform, a separate process),
 * loads the lists, and a check made while the network is down reaches the platform once it
 * is back: exactly once.
 */
import { $, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { spawnPlatform, type SpawnedPlatform } from '../../platform/spawn';
import { checkIdentifier, chooseMatter, decideAll, openApp, screenshot } from '../support/app';

describe('sync with the city platform', () => {
  let platform: SpawnedPlatform;

  before(async () => {
    platform = await spawnPlatform({ records: 3000 });
    await openApp();
  });

  after(async () => {
    await platform?.stop();
  });

  it('enrols with a one-time code and loads the lists from the platform', async () => {
    await $('[data-testid="nav-sync"]').click();
    await $('[data-testid="sync-url"]').setValue(platform.url);
    await $('[data-testid="sync-code"]').setValue(platform.enrolCode);
    await $('[data-testid="sync-device-name"]').setValue('示例区政务服务中心 3号窗口');
    await $('[data-testid="sync-enrol"]').click();
    await expect($('[data-testid="sync-device-id"]')).toBeDisplayed();
    // The sample mirror is replaced by the platform's lists once the first load completes.
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining('市信用平台'), { wait: 120_000 });
    await screenshot('28-sync-enrolled-loaded');
  });

  it('a check made offline waits in the outbox and reaches the platform once the network returns', async () => {
    await platform.admin.setFaults({ drop: 1 }); // every connection is cut: the network is down
    await $('[data-testid="sync-now"]').click();
    await expect($('[data-testid="sync-connectivity"]')).toHaveText('离线', { wait: 60_000 });

    await $('[data-testid="nav-check"]').click();
    await chooseMatter('食品经营许可');
    await checkIdentifier(DEMO.blackCompany.identifier);
    await decideAll();
    await $('[data-testid="save-check"]').click();
    await expect($('[data-testid="saved-alert"]')).toBeDisplayed();
    const pending = Number(/待上报：(\d+)/.exec(await $('[data-testid="status-bar"]').getText())?.[1]);
    expect(pending).toBeGreaterThan(1);
    await screenshot('29-check-saved-offline');
    const before = (await platform.admin.received()).length;

    await platform.admin.setFaults({ drop: 0 }); // the network is back
    await $('[data-testid="nav-sync"]').click();
    await $('[data-testid="sync-now"]').click();
    await expect($('[data-testid="sync-pending"]')).toHaveText('0 条', { wait: 120_000 });
    await expect($('[data-testid="sync-connectivity"]')).toHaveText('在线');
    const received = await platform.admin.received();
    expect(received.length - before).toBe(pending);
    expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
    expect(received.some((r) => r.kind === 'check')).toBe(true);
    await screenshot('30-synced-after-network-returns');
  });
});
