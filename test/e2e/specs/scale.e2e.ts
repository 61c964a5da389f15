import { $, $$, browser, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { checkIdentifier, chooseMatter, chooseSubjectType, openApp, screenshot, typeOver } from '../support/app';

/** The mirror at a province's scale; E2E_SCALE_RECORDS makes it smaller on a slow machine. */
const RECORDS = Number(process.env.E2E_SCALE_RECORDS ?? 1_000_000);

describe(`the mirror at ${RECORDS.toLocaleString('en')} records`, () => {
  before(async () => {
    await openApp();
  });

  it('loads synthetic records in the worker with a progress bar', async () => {
    await $('[data-testid="nav-settings"]').click();
    await typeOver('input[data-testid="synthetic-count"], [data-testid="synthetic-count"] input', String(RECORDS));
    await $('[data-testid="synthetic-start"]').click();
    await $('[data-testid="synthetic-progress"]').waitForDisplayed();
    await browser.waitUntil(async () => /[1-9]\d*%/.test(await $('[data-testid="synthetic-progress"]').getText()), { timeout: 60_000 });
    await screenshot('20-synthetic-load-progress');
    await $('[data-testid="synthetic-result"]').waitForDisplayed({ timeout: 300_000 });
    await expect($('[data-testid="synthetic-result"]')).toHaveText(expect.stringContaining(`已载入 ${RECORDS.toLocaleString('zh-CN')} 条`));
    // The result sits at the bottom of the settings page: show it whole.
    await $('[data-testid="synthetic-result"]').scrollIntoView({ block: 'center' });
    await screenshot('21-synthetic-load-done');
  });

  it('browses, scrolls and searches the large mirror', async () => {
    await $('[data-testid="nav-lists"]').click();
    await $('[data-testid="lists-row"]').waitForDisplayed();
    for (let i = 0; i < 5; i++) {
      await browser.execute(() => {
        const el = document.querySelector('[data-testid="lists-scroll"]');
        if (el) el.scrollTop = el.scrollHeight;
      });
      await browser.pause(150);
    }
    await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringMatching(/已载入 (1,[02468]00|[2-9],\d00) 条/));
    expect(await $$('[data-testid="lists-row"]').length).toBeLessThan(80);
    await screenshot('22-lists-at-scale');

    // A company's name taken from the grid, searched by the two characters after the city.
    const names = await $$('[data-testid="lists-row"] [role="cell"]:nth-child(3)').map((c) => c.getText());
    const name = names.find((n) => n.length >= 8) ?? '';
    const part = name.slice(2, 4);
    expect(part.length).toBe(2);
    await $('[data-testid="lists-search"] input').setValue(part);
    await browser.keys('Enter');
    await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringContaining(`名称包含“${part}”`));
    await expect($$('[data-testid="lists-row"]')).toBeElementsArrayOfSize({ gte: 1 });
    await screenshot('23-name-search-at-scale');
  });

  it('answers look-ups at the counter from the look-up file of the large mirror', async () => {
    await $('[data-testid="nav-settings"]').click();
    const status = $('[data-testid="lookup-status-text"]');
    // Built in the look-up worker after the load (~13 s at 1,000,000 on the 2-core machine).
    await browser.waitUntil(async () => (await status.getText()).includes('查询文件：第'), { timeout: 240_000, timeoutMsg: 'no look-up file was built' });
    const answered = async (): Promise<number> => Number(/已由查询文件作答 (\d+) 次/.exec(await status.getText())?.[1] ?? Number.NaN);
    const before = await answered();
    expect(before).toBeGreaterThanOrEqual(0);
    await $('[data-testid="nav-check"]').click();
    await chooseMatter('食品经营许可');
    await chooseSubjectType('法人');
    await checkIdentifier(DEMO.blackCompany.identifier);
    await $('[data-testid="nav-settings"]').click();
    await browser.waitUntil(async () => (await answered()) > before, { timeout: 10_000, timeoutMsg: 'the check was not answered from the look-up file' });
    await $('[data-testid="lookup-status"]').scrollIntoView({ block: 'center' });
    await screenshot('24-lookup-file-at-scale');
  });
});
