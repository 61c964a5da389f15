import { $, browser, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { checkIdentifier, chooseMatter, clickInView, decideAll, openApp, screenshot, screenshotFull, signInIfAsked } from '../support/app';

const DAY = 86_400_000;

describe('容缺受理 for a red-list subject, through to a breached commitment', () => {
  before(async () => {
    await openApp();
  });

  it('offers fast-track to a red-list company and records the commitment', async () => {
    await chooseMatter('食品经营许可');
    await checkIdentifier(DEMO.redCompany.identifier);
    await expect($('[data-testid="fast-track"]')).toHaveAttribute('data-eligible', 'true');
    await expect($('[data-testid="fast-track"]')).toHaveText(expect.stringContaining('红名单'));
    await decideAll();
    await $('[data-testid="use-fast-track"]').click();
    // Saving without picking the missing material is refused with a reason.
    await $('[data-testid="save-check"]').click();
    await expect($('[data-testid="fast-track-error"]')).toHaveText(expect.stringContaining('暂缺的次要材料'));
    await clickInView('[data-testid="missing-materials"] .ant-checkbox-wrapper', 0);
    await screenshotFull('09-fast-track-offered');
    await $('[data-testid="save-check"]').click();
    await expect($('[data-testid="saved-alert"]')).toBeDisplayed();

    await $('[data-testid="print-commitment"]').click();
    await expect($('[data-testid="print-preview"]')).toHaveText(expect.stringContaining('信用承诺书'));
    await expect($('[data-testid="print-preview"]')).toHaveText(expect.stringContaining(DEMO.redCompany.name));
    await screenshot('10-commitment-letter');
    await $('.ant-modal-close').click();
    await $('[data-testid="print-notice"]').click();
    await expect($('[data-testid="print-preview"]')).toHaveText(expect.stringContaining('容缺受理通知书'));
    await screenshot('11-fast-track-notice');
    await $('.ant-modal-close').click();

    await $('[data-testid="nav-commitments"]').click();
    await expect($('[data-testid="commitments-page"]')).toHaveText(expect.stringContaining(DEMO.redCompany.name));
    await expect($('[data-testid="commitment-state"]')).toHaveText('待补齐');
  });

  it('an overdue commitment becomes a breach, and the next verdict refuses fast-track', async () => {
    // Forty days on (past the 20-working-day limit) the materials never came.
    await browser.emulate('clock', { now: Date.now() + 40 * DAY, shouldAdvanceTime: true });
    await browser.refresh();
    await signInIfAsked();
    await $('[data-testid="nav-commitments"]').waitForDisplayed({ timeout: 60_000 });
    await $('[data-testid="nav-commitments"]').click();
    await $('[data-testid="commitment-filter"] [title="违背承诺"]').click();
    await expect($('[data-testid="commitment-state"]')).toHaveText('违背承诺');
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining('待上报'));
    await screenshot('12-commitment-breached');

    await $('[data-testid="nav-check"]').click();
    await checkIdentifier(DEMO.redCompany.identifier);
    await expect($('[data-testid="fast-track"]')).toHaveAttribute('data-eligible', 'false');
    await expect($('[data-testid="fast-track"]')).toHaveText(expect.stringContaining('违背信用承诺'));
    await screenshotFull('13-fast-track-refused-after-breach');
  });
});
