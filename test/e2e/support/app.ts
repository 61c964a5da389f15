/** Steps a clerk takes, for the end-to-end specs. Every step waits for what a person would see. */
import { resolve } from 'node:path';
import { browser, $ } from '@wdio/globals';

const SHOTS = resolve(import.meta.dirname, '../../artifacts/screenshots');

export async function openApp(): Promise<void> {
  await browser.url('');
  await $('[data-testid="app-title"]').waitForDisplayed({ timeout: 60_000 });
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
  const input = $('[data-testid="identifier-input"]');
  await input.click();
  await input.clearValue();
  await input.setValue(code);
  await browser.keys('Enter');
  await $('[data-testid="verdict"]').waitForDisplayed();
}

export async function headline(): Promise<string> {
  return (await $('[data-testid="verdict"]').getAttribute('data-headline')) ?? '';
}

/** The whole verdict, however long, as one picture. */
export async function screenshotVerdict(name: string): Promise<void> {
  await $('[data-testid="verdict"]').saveScreenshot(resolve(SHOTS, `${name}.png`));
}
