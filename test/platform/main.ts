/**
 * Starts the reference city platform for demos and tests:
 *
 *   npm run platform -- [--port 7311] [--data ./platform-data] [--records 5000] [--seed N]
 *                       [--today YYYY-MM-DD] [--admin-token T] [--verbose]
 *                       [--drop P] [--delay MS] [--error-rate P] [--lose-reply P]
 *                       [--duplicate-pages P] [--overload P] [--retry-after S] [--fault-seed N]
 *
 * (`npm run platform` is `tsx test/platform/main.ts`.) An empty data directory is seeded with
 * the sample measures and matters, the DEMO records and N generated records; an existing one
 * is reused as it is. Prints the data file, a fresh one-time enrolment code and the admin
 * token, then the line `listening on <url>` (tests wait for it). Stops on Ctrl+C / SIGTERM.
 * Fault probabilities P are 0–1 per request; they can be changed later with PUT /admin/faults.
 */
import { parseArgs } from 'node:util';
import { IsoDate } from '../../shared/domain/schemas';
import { Faults, type FaultsInput } from './faults';
import { startPlatform } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7311' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string', default: './platform-data' },
    records: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    today: { type: 'string' },
    'admin-token': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    drop: { type: 'string' },
    delay: { type: 'string' },
    'error-rate': { type: 'string' },
    'lose-reply': { type: 'string' },
    'duplicate-pages': { type: 'string' },
    overload: { type: 'string' },
    'retry-after': { type: 'string' },
    'fault-seed': { type: 'string' },
  },
  strict: true,
});

function int(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`--${name} 应为不小于 ${min} 的整数：${text}`);
    process.exit(2);
  }
  return n;
}

const faultFlags: [keyof FaultsInput, string | undefined][] = [
  ['drop', values.drop],
  ['delayMs', values.delay],
  ['error5xx', values['error-rate']],
  ['loseReply', values['lose-reply']],
  ['duplicatePages', values['duplicate-pages']],
  ['overload', values.overload],
  ['retryAfterSeconds', values['retry-after']],
  ['seed', values['fault-seed']],
];
const faultInput: Record<string, number> = {};
for (const [key, text] of faultFlags) if (text !== undefined) faultInput[key] = Number(text);
const faults = Faults.safeParse(faultInput);
if (!faults.success) {
  console.error(`故障开关不正确：${faults.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  process.exit(2);
}
let today: string | undefined;
if (values.today !== undefined) {
  const parsed = IsoDate.safeParse(values.today);
  if (!parsed.success) {
    console.error(`--today 应为 YYYY-MM-DD：${values.today}`);
    process.exit(2);
  }
  today = parsed.data;
}

const platform = await startPlatform({
  dataDir: values.data,
  host: values.host,
  port: int('port', values.port, 0),
  records: int('records', values.records, 0),
  seed: int('seed', values.seed, Number.MIN_SAFE_INTEGER),
  faults: faults.data,
  ...(today === undefined ? {} : { today }),
  ...(values['admin-token'] === undefined ? {} : { adminToken: values['admin-token'] }),
  ...(values.verbose ? { log: (line: string) => console.log(line) } : {}),
});

const stats = platform.store.stats();
const code = platform.store.createEnrolCode();
const active = Object.entries(platform.faults.current).filter(([k, v]) => k !== 'seed' && k !== 'retryAfterSeconds' && v !== 0);
console.log('信用核查台 参考城市平台（协议 v1）');
console.log(`  data:        ${platform.dbFile}`);
console.log(`  content:     ${String(stats.records)} list records, ${String(stats.measures)} measures, ${String(stats.matters)} matters, last seq ${String(stats.highSeq)}`);
console.log(`  enrol code:  ${code}  (市场监督管理局 · 兰山区, one use)`);
console.log(`  admin token: ${platform.adminToken}`);
console.log(`  faults:      ${active.length === 0 ? 'none' : active.map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
console.log(`listening on ${platform.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void platform.close().then(() => process.exit(0));
  });
}
