import { $, $$, browser, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { openApp, screenshot, typeOver } from '../support/app';

describe('红黑名单 browsing', () => {
  before(async () => {
    await openApp();
    await $('[data-testid="nav-lists"]').click();
    await $('[data-testid="lists-row"]').waitForDisplayed();
  });

  it('pages through the mirror as the clerk scrolls', async () => {
    await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringContaining('已载入 200 条'));
    await browser.execute(() => {
      const el = document.querySelector('[data-testid="lists-scroll"]');
      if (el) el.scrollTop = el.scrollHeight;
    });
    await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringContaining('已载入 400 条'));
    // Only the rows on screen are in the page, however many are loaded.
    expect(await $$('[data-testid="lists-row"]').length).toBeLessThan(80);
    await screenshot('18-lists-browse');
    // The export takes every record of the result, not only the 400 scrolled into view.
    await $('[data-testid="lists-export"]').click();
    await expect($('.ant-message')).toHaveText(expect.stringMatching(/已导出 [\d,]+ 条/));
    const exported = Number(/已导出 ([\d,]+) 条/.exec(await $('.ant-message').getText())?.[1]?.replace(/,/g, ''));
    expect(exported).toBeGreaterThan(400);
    await screenshot('18b-lists-exported');
    await browser.execute(() => {
      const el = document.querySelector('[data-testid="lists-scroll"]');
      if (el) el.scrollTop = el.scrollHeight;
    });
    // Browsing on to the end loads exactly as many as were exported.
    await browser.waitUntil(
      async () => {
        await browser.execute(() => {
          const el = document.querySelector('[data-testid="lists-scroll"]');
          if (el) el.scrollTop = el.scrollHeight;
        });
        return (await $('[data-testid="lists-count"]').getText()).includes('已到末尾');
      },
      { timeout: 60_000, interval: 200 },
    );
    await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringContaining(`已载入 ${exported.toLocaleString('zh-CN')} 条`));
  });

  it('finds a subject by identifier and shows the record in full', async () => {
    await $('[data-testid="lists-search"] input').setValue(DEMO.blackCompany.identifier);
    await browser.keys('Enter');
    await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringContaining('按代码查得'));
    await $('[data-testid="lists-row"]').click();
    await expect($('[data-testid="list-detail"]')).toHaveText(expect.stringContaining(DEMO.blackCompany.name));
    await screenshot('19-lists-detail');
    await $('[data-testid="list-detail"] .ant-drawer-close').click();
    await $('[data-testid="list-detail"]').waitForDisplayed({ reverse: true });
  });

  it('finds records by part of a name, filtered by colour', async () => {
    await typeOver('[data-testid="lists-search"] input', '恒通达');
    await browser.keys('Enter');
    await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringContaining('名称包含“恒通达”'));
    await $('[data-testid="lists-colour"] [title="红名单"]').click();
    await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringContaining('：0 条'));
  });
});

describe('红黑名单 filters', () => {
  before(async () => {
    await openApp();
    await $('[data-testid="nav-lists"]').click();
    await $('[data-testid="lists-row"]').waitForDisplayed();
  });

  it('filters the browse by designating department', async () => {
    await $('[data-testid="lists-dept"] input').click();
    await $('[data-testid="lists-dept"] input').addValue('法院');
    await browser.keys('Enter');
    await browser.waitUntil(
      async () => {
        // Read the department column in one go: the virtual rows re-render while they load.
        const cells = await browser.execute(() =>
          Array.from(document.querySelectorAll('[data-testid="lists-row"] [role="cell"]:nth-child(5)'), (c) => c.textContent ?? ''),
        );
        return cells.length > 0 && cells.every((t) => t.includes('法院'));
      },
      { timeoutMsg: 'the department filter did not apply' },
    );
    await screenshot('18b-lists-by-department');
  });
});
