/**
 * Whether allocation alone gives the page a latency tail on this machine: iterations that each
 * allocate what a look-up allocates (a page's text decoded, its records parsed) with a short
 * pause between, timed one by one. `node scripts/bench.mjs --page explore-gc`.
 */
import { percentiles } from './explore-kit';
const state = { status: 'running', log: [] as string[], result: {} as Record<string, unknown>, error: '' };
(window as unknown as { __bench: typeof state }).__bench = state;
const log = (s: string): void => void state.log.push(s);

const record = '["R00000000",1,0,1,"山东达宏劳务派遣有限公司",0,"91371322MA9BTLDB1M",null,0,"曹敏","371328196008319337",1,2,3,4,20195,20195,20438,null,null,1,0,5]';
const pageBytes = new TextEncoder().encode(record.repeat(32));
const decoder = new TextDecoder();
let sink = 0;

async function run(): Promise<void> {
  for (const pages of [0, 1, 5]) {
    const times: number[] = [];
    for (let i = 0; i < 3_000; i++) {
      const t = performance.now();
      for (let p = 0; p < pages; p++) {
        const text = decoder.decode(pageBytes);
        for (let r = 0; r < 6; r++) {
          const tuple = JSON.parse(text.substring(r * record.length, (r + 1) * record.length)) as unknown[];
          sink += tuple.length + Object.keys({ a: tuple[0], b: tuple[4], c: tuple[6] }).length;
        }
      }
      times.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 1));
    }
    state.result[`pages${pages}`] = percentiles(times);
    log(`${pages} pages: ${JSON.stringify(state.result[`pages${pages}`])}`);
  }
  state.result.sink = sink;
  state.status = 'done';
}
run().catch((e: unknown) => {
  state.status = 'error';
  state.error = String(e instanceof Error ? e.stack : e);
});
