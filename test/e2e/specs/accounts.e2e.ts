/**
 * Accounts as a hall uses them: the administrator set up at first start opens an account for a
 * window clerk; the clerk signs in, sees only the counter's screens, locks the screen and
 * unlocks it with the PIN (the half-typed check still there); the idle lock; and the
 * administrator verifies the audit trail that recorded all of it.
 */
import { $, $$, browser, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { ADMIN, screenshot, screenshotFull, signInAs, signInIfAsked, typeOver, unlabelled } from '../support/app';

/** Opens the 红黑名单 detail of the black-listed company (its legal representative is a person). */
async function openBlackCompanyDetail(): Promise<void> {
  await $('[data-testid="nav-lists"]').click();
  await $('[data-testid="lists-row"]').waitForDisplayed();
  await typeOver('[data-testid="lists-search"] input', DEMO.blackCompany.identifier);
  await browser.keys('Enter');
  await expect($('[data-testid="lists-count"]')).toHaveText(expect.stringContaining('按代码查得'));
  await $('[data-testid="lists-row"]').click();
  await $('[data-testid="list-detail"]').waitForDisplayed();
}

async function closeDetail(): Promise<void> {
  // Esc, as a clerk would: a toast at the top of the window can sit over the drawer's close button.
  await browser.keys('Escape');
  await $('[data-testid="list-detail"]').waitForDisplayed({ reverse: true });
}

const CLERK = { name: '李窗口', login: 'lichuang', secret: '240817' } as const;
const APPLICANT = '91371302MD0B1A0190';

describe('accounts, sign-in and the lock', () => {
  it('asks for the administrator at first start', async () => {
    await browser.url('');
    await $('[data-testid="first-run"]').waitForDisplayed({ timeout: 60_000 });
    await screenshot('accounts-first-run');
    expect(await unlabelled()).toEqual([]);
    await signInIfAsked();
    await expect($('[data-testid="app-user"]')).toHaveText(expect.stringContaining(`${ADMIN.name}（管理员）`));
  });

  it('lets the administrator open an account for a window clerk', async () => {
    await $('[data-testid="nav-accounts"]').click();
    await $('[data-testid="account-new"]').click();
    await $('[data-testid="account-name"]').setValue(CLERK.name);
    await $('[data-testid="account-login"]').setValue(CLERK.login);
    await typeOver('[data-testid="account-department"]', '市市场监督管理局');
    await $('[data-testid="account-secret"]').setValue('123456');
    await $('#account-create').click();
    // A trivial PIN is refused with the reason.
    await expect($('[data-testid="account-error"]')).toHaveText(expect.stringContaining('PIN 不能是相同或连续的数字'));
    await typeOver('[data-testid="account-secret"]', CLERK.secret);
    await $('#account-create').click();
    await $('[data-testid="account-name"]').waitForExist({ reverse: true });
    await expect($('[data-testid="accounts-table"]')).toHaveText(expect.stringContaining(CLERK.login));
    await screenshot('accounts-list');
  });

  it('signs the clerk in with the PIN and shows only what a window clerk may use', async () => {
    await $('[data-testid="sign-out"]').click();
    await $('[data-testid="sign-in"]').waitForDisplayed();
    await signInAs({ login: CLERK.login, secret: '000000' });
    await expect($('[data-testid="gate-error"]')).toHaveText(expect.stringContaining('登录名或密码不正确'));
    await screenshot('accounts-sign-in-refused');
    await signInAs(CLERK);
    await $('[data-testid="app-title"]').waitForDisplayed();
    await expect($('[data-testid="app-user"]')).toHaveText(expect.stringContaining(`${CLERK.name}（窗口人员）`));
    const menu = await $$('[data-testid^="nav-"]').map((el) => el.getAttribute('data-testid'));
    expect(menu).toContain('nav-check');
    expect(menu).not.toContain('nav-import');
    expect(menu).not.toContain('nav-accounts');
    expect(menu).not.toContain('nav-inspect');
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining(`经办人：${CLERK.name}`));
  });

  it('shows the clerk ID numbers shielded, with no way to unmask them or export them in full', async () => {
    await openBlackCompanyDetail();
    const repId = DEMO.blackCompany.legalRep!.idNumber;
    await expect($('[data-testid="list-detail"]')).not.toHaveText(expect.stringContaining(repId));
    await expect($('[data-testid="shielded-identifier"]')).toHaveText(`${repId.slice(0, 6)}********${repId.slice(-4)}`);
    await expect($('[data-testid="reveal-identifier"]')).not.toExist();
    await closeDetail();
    await expect($('[data-testid="export-unmasked"]')).not.toExist();
    await $('[data-testid="nav-check"]').click();
  });

  it('locks on request, keeps the half-typed check, and unlocks only with the PIN', async () => {
    await typeOver('[data-testid="identifier-input"]', APPLICANT);
    await browser.keys(['Control', 'Shift', 'l']);
    await $('[data-testid="lock-screen"]').waitForDisplayed();
    await expect($('[data-testid="sign-in-login"]')).toHaveValue(CLERK.login);
    await expect($('[data-testid="sign-in-login"]')).toBeDisabled();
    await screenshot('accounts-locked');
    expect(await unlabelled()).toEqual([]);
    await signInAs({ login: CLERK.login, secret: '999999' });
    await expect($('[data-testid="gate-error"]')).toHaveText(expect.stringContaining('登录名或密码不正确'));
    await signInAs(CLERK);
    await $('[data-testid="lock-screen"]').waitForExist({ reverse: true });
    await expect($('[data-testid="identifier-input"]')).toHaveValue(APPLICANT);
  });

  it('locks by itself after ten idle minutes', async () => {
    const clock = await browser.emulate('clock', { now: Date.now(), shouldAdvanceTime: true });
    await browser.refresh();
    await signInIfAsked(CLERK);
    await typeOver('[data-testid="identifier-input"]', APPLICANT);
    await clock.tick(11 * 60_000);
    await $('[data-testid="lock-screen"]').waitForDisplayed({ timeout: 15_000 });
    await expect($('[data-testid="identifier-input"]')).toHaveValue(APPLICANT);
    await $('[data-testid="switch-user"]').click();
    await $('[data-testid="sign-in"]').waitForDisplayed();
    await clock.restore();
  });

  it('shows the administrator an audit trail that verifies', async () => {
    await signInAs(ADMIN);
    await $('[data-testid="app-title"]').waitForDisplayed();
    await $('[data-testid="nav-accounts"]').click();
    await $('.ant-tabs-tab=审计日志').click();
    await $('[data-testid="audit-verify"]').click();
    await expect($('[data-testid="audit-verdict"]')).toHaveText(expect.stringContaining('审计日志完整'));
    const table = await $('[data-testid="audit-table"]').getText();
    for (const label of ['新建账号', '登录', '登录失败', '锁定', '退出登录']) expect(table).toContain(label);
    // One idle spell, one lock, however far the clock jumped.
    expect(table.split('无操作自动锁定：是').length - 1).toBe(1);
    await screenshotFull('accounts-audit');
  });

  it('lets the administrator unmask an ID number, and audits it', async () => {
    await openBlackCompanyDetail();
    await $('[data-testid="reveal-identifier"]').click();
    await expect($('[data-testid="revealed-identifier"]')).toHaveText(DEMO.blackCompany.legalRep!.idNumber);
    await screenshot('accounts-unmasked');
    await closeDetail();
    await $('[data-testid="nav-accounts"]').click();
    await $('.ant-tabs-tab=审计日志').click();
    await expect($('[data-testid="audit-table"] tbody tr')).toHaveText(expect.stringContaining('查看未脱敏信息'));
  });
});
