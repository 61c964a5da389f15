import { resolve } from 'node:path';
import { $, expect } from '@wdio/globals';
import { openApp, screenshot } from '../support/app';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/import');

async function pick(file: string): Promise<void> {
  await $('[data-testid="import-pick"]').click();
  await $('[data-testid="web-bridge-file-input"]').addValue(resolve(FIXTURES, file));
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
});
