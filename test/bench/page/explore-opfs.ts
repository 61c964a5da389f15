/**
 * Whether look-ups served from the origin-private file system (a worker's synchronous access
 * handle) have a shorter tail here than IndexedDB's: a file of 4 KiB pages (`?mb=`, default 256),
 * then "look-ups" of 1 index page + 1–5 record pages through the worker, timed on the page
 * (post → read → decode → parse → post back), back to back and paced.
 * `node scripts/bench.mjs --page explore-opfs`.
 */
import { percentiles } from './explore-kit';
const state = { status: 'running', log: [] as string[], result: {} as Record<string, unknown>, error: '' };
(window as unknown as { __bench: typeof state }).__bench = state;
const log = (s: string): void => void state.log.push(s);
const params = new URLSearchParams(location.search);
const MB = Number(params.get('mb') ?? 256);
const pages = (MB * 1024 * 1024) / 4096;

const w = new Worker(new URL('./explore-opfs-worker.ts', import.meta.url), { type: 'module' });
let pending: ((d: { records?: unknown[]; built?: number; error?: string }) => void) | undefined;
w.onmessage = (e: MessageEvent<{ records?: unknown[]; built?: number; error?: string }>) => pending?.(e.data);
const ask = (msg: unknown): Promise<{ records?: unknown[]; built?: number; error?: string }> =>
  new Promise((res, rej) => {
    pending = (d) => (d.error ? rej(new Error(d.error)) : res(d));
    w.postMessage(msg);
  });

let sink = 0;
async function run(): Promise<void> {
  const built = await ask({ kind: 'build', pages });
  log(`built ${MB} MB in ${Math.round(built.built ?? 0)} ms`);
  for (const gap of [0, 10]) {
    const times: number[] = [];
    for (let i = 0; i < 4000; i++) {
      if (gap) await new Promise((r) => setTimeout(r, gap));
      const n = 2 + Math.floor(Math.random() * 5);
      const want = Array.from({ length: n }, () => Math.floor(Math.random() * pages));
      const t = performance.now();
      const got = await ask({ kind: 'read', pages: want });
      sink += (got.records ?? []).length;
      times.push(performance.now() - t);
    }
    state.result[`gap${gap}`] = percentiles(times.slice(200));
    log(`gap ${gap}: ${JSON.stringify(state.result[`gap${gap}`])}`);
  }
  state.result.sink = sink;
  state.status = 'done';
}
run().catch((e: unknown) => {
  state.status = 'error';
  state.error = String(e instanceof Error ? e.stack : e);
});
