/** Steps a clerk takes, for the end-to-end specs. Every step waits for what a person would see. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { browser, $, $$ } from '@wdio/globals';

const SHOTS = resolve(import.meta.dirname, '../../artifacts/screenshots');

/** The administrator every spec's fresh profile sets up at first start. */
export const ADMIN = { name: '王管理', login: 'admin', department: '市发展改革委', secret: 'Admin2026' } as const;

/**
 * Opens the app and gets past the gate: a fresh browser profile sets up the administrator
 * (first run); later loads sign in. Pass another account to sign in as that clerk.
 */
export async function openApp(account: { login: string; secret: string } = ADMIN): Promise<void> {
  await browser.url('');
  await signInIfAsked(account);
}

/** After a reload: the first-run or sign-in screen, whichever shows, then the main window. */
export async function signInIfAsked(account: { login: string; secret: string } = ADMIN): Promise<void> {
  const firstRun = $('[data-testid="first-run"]');
  const signIn = $('[data-testid="sign-in"]');
  const title = $('[data-testid="app-title"]');
  await browser.waitUntil(async () => (await firstRun.isExisting()) || (await signIn.isExisting()) || (await title.isExisting()), {
    timeout: 60_000,
    timeoutMsg: 'neither the sign-in screen nor the app appeared',
  });
  if (await firstRun.isExisting()) {
    await $('[data-testid="first-run-name"]').setValue(ADMIN.name);
    await typeOver('[data-testid="first-run-login"]', ADMIN.login);
    await $('[data-testid="first-run-department"]').setValue(ADMIN.department);
    await $('[data-testid="first-run-secret"]').setValue(ADMIN.secret);
    await $('[data-testid="first-run-again"]').setValue(ADMIN.secret);
    await $('[data-testid="first-run-submit"]').click();
    if (account.login !== ADMIN.login) {
      await title.waitForDisplayed({ timeout: 30_000 });
      return;
    }
  } else if (await signIn.isExisting()) {
    await signInAs(account);
  }
  await title.waitForDisplayed({ timeout: 30_000 });
}

/** Fills the sign-in (or lock) screen and submits it. */
export async function signInAs(account: { login: string; secret: string }): Promise<void> {
  const login = $('[data-testid="sign-in-login"]');
  if (await login.isEnabled()) await typeOver('[data-testid="sign-in-login"]', account.login);
  await $('[data-testid="sign-in-secret"]').setValue(account.secret);
  await browser.keys('Enter');
}

export async function screenshot(name: string): Promise<void> {
  await browser.saveScreenshot(resolve(SHOTS, `${name}.png`));
}

export async function chooseMatter(search: string): Promise<void> {
  const select = $('[data-testid="matter-select"]');
  await select.click();
  const input = select.$('input');
  await input.setValue(search);
  await $('.ant-select-item-option-active').waitForDisplayed();
  await browser.keys('Enter');
}

export async function chooseSubjectType(type: string): Promise<void> {
  await $(`[data-testid="subject-type"] [title="${type}"]`).click();
}

export async function checkIdentifier(code: string): Promise<void> {
  await typeOver('[data-testid="identifier-input"]', code);
  const before = await $('[data-testid="verdict"]').getAttribute('data-at').catch(() => null);
  await browser.keys('Enter');
  // Wait for the verdict of THIS check, not the one still on screen from the last applicant.
  await browser.waitUntil(async () => {
    const v = $('[data-testid="verdict"]');
    if (!(await v.isExisting())) return false;
    return (await v.getAttribute('data-at')) !== before;
  }, { timeoutMsg: `no verdict appeared for ${code}` });
}

export async function headline(): Promise<string> {
  return (await $('[data-testid="verdict"]').getAttribute('data-headline')) ?? '';
}

/** The whole page, however long, as one picture: the window grows to fit, then shrinks back. */
export async function screenshotFull(name: string): Promise<void> {
  const { width, height } = await browser.getWindowSize();
  const full = await browser.execute(() => document.documentElement.scrollHeight);
  await browser.setWindowSize(width, Math.min(Math.max(height, full + 140), 6000));
  await browser.saveScreenshot(resolve(SHOTS, `${name}.png`));
  await browser.setWindowSize(width, height);
}

/** Decides every suggested measure: 执行 for all, except the given ids, which get 不执行. */
export async function decideAll(skip: Record<string, string | null> = {}): Promise<void> {
  const rows = await $$('[data-testid="measure"]');
  for (const row of rows) {
    const id = (await row.getAttribute('data-measure-id')) ?? '';
    // The save bar stays pinned to the bottom of the window: bring the row to the middle first.
    await row.scrollIntoView({ block: 'center' });
    const options = await row.$$('.ant-radio-wrapper');
    if (id in skip) {
      await options[1]!.click();
      const reason = skip[id];
      if (reason) await row.$('[data-testid="decision-reason"]').setValue(reason);
    } else {
      await options[0]!.click();
    }
  }
}

/** Clicks as a person would after scrolling the control to the middle (the save bar stays pinned). */
export async function clickInView(selector: string, index = 0): Promise<void> {
  const el = (await $$(selector))[index];
  if (!el) throw new Error(`no element ${selector}[${index}]`);
  await el.scrollIntoView({ block: 'center' });
  await el.click();
}

/** Selects all and types over, as a clerk does (a React-controlled input ignores clearValue). */
export async function typeOver(selector: string, text: string): Promise<void> {
  const input = $(selector);
  await input.click();
  await browser.keys(['Control', 'a']);
  await browser.keys('Backspace');
  await input.addValue(text);
  await browser.waitUntil(async () => (await input.getValue()) === text, { timeoutMsg: `${selector} did not take “${text}”` });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Fields without a label, buttons without a name, images without alt text: axe's rules for them. */
export async function unlabelled(): Promise<string[]> {
  await browser.execute(axeSource);
  return browser.executeAsync((done: (v: string[]) => void) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    void axe
      .run(document, { runOnly: { type: 'rule', values: ['label', 'button-name', 'image-alt', 'aria-input-field-name', 'select-name'] } })
      .then((r) => done(r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))));
  });
}
