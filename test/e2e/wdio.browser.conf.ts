/**
 * End-to-end tests of the production renderer build (dist-web, the browser variant with the
 * in-page bridge) in Debian Chromium driven by chromedriver. The same specs run against the
 * real Electron app with wdio.electron.conf.ts where the Electron binary exists.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PreviewServer } from 'vite';
import { preview } from 'vite';

const root = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = resolve(root, 'test/artifacts');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const CHROMEDRIVER = process.env.CHROMEDRIVER_BIN ?? '/usr/bin/chromedriver';
const PORT = 5175;

let server: PreviewServer | undefined;
/** Each spec's Chromium profile, removed after it (chromedriver's own were left in /tmp). */
let profileDir: string | undefined;

export const config: WebdriverIO.Config = {
  runner: 'local',
  specs: ['./specs/**/*.e2e.ts'],
  maxInstances: 1,
  baseUrl: `http://127.0.0.1:${PORT}/web.html`,
  capabilities: [
    {
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: CHROMIUM,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--window-size=1366,900',
          '--lang=zh-CN',
          // This machine's network is closed: stop Chromium's own background traffic.
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      },
      'wdio:chromedriverOptions': { binary: CHROMEDRIVER },
    },
  ],
  logLevel: 'warn',
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { ui: 'bdd', timeout: 120_000 },
  waitforTimeout: 20_000,
  async onPrepare() {
    mkdirSync(resolve(ARTIFACTS, 'screenshots'), { recursive: true });
    server = await preview({
      configFile: resolve(root, 'vite.web.config.ts'),
      preview: { port: PORT, strictPort: true, host: '127.0.0.1' },
    });
  },
  beforeSession(_config, capabilities) {
    profileDir = mkdtempSync(join(tmpdir(), 'hechatai-e2e-profile-'));
    const chrome = (capabilities as WebdriverIO.Capabilities)['goog:chromeOptions'];
    if (chrome) chrome.args = [...(chrome.args ?? []), `--user-data-dir=${profileDir}`];
  },
  afterSession() {
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  },
  async onComplete() {
    await server?.close();
  },
};
