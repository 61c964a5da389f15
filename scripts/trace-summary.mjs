// Summarises a Chromium trace written by `npm run bench -- --trace F` (the timed look-ups):
//   node scripts/trace-summary.mjs F
// Prints the look-ups' IndexedDB transactions (browser side, creation to commit), the browser's
// `get` operations, and the renderer's major garbage collections: how often, how long the page
// thread was held, and what ran on the other threads meanwhile; and the long tasks of the page's
// thread and of each worker (the look-up worker's answers wait behind them), with what held them.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/trace-summary.mjs TRACE.json');
  process.exit(2);
}
const trace = JSON.parse(readFileSync(file, 'utf8'));
const events = Array.isArray(trace) ? trace : trace.traceEvents;

const threadName = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}/${e.tid}`, e.args.name);
const nameOf = (e) => threadName.get(`${e.pid}/${e.tid}`) ?? String(e.tid);

const ms = (us) => Math.round(us / 10) / 100;
function pct(values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { count: s.length, p50: ms(at(0.5)), p95: ms(at(0.95)), p99: ms(at(0.99)), max: ms(s[s.length - 1] ?? 0) };
}

// Transactions: async begin/end pairs on the browser's IndexedDB sequence.
const open = new Map();
const txn = [];
for (const e of events) {
  if (e.name !== 'Transaction::lifetime') continue;
  const id = e.id2?.local ?? e.id;
  if (e.ph === 'b') open.set(id, e.ts);
  else if (e.ph === 'e' && open.has(id)) {
    txn.push([open.get(id), e.ts]);
    open.delete(id);
  }
}
const complete = (name) => events.filter((e) => e.ph === 'X' && e.name === name);
const gets = complete('Database::GetOperation');
const major = complete('MajorGC').sort((a, b) => a.ts - b.ts);
const pageThreadGc = ['MajorGC', 'V8.GCPhantomHandleProcessingCallback', 'V8.GC_HEAP_EMBEDDER_TRACING_EPILOGUE'];
const gcSpans = events.filter((e) => e.ph === 'X' && pageThreadGc.includes(e.name)).map((e) => [e.ts, e.ts + e.dur]);
const overlapsGc = ([a, b]) => gcSpans.some(([g0, g1]) => g0 < b && g1 > a);
const slow = txn.filter(([a, b]) => b - a > 5_000);

const out = {
  transactions: { ...pct(txn.map(([a, b]) => b - a)), over5ms: slow.length, over5msDuringPageThreadGc: slow.filter(overlapsGc).length },
  browserGetOperations: pct(gets.map((e) => e.dur)),
  majorGc: {
    count: major.length,
    intervalMs: pct(major.slice(1).map((e, i) => e.ts - (major[i]?.ts ?? e.ts))),
    pauseMs: pct(major.map((e) => e.dur)),
    reasons: [...new Set(complete('V8.GCIncrementalMarkingStart').map((e) => e.args?.value?.reason ?? e.args?.value?.gc_reason))],
    phantomCallbacksMs: pct(complete('V8.GCPhantomHandleProcessingCallback').map((e) => e.dur)),
    arrayBufferSweepMs: pct(complete('V8.GC_BACKGROUND_FULL_ARRAY_BUFFER_SWEEP').map((e) => e.dur)),
    globalBytesAtStart: complete('V8.GCIncrementalMarkingStart').map((e) => e.args?.value?.global_consumed_bytes).filter((v) => v !== undefined),
    oldGenerationBytesAtStart: complete('V8.GCIncrementalMarkingStart').map((e) => e.args?.value?.old_gen_consumed_bytes).filter((v) => v !== undefined),
  },
  longTasksOver8ms: Object.entries(
    events
      .filter((e) => e.ph === 'X' && e.dur > 8_000 && e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'ThreadPool_RunTask')
      .reduce((acc, e) => {
        const k = `${nameOf(e)}: ${e.name}`;
        acc[k] = (acc[k] ?? 0) + 1;
        return acc;
      }, {}),
  )
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15),
};
// Tasks over 3 ms on the page's thread and on the workers' threads, each with its longest inner event.
const t0 = Math.min(...events.filter((e) => e.ph === 'X').map((e) => e.ts));
const tasksOf = (thread) => {
  const mine = events.filter((e) => e.ph === 'X' && nameOf(e) === thread).sort((a, b) => a.ts - b.ts);
  const tasks = mine.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur > 3_000);
  return tasks.map((task) => {
    const inner = mine.filter((e) => e !== task && e.name !== 'ThreadControllerImpl::RunTask' && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
    const top = inner.filter((e) => e.name !== 'v8.callFunction' && e.name !== 'HandlePostMessage').sort((a, b) => b.dur - a.dur)[0];
    return [ms(task.ts - t0), ms(task.dur), top ? `${top.name} ${ms(top.dur)}` : (task.args?.src_func ?? '')];
  });
};
out.longTasksOver3ms = Object.fromEntries(
  ['CrRendererMain', 'DedicatedWorker thread'].map((thread) => {
    const tasks = tasksOf(thread);
    return [thread, { count: tasks.length, first40: tasks.slice(0, 40) }];
  }),
);
console.log(JSON.stringify(out, null, 2));
