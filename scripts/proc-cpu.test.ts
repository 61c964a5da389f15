import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chromiumKind, cpuBetween, cpuSnapshot } from './proc-cpu.mjs';

const argv = (...a: string[]): string => `${a.join('\0')}\0`;

describe('chromiumKind', () => {
  it('tells the browser, renderers and utilities apart, and ignores other programs', () => {
    expect(chromiumKind(argv('/usr/lib/chromium/chromium', '--headless=new', '--no-sandbox'))).toBe('browser');
    expect(chromiumKind(argv('/usr/lib/chromium/chromium', '--type=renderer', '--lang=en'))).toBe('renderer');
    expect(chromiumKind(argv('/usr/lib/chromium/chromium', '--type=utility', '--utility-sub-type=network.mojom.NetworkService'))).toBe('utility:network.mojom.NetworkService');
    expect(chromiumKind(argv('/usr/bin/chromedriver', '--port=9515'))).toBeNull();
    // As a child process shows it after rewriting its own command line.
    expect(chromiumKind('/usr/lib/chromium/chromium --type=renderer --crashpad-handler-pid=0 --enable-crash-reporter\0\0')).toBe('renderer');
    expect(chromiumKind(argv('/usr/bin/node', 'scripts/bench.mjs', '--chromium'))).toBeNull();
  });
});

describe('cpuBetween', () => {
  const snap = (at: number, procs: [string, string, number, number][]) => ({ at, procs: new Map(procs.map(([pid, kind, user, system]) => [pid, { kind, user, system }])) });

  it('sums CPU seconds by kind, counts a process started in between from zero, and gives the floor on the cores', () => {
    const a = snap(1_000, [
      ['1', 'browser', 10, 5],
      ['2', 'renderer', 20, 2],
      ['9', 'renderer', 1, 1], // gone by b: not counted
    ]);
    const b = snap(11_000, [
      ['1', 'browser', 14, 8],
      ['2', 'renderer', 29, 3],
      ['3', 'renderer', 2, 1],
      ['4', 'platform', 3, 0.5],
    ]);
    const c = cpuBetween(a, b, 2);
    expect(c).not.toBeNull();
    expect(c?.wallSeconds).toBe(10);
    expect(c?.byKind.browser).toEqual({ seconds: 7, systemSeconds: 3 });
    expect(c?.byKind.renderer).toEqual({ seconds: 13, systemSeconds: 2 });
    expect(c?.byKind.platform).toEqual({ seconds: 3.5, systemSeconds: 0.5 });
    expect(c?.cpuSeconds).toBe(23.5);
    expect(c?.systemSeconds).toBe(5.5);
    expect(c?.floorSeconds).toBe(11.75);
  });

  it('gives null without both snapshots', () => {
    expect(cpuBetween(null, snap(0, []), 2)).toBeNull();
  });
});

describe.runIf(existsSync('/proc/self/stat'))('cpuSnapshot', () => {
  it('reads a named process: the CPU this one spends busy shows up', () => {
    const before = cpuSnapshot({ self: process.pid });
    let x = 0;
    const t = Date.now();
    while (Date.now() - t < 300) x += Math.sqrt(x + 1);
    const after = cpuSnapshot({ self: process.pid });
    const c = cpuBetween(before, after, 2);
    expect(x).toBeGreaterThan(0);
    expect(c?.byKind.self?.seconds ?? 0).toBeGreaterThan(0.1);
  });
});
