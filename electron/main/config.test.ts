import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseFeedUrl, readTextIfExists, resolveUpdateFeed } from './config';

describe('resolveUpdateFeed', () => {
  it('no variable and no file: updates are off', () => {
    expect(resolveUpdateFeed({ env: {}, configFileText: null })).toEqual({ url: null, source: 'none' });
  });

  it('reads the URL from update-config.json in userData', () => {
    const feed = resolveUpdateFeed({ env: {}, configFileText: '{"url":"https://update.example.gov.cn/hechatai"}' });
    expect(feed).toEqual({ url: 'https://update.example.gov.cn/hechatai/', source: 'file' });
  });

  it('the environment variable wins over the file', () => {
    const feed = resolveUpdateFeed({
      env: { HECHATAI_UPDATE_URL: 'https://10.1.2.3/updates/' },
      configFileText: '{"url":"https://update.example.gov.cn/hechatai/"}',
    });
    expect(feed).toEqual({ url: 'https://10.1.2.3/updates/', source: 'env' });
  });

  it('plain http is refused unless the site explicitly allows it', () => {
    expect(resolveUpdateFeed({ env: { HECHATAI_UPDATE_URL: 'http://10.1.2.3/u/' }, configFileText: null }).source).toBe('invalid');
    expect(resolveUpdateFeed({ env: { HECHATAI_UPDATE_URL: 'http://10.1.2.3/u/', HECHATAI_UPDATE_ALLOW_HTTP: '1' }, configFileText: null })).toEqual({
      url: 'http://10.1.2.3/u/',
      source: 'env',
    });
    expect(resolveUpdateFeed({ env: {}, configFileText: '{"url":"http://10.1.2.3/u/","allowInsecureHttp":true}' }).url).toBe(
      'http://10.1.2.3/u/',
    );
  });

  it('a broken file turns updates off and says why', () => {
    const broken = resolveUpdateFeed({ env: {}, configFileText: '{url:' });
    expect(broken).toMatchObject({ url: null, source: 'invalid' });
    expect(resolveUpdateFeed({ env: {}, configFileText: '{"url":42}' })).toMatchObject({ url: null, source: 'invalid' });
    expect(resolveUpdateFeed({ env: {}, configFileText: '{}' })).toEqual({ url: null, source: 'none' });
  });
});

describe('normaliseFeedUrl', () => {
  it('adds the trailing slash and drops query and fragment', () => {
    expect(normaliseFeedUrl('https://u.example.gov.cn/a?x=1#y', false)).toEqual({ url: 'https://u.example.gov.cn/a/' });
  });

  it('refuses credentials, other schemes and garbage', () => {
    expect(normaliseFeedUrl('https://user:pw@u.example.gov.cn/', false)).toHaveProperty('problem');
    expect(normaliseFeedUrl('file:///srv/updates/', true)).toHaveProperty('problem');
    expect(normaliseFeedUrl('not a url', true)).toHaveProperty('problem');
  });
});

describe('readTextIfExists', () => {
  it('null for a missing file, the text otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hechatai-config-'));
    expect(readTextIfExists(join(dir, 'update-config.json'))).toBeNull();
    writeFileSync(join(dir, 'update-config.json'), '{}');
    expect(readTextIfExists(join(dir, 'update-config.json'))).toBe('{}');
  });
});
