/**
 * Runs the reference platform as a separate process for a test, as a clerk's client would meet
 * it: `node --import tsx test/platform/main.ts` (what `tsx main.ts` does, in one process, so
 * stopping it stops everything) on a free port with a temporary data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PlatformAdmin } from './admin-client';

const MAIN = resolve(import.meta.dirname, 'main.ts');
const ROOT = resolve(import.meta.dirname, '../..');

export interface SpawnOptions {
  records?: number;
  seed?: number;
  today?: string;
  /** Reuse a data directory (e.g. to restart on the same database); a fresh temp dir otherwise. */
  dataDir?: string;
  extraArgs?: string[];
  startTimeoutMs?: number;
}

export interface SpawnedPlatform {
  url: string;
  adminToken: string;
  enrolCode: string;
  dataDir: string;
  admin: PlatformAdmin;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Stops the process; removes the data directory unless `keepData`. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export async function spawnPlatform(opts: SpawnOptions = {}): Promise<SpawnedPlatform> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'platform-test-'));
  const args = [
    '--import', 'tsx', MAIN,
    '--port', '0',
    '--data', dataDir,
    '--records', String(opts.records ?? 2000),
    '--seed', String(opts.seed ?? 7),
    ...(opts.today === undefined ? [] : ['--today', opts.today]),
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const started = await new Promise<{ url: string; code: string; token: string }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`platform did not start in time:\n${out}`)), opts.startTimeoutMs ?? 20_000);
    const check = (): void => {
      const url = /^listening on (http:\/\/\S+)$/m.exec(out)?.[1];
      const code = /enrol code:\s+(\S+)/.exec(out)?.[1];
      const token = /admin token:\s+(\S+)/.exec(out)?.[1];
      if (url !== undefined && code !== undefined && token !== undefined) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        done({ url, code, token });
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`platform exited with ${String(code)} before listening:\n${out}`));
    });
  });

  return {
    url: started.url,
    adminToken: started.token,
    enrolCode: started.code,
    dataDir,
    admin: new PlatformAdmin(started.url, started.token),
    child,
    output: () => out,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (ownDir && !keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
