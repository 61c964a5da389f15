/**
 * The runtime boundaries are kept by lint (eslint.config.js). These tests plant violations
 * and check that lint refuses them, so the rules cannot silently stop working.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('boundary lint', () => {
  it('shared/ may not import a Node built-in', async () => {
    expect(await ruleIdsFor('shared/domain/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"))
      .toContain('no-restricted-imports');
  });

  it('shared/ may not import the renderer', async () => {
    expect(await ruleIdsFor('shared/domain/planted.ts', "import { openDatabase } from '../../renderer/db/database';\nexport const x = openDatabase;\n"))
      .toContain('no-restricted-imports');
  });

  it('shared/ may not import electron', async () => {
    expect(await ruleIdsFor('shared/domain/planted.ts', "import { app } from 'electron';\nexport const x = app;\n"))
      .toContain('no-restricted-imports');
  });

  it('shared/ may not touch the DOM or Node globals', async () => {
    expect(await ruleIdsFor('shared/domain/planted.ts', 'export const x = () => document.title;\n')).toContain('no-restricted-globals');
    expect(await ruleIdsFor('shared/domain/planted.ts', 'export const y = () => process.env;\n')).toContain('no-restricted-globals');
  });

  it('renderer/ may not import electron or Node built-ins', async () => {
    expect(await ruleIdsFor('renderer/features/planted.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"))
      .toContain('no-restricted-imports');
    expect(await ruleIdsFor('renderer/features/planted.ts', "import path from 'path';\nexport const x = path;\n"))
      .toContain('no-restricted-imports');
  });

  it('only renderer/bridge reads window.clientApi', async () => {
    expect(await ruleIdsFor('renderer/features/planted.ts', 'export const x = () => window.clientApi;\n'))
      .toContain('no-restricted-properties');
  });

  it('clean pure code passes', async () => {
    expect(await ruleIdsFor('shared/domain/planted.ts', 'export const double = (n: number): number => n * 2;\n')).toEqual([]);
  });
});
