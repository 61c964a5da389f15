import { $, browser, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { checkIdentifier, chooseMatter, decideAll, openApp, screenshotFull, signInIfAsked } from '../support/app';

const DAY = 86_400_000;

describe('a stale mirror is never presented as current', () => {
  before(async () => {
    await openApp(); // loads the sample mirror, stamped with today's time
    // Three days later, nobody has synced: the 24-hour freshness limit is past.
    await browser.emulate('clock', { now: Date.now() + 3 * DAY, shouldAdvanceTime: true });
    await browser.refresh();
    await signInIfAsked();
  });

  it('says so in the status bar, on the verdict and on the printed record', async () => {
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining('已过期，请联网复核'));
    await chooseMatter('企业设立登记');
    await checkIdentifier(DEMO.cleanCompany.identifier);
    await expect($('[data-testid="stale-warning"]')).toHaveText(expect.stringContaining('请联网复核'));
    await decideAll();
    await $('[data-testid="save-check"]').click();
    await expect($('[data-testid="saved-alert"]')).toBeDisplayed();
    await $('[data-testid="print-check"]').click();
    await expect($('[data-testid="print-preview"]')).toHaveText(expect.stringContaining('须联网复核'));
    await screenshotFull('08-stale-mirror-print');
  });
});
