import { $, browser, expect } from '@wdio/globals';

describe('web bridge (temporary check)', () => {
  it('openFile returns the bytes of a file set on the hidden input under WebDriver', async () => {
    await browser.url('');
    await $('[data-testid="app-title"]').waitForDisplayed({ timeout: 60_000 });
    await browser.execute(() => {
      const w = window as unknown as { clientApi: { openFile(o: unknown): Promise<{ status: string; name?: string; size?: number; bytes?: Uint8Array }> }; __r?: unknown };
      void w.clientApi.openFile({ filters: [{ name: 'CSV', extensions: ['csv'] }] }).then((r) => {
        w.__r = { status: r.status, name: r.name, size: r.size, text: r.bytes ? new TextDecoder().decode(r.bytes) : null };
      });
    });
    const input = $('[data-testid="web-bridge-file-input"]');
    await input.waitForExist();
    expect(await input.getAttribute('accept')).toBe('.csv');
    await input.addValue('/tmp/hechatai-sample.csv');
    await browser.waitUntil(async () => (await browser.execute(() => (window as unknown as { __r?: unknown }).__r)) !== undefined);
    const r = (await browser.execute(() => (window as unknown as { __r?: unknown }).__r)) as { status: string; name: string; text: string };
    expect(r.status).toBe('opened');
    expect(r.name).toBe('hechatai-sample.csv');
    expect(r.text).toContain('统一社会信用代码');
    expect(await $('[data-testid="web-bridge-file-input"]').isExisting()).toBe(false);
  });
});
