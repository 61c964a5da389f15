/**
 * Readable for every clerk: text contrast of at least 4.5:1 (WCAG AA), checked by axe-core on
 * the screens a clerk uses most, at the 1366×768 hall-terminal size.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { $, browser, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { checkIdentifier, chooseMatter, openApp, screenshot, typeOver } from '../support/app';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function contrastViolations(): Promise<Violation[]> {
  await browser.execute(axeSource);
  return browser.executeAsync((done: (v: Violation[]) => void) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    void axe
      .run(document, { runOnly: { type: 'rule', values: ['color-contrast'] } })
      .then((r) => done(r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }))));
  });
}

describe('contrast and size', () => {
  before(async () => {
    await browser.setWindowSize(1366, 768);
    await openApp();
  });

  it('the counter with a verdict has no text below 4.5:1', async () => {
    await chooseMatter('食品经营许可');
    await checkIdentifier(DEMO.blackCompany.identifier);
    const v = await contrastViolations();
    expect(v.flatMap((x) => x.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`))).toEqual([]);
    await screenshot('24-counter-1366x768');
  });

  it('the lists and the measure list have no text below 4.5:1', async () => {
    await $('[data-testid="nav-lists"]').click();
    await $('[data-testid="lists-row"]').waitForDisplayed();
    expect((await contrastViolations()).flatMap((x) => x.nodes.map((n) => n.target.join(' ')))).toEqual([]);
    await $('[data-testid="nav-measures"]').click();
    await expect($('[data-testid="measures-page"]')).toBeDisplayed();
    expect((await contrastViolations()).flatMap((x) => x.nodes.map((n) => n.target.join(' ')))).toEqual([]);
  });

  it('the statistics screen, with its charts and table, has no text below 4.5:1', async () => {
    await $('[data-testid="nav-stats"]').click();
    await $('[data-testid="stats-tiles"]').waitForDisplayed();
    // The counter check above was not saved: the figures are zeros, the layout is the same.
    expect((await contrastViolations()).flatMap((x) => x.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`))).toEqual([]);
    await screenshot('42-stats-1366x768');
  });

  it('现场检查: the subject list and the inspection form have no text below 4.5:1', async () => {
    await $('[data-testid="nav-inspect"]').click();
    await typeOver('[data-testid="inspect-area"] input', '兰山区');
    await browser.keys('Enter');
    await $('[data-testid="inspect-subject-table-row"]').waitForDisplayed();
    expect((await contrastViolations()).flatMap((x) => x.nodes.map((n) => n.target.join(' ')))).toEqual([]);
    await $('[data-testid="inspect-subject"]').click();
    await $('[data-testid="inspection-form"]').waitForDisplayed();
    await $('#inspect-initiate').click();
    await $('#inspect-behaviour').waitForDisplayed();
    expect((await contrastViolations()).flatMap((x) => x.nodes.map((n) => n.target.join(' ')))).toEqual([]);
    await screenshot('43-inspect-form-1366x768');
    await browser.keys('Escape');
  });
});
