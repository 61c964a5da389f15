import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, parseCsp } from './csp';

const repo = new URL('../../', import.meta.url);

function metaPolicy(htmlFile: string): Map<string, string> {
  const html = readFileSync(new URL(htmlFile, repo), 'utf8');
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  if (!match?.[1]) throw new Error(`${htmlFile} has no CSP meta tag`);
  return parseCsp(match[1]);
}

describe('Content-Security-Policy', () => {
  const header = parseCsp(CONTENT_SECURITY_POLICY);

  it('allows no inline or remote script and no plugins', () => {
    expect(header.get('script-src')).toBe("'self'");
    expect(header.get('object-src')).toBe("'none'");
    expect(header.get('base-uri')).toBe("'none'");
    expect(header.get('frame-ancestors')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });

  it('the header and the meta tag in renderer/index.html say the same thing', () => {
    const meta = metaPolicy('renderer/index.html');
    for (const [directive, value] of meta) expect(header.get(directive), directive).toBe(value);
    // frame-ancestors is ignored in a meta tag; the header is the one that enforces it.
    const headerOnly = [...header.keys()].filter((d) => !meta.has(d));
    expect(headerOnly.every((d) => d === 'frame-ancestors')).toBe(true);
  });
});
