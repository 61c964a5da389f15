#!/usr/bin/env node
/**
 * `npm run bench [-- --records 1000000 --baseline 100000 …]`: the mirror benchmark in headless
 * Chromium. Builds the bench page (test/bench/page) with Vite, serves it, opens it through
 * WebdriverIO + chromedriver, lets the page run the whole benchmark (the synthetic generator
 * streams inside the page, so no record ever sits in Node), and prints the page's result as ONE
 * JSON object on stdout. Progress goes to stderr.
 *
 * Options (all optional, passed to the page as query parameters):
 *   --records N      mirror size (default 1000000)
 *   --baseline N     size of the one-row-per-entry Dexie baseline (default 100000; 0 = skip)
 *   --lookups N      identifier look-ups to time (default 2000)
 *   --searches N     name searches to time (default 300)
 *   --seed N         generator seed (default 20261121)
 *   --genonly 0|1    also time the generator alone (default 1)
 *   --settle S       idle seconds between the load and the timed queries (default 0)
 *   --worker N       also load N records inside the Web Worker (default 0 = skip)
 *   --import N       list rows imported from an xlsx made in the page (default 100000; 0 = skip)
 *   --import-base N  records already in the mirror that import goes into (default 1000000)
 *   --export N       check records and list rows exported to xlsx, each (default 100000; 0 = skip)
 *   --tuning JSON    experiments: override the store's tuning, e.g. '{"pageRecords":64}'
 *   --cpu-profile F  write a V8 CPU profile of the page's whole run to F (.cpuprofile), and of
 *                    each Web Worker the pages start to F.worker-N-<script>.cpuprofile (the sync
 *                    worker's is taken before the sync part's teardown)
 *   --page NAME      another page under test/bench/page (default "bench"); "sync" = --only sync
 *   --sync-records N sync figures (scripts/bench-sync-page.mjs): first load of N records from the
 *                    reference platform in its own process (default 1000000; 0 = skip the sync part)
 *   --sync-changes N changes pulled in the delta (default 10000)
 *   --sync-push N    outbox records pushed (default 10000)
 *   --sync-verify 0|1 compare the mirror with the platform after the delta (default 1)
 *   --only sync      run only the sync part (no mirror benchmark page)
 * Environment: CHROMIUM_BIN, CHROMEDRIVER_BIN.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, preview } from 'vite';
import { remote } from 'webdriverio';
import { runSyncBench } from './bench-sync-page.mjs';
import { cpuBetween, cpuSnapshot } from './proc-cpu.mjs';

const root = resolve(import.meta.dirname, '..');
const pageDir = resolve(root, 'test/bench/page');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const CHROMEDRIVER = process.env.CHROMEDRIVER_BIN ?? '/usr/bin/chromedriver';

const { values } = parseArgs({
  options: {
    records: { type: 'string' },
    baseline: { type: 'string' },
    lookups: { type: 'string' },
    searches: { type: 'string' },
    seed: { type: 'string' },
    genonly: { type: 'string' },
    settle: { type: 'string' },
    worker: { type: 'string' },
    import: { type: 'string' },
    'import-base': { type: 'string' },
    export: { type: 'string' },
    tuning: { type: 'string' },
    'cpu-profile': { type: 'string' },
    trace: { type: 'string' },
    'lookup-gap': { type: 'string' },
    page: { type: 'string', default: 'bench' },
    'sync-records': { type: 'string', default: '1000000' },
    'sync-changes': { type: 'string', default: '10000' },
    'sync-push': { type: 'string', default: '10000' },
    'sync-verify': { type: 'string', default: '1' },
    only: { type: 'string' },
    'keep-build': { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const log = (...a) => console.error('[bench]', ...a);
const round2 = (x) => Math.round(x * 100) / 100;
const loadStart = loadavg()[0];

if (values.only !== undefined && values.only !== 'sync') throw new Error(`--only takes "sync" (got ${values.only})`);
// The sync part runs after the mirror page (bench) or alone (--only sync, --page sync).
const syncOnly = values.only === 'sync' || values.page === 'sync';
const syncRecords = Number(values['sync-records']);
const runSync = syncOnly || (values.page === 'bench' && syncRecords > 0);

const pages = readdirSync(pageDir).filter((f) => f.endsWith('.html'));
if (!pages.includes(`${values.page}.html`)) {
  throw new Error(`no page test/bench/page/${values.page}.html (have: ${pages.join(', ')})`);
}

const outDir = mkdtempSync(join(tmpdir(), 'hechatai-bench-'));
log('building', `${values.page}.html`, '→', outDir);
await build({
  configFile: false,
  root: pageDir,
  base: './',
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    // The benchmark measures our code, not a debugger: but keep names readable in profiles.
    minify: false,
    rolldownOptions: { input: Object.fromEntries(pages.map((p) => [p.replace(/\.html$/, ''), resolve(pageDir, p)])) },
  },
});

const server = await preview({
  configFile: false,
  root: pageDir,
  logLevel: 'warn',
  build: { outDir },
  // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
  preview: {
    port: 0,
    host: '127.0.0.1',
    strictPort: false,
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
});
const address = server.httpServer.address();
const port = typeof address === 'object' && address ? address.port : 0;

const query = new URLSearchParams();
for (const k of ['records', 'baseline', 'lookups', 'searches', 'seed', 'genonly', 'settle', 'worker', 'tuning']) {
  if (values[k] !== undefined) query.set(k, values[k]);
}
for (const [k, param] of [['import', 'import'], ['import-base', 'importbase'], ['export', 'export']]) {
  if (values[k] !== undefined) query.set(param, values[k]);
}
if (values.trace) query.set('trace', '1');
if (values['lookup-gap'] !== undefined) query.set('gap', values['lookup-gap']);
const url = `http://127.0.0.1:${port}/${values.page}.html?${query}`;

/**
 * Two figures that tell one machine from another, so runs on different machines can be told
 * apart: what it costs the browser to touch fresh memory (a page fault per 4 KiB page: cheap on
 * bare metal, costly on some virtual machines, and the mirror's load allocates and frees
 * hundreds of MB), and a plain JS loop. Taken in the browser and in Node, before the runs.
 */
async function machineProbe(browser) {
  const inBrowser = await browser.execute(probeBody);
  return { browserProbe: inBrowser, nodeProbe: probeBody() };
}
function probeBody() {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const PAGE = 4096;
  const touch = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    const b = new Uint8Array(128 * 1024 * 1024);
    for (let i = 0; i < b.length; i += PAGE) b[i] = 1;
    touch.push(((performance.now() - t) * 1000) / (b.length / PAGE));
  }
  const loops = [];
  let s = 0;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    for (let i = 0; i < 1e8; i++) s = (s + Math.imul(i, 2654435761)) | 0;
    loops.push(performance.now() - t);
  }
  return {
    firstTouchMicrosPer4KiB: Math.round(median(touch) * 100) / 100,
    jsLoop1e8Ms: Math.round(median(loops)),
    checksum: s,
  };
}

/**
 * --trace F: a Chromium trace (JSON, chrome://tracing or ui.perfetto.dev) of the timed
 * look-ups: V8's and Blink's garbage collectors, IndexedDB on both sides, the threads' tasks. The
 * page waits for it to start (its `traceStarted`); it stops when the look-ups are logged.
 */
async function traceTimedLookups(browser, fresh, tracing) {
  if (!tracing && fresh.some((l) => l.includes('waiting for the trace to start'))) {
    const [page] = await (await browser.getPuppeteer()).pages();
    await page.tracing.start({
      path: values.trace,
      categories: ['v8', 'v8.gc', 'disabled-by-default-v8.gc', 'blink.gc', 'IndexedDB', 'toplevel', 'devtools.timeline'],
    });
    await browser.execute(() => {
      /** @type {any} */ (globalThis).__bench.traceStarted = true;
    });
    log('trace started');
    return page;
  }
  if (tracing && fresh.some((l) => l.includes('look-ups p99'))) {
    await tracing.tracing.stop();
    log('trace written to', values.trace);
    return undefined;
  }
  return tracing;
}

let browser;
let exitCode = 0;
// A profile directory of our own, removed at the end: chromedriver's own temporary profiles
// were left behind by every run (~145 MB each after a load of 1,000,000).
const profileDir = mkdtempSync(join(tmpdir(), 'hechatai-bench-profile-'));
try {
  log('starting Chromium');
  browser = await remote({
    logLevel: 'warn',
    capabilities: {
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: CHROMIUM,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
          `--user-data-dir=${profileDir}`,
          // performance.memory in exact bytes rather than bucketed values; gc() to measure
          // what stays allocated after the load.
          '--enable-precise-memory-info',
          '--js-flags=--expose-gc',
        ],
      },
      'wdio:chromedriverOptions': { binary: CHROMEDRIVER },
    },
  });
  let profiler;
  /** Each Web Worker the page starts (the sync worker above all), profiled from its start. */
  const workerProfilers = [];
  if (values['cpu-profile']) {
    const puppeteer = await browser.getPuppeteer();
    const [page] = await puppeteer.pages();
    profiler = await page.createCDPSession();
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
    await profiler.send('Profiler.start');
    page.on('workercreated', (worker) => {
      const session = worker.client;
      const started = (async () => {
        await session.send('Profiler.enable');
        await session.send('Profiler.setSamplingInterval', { interval: 500 });
        await session.send('Profiler.start');
      })().catch((e) => log('worker profiler not started:', String(e)));
      workerProfilers.push({ url: worker.url(), session, started });
    });
  }
  /** Writes the workers' profiles beside the page's: F.worker-N-<name>.cpuprofile. */
  const writeWorkerProfiles = async () => {
    for (const [i, w] of workerProfilers.entries()) {
      await w.started;
      const file = `${values['cpu-profile'].replace(/\.cpuprofile$/, '')}.worker-${i + 1}-${w.url.split('/').pop()?.split('?')[0] ?? 'worker'}.cpuprofile`;
      try {
        const { profile } = await w.session.send('Profiler.stop');
        writeFileSync(file, JSON.stringify(profile));
        log('worker CPU profile written to', file);
      } catch (e) {
        log('worker profile of', w.url, 'lost (worker ended first?):', String(e));
      }
    }
  };
  log('timing the machine (first touch of fresh memory, a plain JS loop)');
  const probe = await machineProbe(browser);
  let result = {};
  if (!syncOnly) {
    log('open', url);
    await browser.url(url);

    let shown = 0;
    /** With --trace: the page whose Chromium trace runs over the timed look-ups. */
    let tracing;
    // CPU time of the browser's processes over the mirror's ingest, between the polls that see
    // its first and its last log line (so the window is up to one poll late at both ends).
    let ingestFrom = null;
    let ingestCpu = null;
    for (;;) {
      const state = await browser.execute(() => {
        const b = /** @type {any} */ (globalThis).__bench;
        return b ? { status: b.status, log: b.log, result: b.result, error: b.error } : undefined;
      });
      if (state) {
        const fresh = state.log.slice(shown);
        if (fresh.some((l) => l.includes('mirror: loading'))) ingestFrom = cpuSnapshot();
        if (ingestFrom && !ingestCpu && fresh.some((l) => l.includes('mirror: loaded in'))) {
          ingestCpu = cpuBetween(ingestFrom, cpuSnapshot(), cpus().length);
          const kinds = Object.entries(ingestCpu?.byKind ?? {}).map(([k, v]) => `${k} ${v.seconds}`);
          log(`ingest CPU ${ingestCpu?.cpuSeconds} s (${kinds.join(', ')})`);
        }
        for (const line of fresh) log(line);
        shown = state.log.length;
        if (values.trace) tracing = await traceTimedLookups(browser, fresh, tracing);
        if (state.status === 'done') {
          result = state.result;
          if (ingestCpu && result.mirror?.ingest) result.mirror.ingest.cpu = ingestCpu;
          if (profiler) {
            const { profile } = await profiler.send('Profiler.stop');
            writeFileSync(values['cpu-profile'], JSON.stringify(profile));
            log('CPU profile written to', values['cpu-profile']);
          }
          if (!runSync) await writeWorkerProfiles();
          break;
        }
        if (state.status === 'error') {
          log('FAILED in page:', state.error);
          exitCode = 1;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  if (exitCode === 0 && runSync) {
    result.sync = await runSyncBench({
      browser,
      pageUrl: `http://127.0.0.1:${port}/sync.html`,
      records: syncRecords,
      changes: Number(values['sync-changes']),
      push: Number(values['sync-push']),
      seed: Number(values.seed ?? 20261121),
      verify: values['sync-verify'] !== '0',
      log,
      // The page's teardown step ends its workers: their profiles are taken just before.
      ...(values['cpu-profile'] ? { beforeTeardown: writeWorkerProfiles } : {}),
    });
  }
  if (exitCode === 0) {
    // Other work on this machine shows in every figure: say how busy it was.
    const machine = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      kernel: release(),
      loadAverage1mAtStart: round2(loadStart),
      loadAverage1mAtEnd: round2(loadavg()[0]),
      ...probe,
    };
    process.stdout.write(`${JSON.stringify({ ...result, machine }, null, 2)}\n`);
  }
} catch (e) {
  log('FAILED:', e instanceof Error ? e.stack : e);
  exitCode = 1;
} finally {
  await browser?.deleteSession().catch(() => {});
  await server.close();
  rmSync(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  if (!values['keep-build']) rmSync(outDir, { recursive: true, force: true });
}
process.exit(exitCode);
