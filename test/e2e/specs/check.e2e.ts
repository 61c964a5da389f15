import { $, $$, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { checkIdentifier, chooseMatter, chooseSubjectType, headline, openApp, screenshot, screenshotVerdict } from '../support/app';

describe('应查必查 at the counter', () => {
  before(async () => {
    await openApp();
  });

  it('opens on the Chinese main screen with the sample data', async () => {
    await expect($('[data-testid="app-title"]')).toHaveText('信用核查台');
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining('示例数据'));
    await screenshot('01-main-screen');
  });

  it('a check of a black-listed company shows the hit, the linked person and the measures', async () => {
    await chooseMatter('食品经营许可');
    await chooseSubjectType('法人');
    await checkIdentifier(DEMO.blackCompany.identifier);
    expect(await headline()).toBe('black');
    await expect($('[data-testid="verdict-headline"]')).toHaveText(expect.stringContaining('命中失信黑名单'));
    await expect($$('[data-testid="hits"] [data-testid="hit"]')).toBeElementsArrayOfSize({ gte: 1 });
    await expect($('[data-testid="linked-hits"]')).toHaveText(expect.stringContaining('法定代表人'));
    await expect($$('[data-testid="measure"]')).toBeElementsArrayOfSize({ gte: 1 });
    await screenshot('02-black-company-verdict');
    await screenshotVerdict('02b-black-company-verdict-full');
  });
});
