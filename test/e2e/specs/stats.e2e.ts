/**
 * 统计: three checks made at the counter (a black-listed company with one mandatory measure
 * refused with a reason, a red-list company under 容缺受理 and 绿色通道, a company with nothing
 * on record), then the dashboard shows exactly them, by another grouping too, and the 季度报送
 * workbook handed to the browser holds them.
 */
import { $, $$, browser, expect } from '@wdio/globals';
import * as XLSX from 'xlsx';
import { DEMO } from '../../../shared/sample/demo';
import { QUARTERLY_COLUMNS } from '../../../shared/domain/stats';
import { checkIdentifier, chooseMatter, chooseSubjectType, clickInView, decideAll, headline, openApp, screenshotFull } from '../support/app';

const REASON = '申请人已提交法院撤销失信决定的生效文书，报科室负责人同意';

/** What the measures of the two checks were decided as. */
const done = { punished: 0, rewarded: 0, notApplied: 0 };

async function saveAndNext(): Promise<void> {
  await $('[data-testid="save-check"]').click();
  await expect($('[data-testid="saved-alert"]')).toBeDisplayed();
  await browser.keys('Escape');
  await expect($('[data-testid="verdict"]')).not.toBeDisplayed();
}

async function figure(testId: string): Promise<string> {
  return $(`[data-testid="${testId}-value"]`).getText();
}

/**
 * The web bridge hands a saved file to the browser as a blob download: keep each blob (by its
 * object URL) and the name of the link that downloads it, instead of letting it go to disk.
 */
async function captureDownloads(): Promise<void> {
  await browser.execute(() => {
    type Saved = { name: string; blob: Blob };
    const w = window as unknown as { __saved?: Saved[]; __blobs?: Map<string, Blob> };
    if (w.__saved) return;
    w.__saved = [];
    w.__blobs = new Map();
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (obj: Blob | MediaSource) => {
      const url = create(obj);
      if (obj instanceof Blob) w.__blobs?.set(url, obj);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const blob = w.__blobs?.get(this.href);
      if (this.download && blob) {
        w.__saved?.push({ name: this.download, blob });
        return;
      }
      click.call(this);
    };
  });
}

async function savedFile(name: string): Promise<Uint8Array> {
  await browser.waitUntil(
    () => browser.execute((n: string) => ((window as unknown as { __saved?: { name: string }[] }).__saved ?? []).some((s) => s.name === n), name),
    { timeoutMsg: `no file ${name} was saved` },
  );
  const b64 = await browser.executeAsync((n: string, doneCb: (b64: string) => void) => {
    const saved = (window as unknown as { __saved: { name: string; blob: Blob }[] }).__saved;
    const file = saved.filter((s) => s.name === n).at(-1);
    if (!file) return doneCb('');
    void file.blob.arrayBuffer().then((buf) => {
      let bin = '';
      for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b);
      doneCb(btoa(bin));
    });
  }, name);
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

function quarterNow(): { year: number; quarter: number; label: string } {
  const china = new Date(Date.now() + 8 * 3_600_000);
  const year = china.getUTCFullYear();
  const quarter = Math.floor(china.getUTCMonth() / 3) + 1;
  return { year, quarter, label: `${year}年第${quarter}季度` };
}

describe('统计 of the checks made at the counter', () => {
  before(async () => {
    await openApp();
  });

  it('makes three checks: a refused measure with a reason, a red-list 容缺受理 with 绿色通道, a clear one', async () => {
    await chooseMatter('食品经营许可');
    await chooseSubjectType('法人');

    await checkIdentifier(DEMO.blackCompany.identifier);
    expect(await headline()).toBe('black');
    const mandatory = await $$('[data-testid="measure"]').filter(async (m) => (await m.getText()).includes('强制性'));
    const refusedId = (await mandatory[0]!.getAttribute('data-measure-id')) ?? '';
    const blackMeasures = await $$('[data-testid="measure"]').length;
    await decideAll({ [refusedId]: REASON });
    done.punished += blackMeasures - 1;
    done.notApplied += 1;
    await saveAndNext();

    await checkIdentifier(DEMO.redCompany.identifier);
    expect(await headline()).toBe('red');
    const redMeasures = await $$('[data-testid="measure"]').length;
    await decideAll();
    done.rewarded += redMeasures;
    await clickInView('[data-testid="green-channel"]');
    await clickInView('[data-testid="use-fast-track"]');
    await clickInView('[data-testid="missing-materials"] .ant-checkbox-wrapper', 0);
    await saveAndNext();

    await checkIdentifier(DEMO.cleanCompany.identifier);
    expect(await headline()).toBe('clear');
    await saveAndNext();
  });

  it('the dashboard shows the three checks, the hit rate, the measures, the refused reason and the commitment', async () => {
    const pending = Number(/待上报：(\d+)/u.exec(await $('[data-testid="status-bar"]').getText())?.[1]);
    await $('[data-testid="nav-stats"]').click();
    await expect($('[data-testid="stats-tiles"]')).toBeDisplayed();
    expect(await figure('stat-checks')).toBe('3');
    expect(await figure('stat-hit-rate')).toBe('66.7%');
    await expect($('[data-testid="stat-hit-rate"]')).toHaveText(expect.stringContaining('命中 2 次'));
    await expect($('[data-testid="chart-headlines"]')).toHaveText(expect.stringMatching(/命中黑名单\s+1\s+命中重点关注名单\s+0\s+命中红名单\s+1\s+未命中\s+1/u));
    expect(await figure('stat-applied')).toBe(String(done.punished + done.rewarded));
    expect(await figure('stat-not-applied')).toBe(String(done.notApplied));
    expect(await figure('stat-fast-track')).toBe('1');
    expect(await figure('stat-green-channel')).toBe('1');
    expect(await figure('stat-open-commitments')).toBe('1');
    expect(await figure('stat-breached')).toBe('0');
    // Waiting to sync: what the status bar says; at least the 3 checks, their feedback and the
    // commitment (other events, e.g. of the audit trail, may wait beside them).
    expect(pending).toBeGreaterThanOrEqual(3 + done.punished + done.rewarded + done.notApplied + 1);
    expect(await figure('stat-pending-sync')).toBe(String(pending));

    const reasons = await $$('[data-testid="chart-reasons"] [data-testid="stats-reason"]');
    expect(reasons).toHaveLength(1);
    await expect(reasons[0]!).toHaveText(expect.stringContaining(REASON));
    await expect(reasons[0]!).toHaveText(expect.stringContaining('1'));
    await expect($('[data-testid="chart-measures"]')).toHaveText(expect.stringContaining(`已惩戒 ${done.punished}`));

    // Grouped by day (本月), only days with data: today's row holds all three, as does 合计.
    await expect($$('[data-testid="stats-row"]')).toBeElementsArrayOfSize(2);
    const total = $('[data-testid="stats-row"][data-key="__total__"]');
    await expect(total).toHaveText(expect.stringMatching(/^合计\s+3\s+2\s+66\.7%\s+1\s+0\s+1\s/u));
    await screenshotFull('40-stats-dashboard');
  });

  it('switches the grouping to department and clerk, and the period to this quarter', async () => {
    await $('[data-testid="stats-by"]').$('.ant-segmented-item-label=按部门').click();
    const deptRows = await $$('[data-testid="stats-row"]');
    expect(deptRows).toHaveLength(2); // the matter's department, then 合计
    await expect($('[data-testid="stats-table"] thead')).toHaveText(expect.stringContaining('部门'));
    await expect(deptRows[0]!).toHaveText(expect.stringMatching(/\s3\s+2\s+66\.7%/u));

    await $('[data-testid="stats-by"]').$('.ant-segmented-item-label=按经办人').click();
    await expect($('[data-testid="stats-table"] thead')).toHaveText(expect.stringContaining('经办人'));
    await expect($$('[data-testid="stats-row"]')).toBeElementsArrayOfSize(2);

    await $('[data-testid="stats-period"]').$('.ant-segmented-item-label=本季度').click();
    await expect($('[data-testid="stats-range"]')).toHaveText(expect.stringContaining('统计区间'));
    expect(await figure('stat-checks')).toBe('3');
    await $('[data-testid="stats-by"]').$('.ant-segmented-item-label=按月').click();
    await expect($('[data-testid="stats-table"] thead')).toHaveText(expect.stringContaining('月份'));
    // This month, then 合计; with empty rows shown, every month of the quarter.
    await expect($$('[data-testid="stats-row"]')).toBeElementsArrayOfSize(2);
    await $('[data-testid="stats-only-active"]').click();
    await expect($$('[data-testid="stats-row"]')).toBeElementsArrayOfSize(4);
    await screenshotFull('41-stats-quarter-by-month');
  });

  it('exports the 季度报送 with the documented columns and the three checks in it', async () => {
    await captureDownloads();
    const q = quarterNow();
    await $('[data-testid="stats-export-quarterly"]').click();
    await expect($('.ant-message')).toHaveText(expect.stringContaining('已导出季度报送'));
    const book = XLSX.read(await savedFile(`季度报送-${q.label}.xlsx`), { type: 'array' });
    expect(book.SheetNames).toEqual(['季度报送', '填报说明']);
    const rows = XLSX.utils.sheet_to_json<(string | number)[]>(book.Sheets['季度报送']!, { header: 1 });
    expect(rows[0]).toEqual(QUARTERLY_COLUMNS.map((c) => c.header));
    const total = rows.at(-1)!;
    const col = (key: (typeof QUARTERLY_COLUMNS)[number]['key']) => total[QUARTERLY_COLUMNS.findIndex((c) => c.key === key)];
    expect(col('period')).toBe(q.label);
    expect(col('department')).toBe('合计');
    expect(col('checks')).toBe(3);
    expect(col('blackHits')).toBe(1);
    expect(col('watchHits')).toBe(0);
    expect(col('redHits')).toBe(1);
    expect(col('punished')).toBe(done.punished);
    expect(col('rewarded')).toBe(done.rewarded);
    expect(col('notApplied')).toBe(done.notApplied);
    expect(col('fastTrack')).toBe(1);
    expect(col('greenChannel')).toBe(1);
    expect(col('breached')).toBe(0);
    // Aggregates only: none of the subjects' codes is in the workbook.
    const text = book.SheetNames.map((n) => XLSX.utils.sheet_to_csv(book.Sheets[n]!)).join('\n');
    for (const s of [DEMO.blackCompany, DEMO.redCompany, DEMO.cleanCompany]) expect(text).not.toContain(s.identifier);

    await $('[data-testid="stats-export"]').click();
    await browser.waitUntil(
      () => browser.execute(() => ((window as unknown as { __saved?: { name: string }[] }).__saved ?? []).some((s) => s.name.startsWith('统计表-'))),
      { timeoutMsg: 'the 统计表 was not saved' },
    );
  });
});
