import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { $, expect } from '@wdio/globals';
import { rowOf } from '../../../shared/import/columns';
import { generateRecords } from '../../../shared/sample/generator';
import { bookBytes, dataBook } from '../../../renderer/import/template-workbook';
import { openApp, screenshot } from '../support/app';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/import');

async function pick(file: string): Promise<void> {
  await $('[data-testid="import-pick"]').click();
  await $('[data-testid="web-bridge-file-input"]').addValue(resolve(FIXTURES, file));
}

/** A list workbook of `n` generated records with ids of their own, written to a temp file. */
function bigList(n: number): string {
  const rows = [...generateRecords({ seed: 11, subjects: Math.ceil(n / 2), records: n, today: '2026-11-21' })].map((r) => rowOf('list', { ...r, id: `E${r.id}` }));
  const file = join(mkdtempSync(join(tmpdir(), 'hechatai-e2e-')), '大名单.xlsx');
  writeFileSync(file, bookBytes(dataBook('list', rows)));
  return file;
}

describe('名单导入 from a spreadsheet', () => {
  before(async () => {
    await openApp();
    await $('[data-testid="nav-import"]').click();
  });

  it('refuses a file with a bad identifier, naming sheet, row, column and field; nothing is imported', async () => {
    await pick('bad-identifier.xlsx');
    await expect($('[data-testid="import-refused"]')).toHaveText(expect.stringContaining('未导入'));
    await expect($('[data-testid="import-errors"]')).toHaveText(expect.stringContaining('统一社会信用代码'));
    await screenshot('25-import-refused');
  });

  it('refuses a zip bomb before unpacking it', async () => {
    await pick('zip-bomb.xlsx');
    await expect($('[data-testid="import-refused"]')).toBeDisplayed();
    await expect($('[data-testid="import-errors"]')).toHaveText(expect.stringContaining('压缩'));
  });

  it('previews a good file with counts, then imports it whole', async () => {
    await pick('good-list.xlsx');
    await expect($('[data-testid="import-preview"]')).toHaveText(expect.stringContaining('检查通过，尚未导入'));
    await screenshot('26-import-preview');
    await $('[data-testid="import-confirm"]').click();
    await expect($('[data-testid="import-done"]')).toHaveText(expect.stringContaining('导入完成'), { wait: 60_000 });
    await screenshot('27-import-done');
  });

  it('a list big enough to make the mirror due for compaction: imported, then reorganised in the background', async () => {
    await $('button=继续导入').click();
    const file = bigList(12_000);
    await $('[data-testid="import-pick"]').click();
    await $('[data-testid="web-bridge-file-input"]').addValue(file);
    await expect($('[data-testid="import-preview-rows"]')).toHaveText('12,000', { wait: 60_000 });
    await $('[data-testid="import-confirm"]').click();
    await expect($('[data-testid="import-done"]')).toHaveText(expect.stringContaining('写入 12,000 条'), { wait: 60_000 });
    // The worker folds the 12,000 delta entries into a new generation after the import: the
    // screen says so while it runs (it may already be over on a fast machine), then that it is done.
    const running = $('[data-testid="import-reorganising"]');
    if (await running.isDisplayed()) {
      await expect(running).toHaveText(expect.stringContaining('后台整理'));
      await screenshot('27b-import-reorganising');
    }
    await expect($('[data-testid="import-reorganised"]')).toBeDisplayed({ wait: 60_000 });
    await screenshot('27c-import-reorganised');
  });
});
