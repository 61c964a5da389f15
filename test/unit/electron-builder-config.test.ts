/**
 * electron-builder.yml is only used on a release machine, so a mistake would surface late.
 * This checks it here against the installed electron-builder's own JSON schema
 * (app-builder-lib/scheme.json), strictly (no type coercion), and asserts the release
 * decisions: targets, Chinese installer, Electron fuses, generic publish URL.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

interface Target {
  target: string;
  arch: string[];
}

/** The parts of the configuration the assertions read. */
interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  electronFuses: Record<string, boolean>;
  win: { target: Target[] };
  nsis: Record<string, unknown>;
  linux: { target: Target[]; category: string };
  publish: { provider: string; url: string };
}

// The schema of the electron-builder that is installed, found from electron-builder itself.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const schema = JSON.parse(readFileSync(fromBuilder.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const config = parse(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as BuilderConfig;

// strict: false because the scheme uses annotations ajv's strict mode does not know.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function errorsOf(candidate: unknown): string[] {
  return validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

describe('electron-builder.yml', () => {
  it('is valid against the installed electron-builder schema', () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it('the schema check is not vacuous: it catches a wrong type and an unknown option', () => {
    expect(errorsOf({ ...config, nsis: { ...config.nsis, language: 2052 } })).not.toEqual([]);
    expect(errorsOf({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).not.toEqual([]);
  });

  it('names the product 信用核查台 and packs the built app and resources', () => {
    expect(config.productName).toBe('信用核查台');
    expect(config.appId).toMatch(/^[a-z][a-z0-9]*(\.[a-z0-9-]+)+$/);
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/**']));
    expect(config.asar).toBe(true);
  });

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableCookieEncryption: true,
    });
  });

  it('builds an assisted, Chinese NSIS installer for Windows x64', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      allowToChangeInstallationDirectory: true,
      language: '2052',
      installerLanguages: ['zh_CN'],
    });
  });

  it('builds deb and AppImage for x64 and arm64 (统信UOS, 麒麟), category Office', () => {
    for (const kind of ['deb', 'AppImage']) {
      const target = config.linux.target.find((t) => t.target === kind);
      expect([...(target?.arch ?? [])].sort(), kind).toEqual(['arm64', 'x64']);
    }
    expect(config.linux.category).toBe('Office');
  });

  it('publishes update files for a generic (intranet) server', () => {
    expect(config.publish).toMatchObject({ provider: 'generic' });
    expect(config.publish.url).toMatch(/^https:\/\/.+\/$/);
  });
});
