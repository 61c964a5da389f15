/**
 * Which links may leave the app for the system browser. Shared by the main process
 * (shell.openExternal, navigation and window-open handlers) and the browser variant's bridge,
 * so both refuse the same URLs.
 *
 * A URL is parsed with `new URL()` and compared by exact origin: substring checks
 * (`url.includes(...)`) let `https://www.creditchina.gov.cn.evil.example` through.
 */

/** Public national credit sites a clerk may be sent to from a verdict or a notice. */
export const EXTERNAL_LINK_ORIGINS: readonly string[] = [
  'https://www.creditchina.gov.cn', // 信用中国
  'https://www.gsxt.gov.cn', // 国家企业信用信息公示系统
];

const MAX_URL_LENGTH = 2048;

/**
 * The normalised URL if `candidate` may be opened outside the app, otherwise `null`.
 * Only https, no credentials in the URL, origin exactly in the allow-list.
 */
export function allowedExternalUrl(
  candidate: string,
  allowedOrigins: readonly string[] = EXTERNAL_LINK_ORIGINS,
): string | null {
  if (typeof candidate !== 'string' || candidate.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (!allowedOrigins.includes(url.origin)) return null;
  return url.href;
}
