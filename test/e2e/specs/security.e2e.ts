import { $, browser, expect } from '@wdio/globals';
import { openApp, screenshot } from '../support/app';

describe('the page is kept in its sandbox', () => {
  before(async () => {
    await openApp();
  });

  it('a link to an outside page does not navigate the window', async () => {
    const before = await browser.getUrl();
    await browser.execute(() => {
      const a = document.createElement('a');
      a.href = 'https://example.org/phishing';
      a.textContent = '外部链接';
      a.id = 'planted-link';
      document.body.prepend(a);
    });
    await $('#planted-link').click();
    await browser.pause(500);
    expect(await browser.getUrl()).toBe(before);
    await expect($('[data-testid="app-title"]')).toBeDisplayed();
    await screenshot('03-after-outside-link');
  });

  it('the page cannot reach Node or the raw IPC', async () => {
    const reach = await browser.execute(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        ipcRenderer: typeof w.ipcRenderer,
        electron: typeof w.electron,
        bridgeKeys: Object.keys((w.clientApi as object | undefined) ?? {}).sort(),
      };
    });
    expect(reach.require).toBe('undefined');
    expect(reach.process).toBe('undefined');
    expect(reach.module).toBe('undefined');
    expect(reach.ipcRenderer).toBe('undefined');
    expect(reach.electron).toBe('undefined');
    // The bridge offers named functions only: none of them is a way to send on any channel.
    expect(reach.bridgeKeys).not.toContain('send');
    expect(reach.bridgeKeys).not.toContain('invoke');
    expect(reach.bridgeKeys).not.toContain('ipcRenderer');
    expect(reach.bridgeKeys.length).toBeGreaterThan(0);
  });
});
