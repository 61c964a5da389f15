import { $, browser, expect } from '@wdio/globals';
import { openApp, screenshot } from '../support/app';

describe('措施清单', () => {
  before(async () => {
    await openApp();
    await $('[data-testid="nav-measures"]').click();
  });

  it('filters by free text and shows a measure with its basis', async () => {
    const page = $('[data-testid="measures-page"]');
    await expect(page).toHaveText(expect.stringContaining('措施清单'));
    const search = $('[data-testid="measure-search"] input');
    await search.setValue('容缺受理');
    await browser.keys('Enter');
    await expect(page).toHaveText(expect.stringContaining('容缺受理'));
    await $('[data-testid="measures-page"] .ant-table-row').click();
    await expect($('[data-testid="measure-detail"]')).toHaveText(expect.stringContaining('依据'));
    await screenshot('14-measure-detail');
  });
});
