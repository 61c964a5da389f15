import { describe, expect, it } from 'vitest';
import { allowedExternalUrl } from './external-links';

describe('allowedExternalUrl', () => {
  it('lets an https link to 信用中国 through, normalised', () => {
    expect(allowedExternalUrl('https://WWW.creditchina.gov.cn/xinyongxinxi/?q=1')).toBe(
      'https://www.creditchina.gov.cn/xinyongxinxi/?q=1',
    );
    expect(allowedExternalUrl('https://www.gsxt.gov.cn/')).toBe('https://www.gsxt.gov.cn/');
  });

  it.each([
    ['a look-alike host', 'https://www.creditchina.gov.cn.evil.example/'],
    ['the allowed host only in the query', 'https://evil.example/?u=https://www.creditchina.gov.cn'],
    ['credentials before the host', 'https://www.creditchina.gov.cn@evil.example/'],
    ['credentials on the allowed host', 'https://user:pw@www.creditchina.gov.cn/'],
    ['plain http', 'http://www.creditchina.gov.cn/'],
    ['another port', 'https://www.creditchina.gov.cn:8443/'],
    ['javascript:', 'javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['a relative URL', '/xinyongxinxi'],
    ['not a URL', 'not a url'],
    ['a sub-domain not listed', 'https://public.creditchina.gov.cn/'],
  ])('refuses %s', (_what, url) => {
    expect(allowedExternalUrl(url)).toBeNull();
  });

  it('refuses absurdly long URLs', () => {
    expect(allowedExternalUrl(`https://www.creditchina.gov.cn/${'a'.repeat(3000)}`)).toBeNull();
  });

  it('takes another allow-list when given one', () => {
    expect(allowedExternalUrl('https://credit.example.gov.cn/x', ['https://credit.example.gov.cn'])).toBe(
      'https://credit.example.gov.cn/x',
    );
    expect(allowedExternalUrl('https://www.creditchina.gov.cn/', ['https://credit.example.gov.cn'])).toBeNull();
  });
});
