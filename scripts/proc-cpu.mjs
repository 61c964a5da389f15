/**
 * CPU time used by the browser's processes (and other given processes, e.g. the reference
 * platform) between two moments, read from /proc (Linux only; elsewhere `cpuSnapshot` returns
 * null and the bench leaves the figure out).
 *
 * Why: on a 2-core machine a phase cannot take less wall time than the CPU seconds all its
 * processes spend, divided by 2. The bench prints that floor next to the phase's time, so a
 * figure from a machine where CPU (or memory first touch) is dearer can be told from a slower
 * program. A process that ends between two snapshots drops out (its time is not counted).
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat: 100 on every Linux build the bench runs on. */
const TICKS = 100;

/** user and system seconds of one process, or null when it is gone. */
function times(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) / TICKS, system: Number(f[12]) / TICKS };
  } catch {
    return null;
  }
}

/** What kind of Chromium process a command line belongs to, or null for another program. */
export function chromiumKind(cmdline) {
  // Chromium's child processes rewrite their command line as one space-separated string.
  const argv = cmdline.split(/[\0 ]+/);
  if (!/chromium|chrome/.test(argv[0] ?? '')) return null;
  if (/chromedriver/.test(argv[0] ?? '')) return null;
  const type = argv.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return 'browser';
  if (type === 'utility') return `utility:${argv.find((a) => a.startsWith('--utility-sub-type='))?.slice(19) ?? '?'}`;
  return type;
}

/**
 * Per-process CPU seconds now: every Chromium process, by pid, with its kind, and the `named`
 * extra processes ({ platform: pid }). Null where /proc is not there.
 */
export function cpuSnapshot(named = {}) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const procs = new Map();
  for (const pid of pids) {
    let cmdline;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const kind = chromiumKind(cmdline);
    if (kind === null) continue;
    const t = times(pid);
    if (t) procs.set(pid, { kind, ...t });
  }
  for (const [name, pid] of Object.entries(named)) {
    if (pid === undefined) continue;
    const t = times(String(pid));
    if (t) procs.set(String(pid), { kind: name, ...t });
  }
  return { at: performance.now(), procs };
}

const r2 = (x) => Math.round(x * 100) / 100;

/**
 * CPU seconds spent between two snapshots, summed by kind (user + system, and system alone),
 * with the wall time and the floor it implies on `cores` cores. Processes started in between
 * count from zero.
 */
export function cpuBetween(a, b, cores) {
  if (!a || !b) return null;
  const byKind = {};
  let total = 0;
  let system = 0;
  for (const [pid, now] of b.procs) {
    const then = a.procs.get(pid) ?? { user: 0, system: 0 };
    const user = now.user - then.user;
    const sys = now.system - then.system;
    const k = (byKind[now.kind] ??= { seconds: 0, systemSeconds: 0 });
    k.seconds += user + sys;
    k.systemSeconds += sys;
    total += user + sys;
    system += sys;
  }
  for (const [kind, k] of Object.entries(byKind)) {
    k.seconds = r2(k.seconds);
    k.systemSeconds = r2(k.systemSeconds);
    // Idle helpers (zygote, GPU, storage service) only clutter the figure.
    if (k.seconds === 0) delete byKind[kind];
  }
  const wall = (b.at - a.at) / 1000;
  return {
    wallSeconds: r2(wall),
    cpuSeconds: r2(total),
    systemSeconds: r2(system),
    /** The least wall time this much CPU needs on `cores` cores. */
    floorSeconds: r2(total / cores),
    byKind,
  };
}
