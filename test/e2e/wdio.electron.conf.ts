/**
 * End-to-end tests of the real Electron app (main, preload, app:// protocol, sandboxed
 * renderer), with the same specs as wdio.browser.conf.ts. Needs the Electron binary, so it
 * runs on a developer's machine or a CI runner that has it, not where the binary cannot be
 * downloaded:
 *
 *   npm run test:e2e:electron      (= npm run build && wdio run test/e2e/wdio.electron.conf.ts)
 *
 * wdio-electron-service starts node_modules/.bin/electron with `--app=out/main/index.js` and
 * a Chromedriver matching Electron's Chromium (downloaded on first use). The unpackaged app
 * is used on purpose: a packaged build has the nodeCliInspect fuse off, which the service's
 * `browser.electron` API (mocking dialogs, running code in main) needs. On Linux without a
 * display, WebdriverIO 9.19+ starts Xvfb by itself (autoXvfb).
 */
/// <reference types="wdio-electron-service" />
// (types only: the 'wdio:electronServiceOptions' capability; the service itself is loaded by name)
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const ARTIFACTS = resolve(root, 'test/artifacts');

export const config: WebdriverIO.Config = {
  runner: 'local',
  rootDir: root,
  specs: ['./specs/**/*.e2e.ts'],
  // One app at a time: the single-instance lock and one IndexedDB profile per user.
  maxInstances: 1,
  // Specs call browser.url(''); in Electron that reloads our own page.
  baseUrl: 'app://hechatai/index.html',
  services: ['electron'],
  capabilities: [
    {
      browserName: 'electron',
      'wdio:electronServiceOptions': {
        appEntryPoint: resolve(root, 'out/main/index.js'),
        // CI containers lack user namespaces for Chromium's OS sandbox. The renderer's
        // `sandbox: true` (no Node in the preload, no require) still applies.
        appArgs: ['--no-sandbox', '--lang=zh-CN'],
      },
    },
  ],
  logLevel: 'warn',
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { ui: 'bdd', timeout: 120_000 },
  waitforTimeout: 20_000,
  onPrepare() {
    mkdirSync(resolve(ARTIFACTS, 'screenshots'), { recursive: true });
  },
};
