import { $, $$, browser, expect } from '@wdio/globals';
import { resolve } from 'node:path';
import { DEMO } from '../../../shared/sample/demo';
import { checkIdentifier, chooseMatter, chooseSubjectType, clickInView, decideAll, headline, openApp, screenshot, screenshotFull } from '../support/app';

// A scan the applicant brings: any image will do; the first scenario's screenshot is one.
const SCAN = resolve(import.meta.dirname, '../../artifacts/screenshots/01-main-screen.png');

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
    await screenshotFull('02b-black-company-verdict-full');
  });

  it('a mandatory measure cannot be refused without a reason; the saved check and its feedback wait in the outbox', async () => {
    const mandatory = await $$('[data-testid="measure"]').filter(async (m) => (await m.getText()).includes('强制性'));
    expect(mandatory.length).toBeGreaterThan(0);
    const refusedId = (await mandatory[0]!.getAttribute('data-measure-id')) ?? '';
    const total = await $$('[data-testid="measure"]').length;
    // The audit trail's entries (the administrator set up at first start) wait too.
    const waiting = Number(/待上报：(\d+)/.exec(await $('[data-testid="status-bar"]').getText())?.[1]);
    await decideAll({ [refusedId]: null });
    await $('[data-testid="save-check"]').click();
    await expect($('[data-testid="decision-problem"]')).toBeDisplayed();
    await expect($('[data-testid="saved-alert"]')).not.toBeDisplayed();
    await screenshotFull('03-mandatory-refused-without-reason');

    await $(`[data-measure-id="${refusedId}"] [data-testid="decision-reason"]`).setValue('申请人已提交法院撤销失信决定的生效文书，报科室负责人同意');
    await browser.keys(['Control', 'Enter']);
    await expect($('[data-testid="saved-alert"]')).toBeDisplayed();
    // One check record and one feedback record per decided measure.
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining(`待上报：${waiting + total + 1} 条`));
    await screenshot('04-check-saved');

    // The 核查记录单: preview, then print (the browser variant hands it to the print dialog).
    await browser.keys(['Control', 'p']);
    await expect($('[data-testid="print-preview"]')).toHaveText(expect.stringContaining('信用核查记录单'));
    await expect($('[data-testid="print-preview"]')).toHaveText(expect.stringContaining('不执行：申请人已提交法院撤销失信决定'));
    await screenshot('04b-print-preview');
    await $('.ant-modal-close').click();
    await expect($('[data-testid="print-preview"]')).not.toBeDisplayed();
    await browser.keys('Escape');
    await expect($('[data-testid="verdict"]')).not.toBeDisplayed();
  });

  it('an expired record triggers no measure', async () => {
    await checkIdentifier(DEMO.expiredCompany.identifier);
    expect(await headline()).toBe('clear');
    await expect($$('[data-testid="measure"]')).toBeElementsArrayOfSize(0);
    await expect($('[data-testid="set-aside"]')).toHaveText(expect.stringContaining('已到期'));
    await screenshotFull('05-expired-record');
  });

  it('a record under objection is suspended', async () => {
    await checkIdentifier(DEMO.objectionCompany.identifier);
    expect(await headline()).toBe('clear');
    await clickInView('[data-testid="set-aside"] .ant-collapse-header');
    await expect($('[data-testid="set-aside"]')).toHaveText(expect.stringContaining('异议处理中'));
    await expect($$('[data-testid="measure"]')).toBeElementsArrayOfSize(0);
    await screenshotFull('06-objection-suspended');
  });

  it('a person on a black list shows the organisations he represents', async () => {
    await chooseSubjectType('自然人');
    await checkIdentifier(DEMO.blackPerson.identifier);
    expect(await headline()).toBe('black');
    await expect($('[data-testid="linked-hits"]')).toHaveText(expect.stringContaining(DEMO.blackCompany.name));
    await screenshotFull('07-black-person');
  });

  it('the history finds the saved check, reprints its record and exports to Excel', async () => {
    await $('[data-testid="nav-history"]').click();
    const page = $('[data-testid="history-page"]');
    await expect(page).toHaveText(expect.stringContaining(DEMO.blackCompany.name));
    await $('[data-testid="history-search"] input').setValue(DEMO.blackCompany.identifier);
    await browser.keys('Enter');
    await expect($$('[data-testid="history-page"] .ant-table-row')).toBeElementsArrayOfSize(1);
    await $('[data-testid="reprint"]').click();
    await expect($('[data-testid="print-preview"]')).toHaveText(expect.stringContaining('申请人已提交法院撤销失信决定'));
    await screenshot('15-history-reprint');
    await $('.ant-modal-close').click();
    await $('[data-testid="history-export"]').click();
    await expect($('.ant-message')).toHaveText(expect.stringContaining('已导出 1 条'));
    await $('[data-testid="history-export-feedback"]').click();
    await expect($('.ant-message')).toHaveText(expect.stringMatching(/已导出 [1-9]\d* 条反馈记录/));
    await screenshot('16-history');
  });

  it('an objection raised from a hit, with a scan attached, waits in the outbox', async () => {
    await $('[data-testid="nav-check"]').click();
    await chooseSubjectType('法人');
    await checkIdentifier(DEMO.blackCompany.identifier);
    const pendingBefore = Number(/待上报：(\d+)/.exec(await $('[data-testid="status-bar"]').getText())?.[1]);
    await clickInView('[data-testid="hits"] [data-testid="raise-objection"]');
    // The dialog zooms in: a click during its animation can land on the mask (seen under load).
    await $('[data-testid="objection-raised-by"]').waitForClickable();
    await $('[data-testid="objection-submit"]').waitForClickable();
    await $('[data-testid="objection-submit"]').click();
    await expect($('.ant-modal')).toHaveText(expect.stringContaining('请填写异议申请人'));
    await $('[data-testid="objection-raised-by"]').setValue('临沂恒通达商贸有限公司（委托代理人）');
    await $('[data-testid="objection-disputes"]').setValue('该笔欠税已于上月缴清，认定依据已消失，请求核实移出');
    await $('[data-testid="objection-contact"]').setValue('0539-0000000');
    await $('button*=添加扫描件').click();
    await $('[data-testid="web-bridge-file-input"]').addValue(SCAN);
    await expect($('.ant-modal')).toHaveText(expect.stringContaining('01-main-screen.png'));
    await screenshot('17-objection-dialog');
    await $('[data-testid="objection-submit"]').click();
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining(`待上报：${pendingBefore + 1} 条`));
  });
});
