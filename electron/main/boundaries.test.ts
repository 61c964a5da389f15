import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const electronDir = new URL('../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// `import ... from 'electron'` that is not `import type`: loads the binary's path resolver.
const RUNTIME_ELECTRON_IMPORT = /^\s*import\s+(?!type\b)[^;]*from\s+['"]electron(?:\/[^'"]*)?['"]/m;

describe('process boundaries', () => {
  it('only the two entry files import Electron at run time, so every other module is testable in Node', () => {
    const offenders = sources(electronDir)
      .filter((file) => RUNTIME_ELECTRON_IMPORT.test(readFileSync(file, 'utf8')))
      .map((file) => relative(electronDir, file))
      .sort();
    expect(offenders).toEqual(['main/index.ts', 'preload/index.ts']);
  });

  it('the preload never hands ipcRenderer itself to the page', () => {
    const preload = readFileSync(join(electronDir, 'preload/index.ts'), 'utf8');
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*,\s*ipcRenderer\s*\)/);
    expect(preload).toMatch(/exposeInMainWorld\('clientApi', createClientApi\(ipcRenderer\)\)/);
  });
});
