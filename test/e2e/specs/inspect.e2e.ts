/**
 * 现场检查 (分类监管): an inspector enrolled with the city platform lists the subjects of his
 * area by supervision class, records an inspection on site with the network down (a photo, a
 * 发起 report of dishonest behaviour), and once the network is back the platform receives the
 * finding with its report.
 */
import { resolve } from 'node:path';
import { $, browser, expect } from '@wdio/globals';
import { DEMO } from '../../../shared/sample/demo';
import { spawnPlatform, type SpawnedPlatform } from '../../platform/spawn';
import { openApp, screenshot, typeOver, unlabelled } from '../support/app';

const PHOTO = resolve(import.meta.dirname, '../../fixtures/inspection-photo.png');
const BEHAVIOUR = '库存商品无进货票据，疑似虚开增值税专用发票';
const EVIDENCE = '现场照片 1 张（仓库货物）；负责人询问笔录';

/** The width of the picture the <img> at `selector` shows once loaded (0 while loading or broken). */
function loadedWidth(selector: string): Promise<number> {
  return browser.execute((sel: string) => {
    const i = document.querySelector<HTMLImageElement>(sel);
    return i?.complete ? i.naturalWidth : 0;
  }, selector);
}

function row(identifier: string) {
  return $(`[data-testid="inspect-subject-table-row"][data-row-id="${identifier}"]`);
}

/** Presses 载入更多 until the subject's row is listed (the list follows the mirror's order). */
async function loadUntilListed(identifier: string): Promise<void> {
  await browser.waitUntil(
    async () => {
      if (await row(identifier).isExisting()) return true;
      const more = $('[data-testid="inspect-more"]');
      if ((await more.isExisting()) && (await more.isEnabled())) await more.click();
      return false;
    },
    { timeout: 60_000, interval: 500, timeoutMsg: `${identifier} was not listed in the area` },
  );
}

describe('现场检查 with the city platform', () => {
  let platform: SpawnedPlatform;

  before(async () => {
    platform = await spawnPlatform({ records: 3000 });
    await openApp();
    await $('[data-testid="nav-sync"]').click();
    await $('[data-testid="sync-url"]').setValue(platform.url);
    await $('[data-testid="sync-code"]').setValue(platform.enrolCode);
    await $('[data-testid="sync-device-name"]').setValue('兰山区市场监管所 检查笔记本 2号');
    await $('[data-testid="sync-enrol"]').click();
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining('市信用平台'), { wait: 120_000 });
  });

  after(async () => {
    await platform?.stop();
  });

  it('lists the subjects of the area with their class and suggested frequency', async () => {
    await $('[data-testid="nav-inspect"]').click();
    await typeOver('[data-testid="inspect-area"] input', '临沂市兰山区');
    await browser.keys('Enter');
    await loadUntilListed(DEMO.blackCompany.identifier);
    await loadUntilListed(DEMO.redCompany.identifier);
    await loadUntilListed(DEMO.expiredCompany.identifier);
    await expect(row(DEMO.blackCompany.identifier).$('[data-testid="supervision-class"]')).toHaveText('重点监管');
    await expect(row(DEMO.blackCompany.identifier)).toHaveText(expect.stringContaining('每季度 1 次'));
    await expect(row(DEMO.redCompany.identifier).$('[data-testid="supervision-class"]')).toHaveText('信用良好');
    await expect(row(DEMO.redCompany.identifier)).toHaveText(expect.stringContaining('每 2 年 1 次'));
    await expect(row(DEMO.expiredCompany.identifier).$('[data-testid="supervision-class"]')).toHaveText('一般');
    // Only the area's subjects: every district shown is 兰山区.
    const districts = await browser.execute(() =>
      Array.from(document.querySelectorAll('[data-testid="inspect-subject-table-row"] td:nth-child(4)'), (td) => td.textContent ?? ''),
    );
    expect(districts.length).toBeGreaterThan(10);
    expect(new Set(districts)).toEqual(new Set(['兰山区']));
    await expect($('[data-testid="inspect-subject-count"]')).toHaveText(expect.stringContaining('登记在“临沂市兰山区”'));
    await browser.execute(() => window.scrollTo(0, 0));
    await screenshot('40-inspect-subjects');
    expect(await unlabelled()).toEqual([]);
  });

  it('looks up a subject on no list by its code: 一般, its name asked for', async () => {
    await typeOver('[data-testid="inspect-code"] input', DEMO.cleanCompany.identifier);
    await browser.keys('Enter');
    const form = $('[data-testid="inspection-form"]');
    await expect(form.$('[data-testid="form-class"]')).toHaveText('一般');
    await expect($('#inspect-name')).toBeDisplayed();
    await browser.keys('Escape');
    await expect(form).not.toBeDisplayed();
  });

  it('records an inspection offline with a photo and a 发起 report; it reaches the platform when the network returns', async () => {
    await platform.admin.setFaults({ drop: 1 }); // on site: no network

    // Keyboard: focus the row and press Enter.
    const target = row(DEMO.blackCompany.identifier);
    await target.scrollIntoView({ block: 'center' });
    await browser.execute((id: string) => {
      document.querySelector<HTMLElement>(`[data-testid="inspect-subject-table-row"][data-row-id="${id}"]`)?.focus();
    }, DEMO.blackCompany.identifier);
    await browser.keys('Enter');
    const form = $('[data-testid="inspection-form"]');
    await expect(form.$('[data-testid="form-class"]')).toHaveText('重点监管');

    // Nothing written yet: the form names what is missing.
    await $('[data-testid="inspection-save"]').click();
    await expect(form).toHaveText(expect.stringContaining('请写明检查情况和发现的问题'));

    await $('#inspect-findings').setValue('仓库消防通道堆放货物；账簿与发票存根不一致');
    await $('[data-testid="inspection-add-file"]').click();
    await $('[data-testid="web-bridge-file-input"]').addValue(PHOTO);
    const thumb = form.$('[data-testid="inspection-files-item"] img');
    await expect(thumb).toBeDisplayed();
    await browser.waitUntil(async () => (await loadedWidth('[data-testid="inspection-form"] [data-testid="inspection-files-item"] img')) === 160, {
      timeoutMsg: 'the photo thumbnail did not load',
    });
    await expect(form).toHaveText(expect.stringContaining('inspection-photo.png'));

    await $('#inspect-initiate').click();
    await $('#inspect-behaviour').setValue(BEHAVIOUR);
    await $('#inspect-evidence').setValue(EVIDENCE);
    await thumb.scrollIntoView({ block: 'center' });
    await screenshot('41-inspect-form-photo');
    expect(await unlabelled()).toEqual([]);

    const pendingBefore = Number(/待上报：(\d+)/.exec(await $('[data-testid="status-bar"]').getText())?.[1] ?? '0');
    await browser.keys(['Control', 'Enter']);
    const detail = $('[data-testid="inspection-detail"]');
    await expect(detail.$('[data-testid="detail-initiate"]')).toHaveText(expect.stringContaining(BEHAVIOUR));
    await expect(detail.$('[data-testid="inspection-sync"]')).toHaveText('待上报');
    const photo = detail.$('[data-testid="detail-files-item"] img');
    await expect(photo).toBeDisplayed();
    await browser.waitUntil(async () => (await loadedWidth('[data-testid="inspection-detail"] [data-testid="detail-files-item"] img')) === 160, {
      timeoutMsg: 'the saved photo did not show',
    });
    await expect($('[data-testid="status-bar"]')).toHaveText(expect.stringContaining(`待上报：${pendingBefore + 1} 条`));
    const id = await detail.$('[data-testid="detail-id"]').getText();
    await $('.ant-message-notice').waitForExist({ reverse: true, timeout: 10_000 });
    await screenshot('42-inspect-detail');

    await browser.keys('Escape');
    await expect($('[data-testid="inspections-row"]')).toHaveText(expect.stringContaining(DEMO.blackCompany.name));

    await platform.admin.setFaults({ drop: 0 }); // back online
    await $('[data-testid="nav-sync"]').click();
    await $('[data-testid="sync-now"]').click();
    await expect($('[data-testid="sync-pending"]')).toHaveText('0 条', { wait: 120_000 });

    const received = await platform.admin.receivedPayload(`finding:${id}`);
    expect(received.kind).toBe('finding');
    if (received.kind !== 'finding') return;
    expect(received.record).toMatchObject({
      identifier: DEMO.blackCompany.identifier,
      subjectName: DEMO.blackCompany.name,
      supervisionClass: '重点监管',
      findings: '仓库消防通道堆放货物；账簿与发票存根不一致',
      attachments: [{ name: 'inspection-photo.png', mime: 'image/png', size: 768 }],
      initiate: { behaviour: BEHAVIOUR, evidence: EVIDENCE },
    });
    expect((await platform.admin.received()).filter((r) => r.kind === 'finding')).toHaveLength(1);

    await $('[data-testid="nav-inspect"]').click();
    await $('div[role="tab"]=我的检查记录').click();
    await expect($('[data-testid="inspections-row"] [data-testid="inspection-sync"]')).toHaveText('已上报');
  });
});
