import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl, resolveRendererSource } from './origin';

describe('isAppUrl', () => {
  it('accepts pages of app://hechatai', () => {
    expect(APP_ENTRY_URL).toBe('app://hechatai/index.html');
    expect(isAppUrl('app://hechatai/index.html')).toBe(true);
    expect(isAppUrl('app://hechatai/index.html#/check')).toBe(true);
    expect(isAppUrl('app://hechatai')).toBe(true); // an origin, as permission checks give it
  });

  it.each([
    'app://other/index.html',
    'app://hechatai.evil/index.html',
    'app://hechatai:8080/index.html',
    'app://user@hechatai/index.html',
    'https://hechatai/index.html',
    'file:///app/index.html',
    'about:blank',
    '',
    'garbage',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('resolveRendererSource', () => {
  it('an installed build always loads app://hechatai, whatever the environment says', () => {
    const source = resolveRendererSource({ isPackaged: true, devServerUrl: 'http://localhost:5173/' });
    expect(source.kind).toBe('app');
    expect(source.entryUrl).toBe('app://hechatai/index.html');
    expect(source.isTrustedUrl('http://localhost:5173/')).toBe(false);
  });

  it('an unpackaged run uses the loopback Vite dev server and trusts only its origin', () => {
    const source = resolveRendererSource({ isPackaged: false, devServerUrl: 'http://localhost:5173' });
    expect(source.kind).toBe('dev-server');
    expect(source.entryUrl).toBe('http://localhost:5173/');
    expect(source.isTrustedUrl('http://localhost:5173/index.html')).toBe(true);
    expect(source.isTrustedUrl('http://localhost:5174/')).toBe(false);
    expect(source.isTrustedUrl('app://hechatai/index.html')).toBe(false);
  });

  it('a dev server URL that is not loopback http is ignored', () => {
    for (const devServerUrl of ['http://192.168.1.5:5173', 'https://localhost:5173', 'file:///x', 'nonsense']) {
      expect(resolveRendererSource({ isPackaged: false, devServerUrl }).kind).toBe('app');
    }
    expect(resolveRendererSource({ isPackaged: false, devServerUrl: undefined }).kind).toBe('app');
  });
});
