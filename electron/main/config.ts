/**
 * Where updates come from. Nothing is configured by default, and then updates are off:
 * each site runs its own intranet update server, set by its IT staff either with
 *   - the environment variable HECHATAI_UPDATE_URL (wins when both are set), or
 *   - `<userData>/update-config.json`: `{ "url": "https://update.example.gov.cn/hechatai/" }`.
 * https only, unless the site explicitly allows plain http (`"allowInsecureHttp": true` in the
 * file, or HECHATAI_UPDATE_ALLOW_HTTP=1): over http anyone on the LAN could serve an "update".
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const UPDATE_URL_ENV = 'HECHATAI_UPDATE_URL';
export const UPDATE_ALLOW_HTTP_ENV = 'HECHATAI_UPDATE_ALLOW_HTTP';
export const UPDATE_CONFIG_FILE = 'update-config.json';

const UpdateConfigFile = z.object({
  url: z.string().max(2048).optional(),
  allowInsecureHttp: z.boolean().optional(),
});

export type UpdateFeed =
  | { url: string; source: 'env' | 'file' }
  | { url: null; source: 'none' }
  | { url: null; source: 'invalid'; problem: string };

/** Validates a feed URL and gives it a trailing slash (the generic provider appends file names). */
export function normaliseFeedUrl(raw: string, allowInsecureHttp: boolean): { url: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { problem: `更新地址无效 / invalid update URL: ${raw}` };
  }
  const httpOk = url.protocol === 'https:' || (url.protocol === 'http:' && allowInsecureHttp);
  if (!httpOk) return { problem: `更新地址须为 https / update URL must be https: ${url.protocol}` };
  if (url.username !== '' || url.password !== '') return { problem: '更新地址不得含账号密码 / no credentials in the update URL' };
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { url: url.href };
}

export function resolveUpdateFeed(options: {
  env: Record<string, string | undefined>;
  /** The config file's text, or null when there is none. */
  configFileText: string | null;
}): UpdateFeed {
  const fromEnv = options.env[UPDATE_URL_ENV]?.trim();
  if (fromEnv) {
    const result = normaliseFeedUrl(fromEnv, options.env[UPDATE_ALLOW_HTTP_ENV] === '1');
    return 'url' in result ? { url: result.url, source: 'env' } : { url: null, source: 'invalid', problem: result.problem };
  }
  if (options.configFileText === null) return { url: null, source: 'none' };
  let data: unknown;
  try {
    data = JSON.parse(options.configFileText);
  } catch {
    return { url: null, source: 'invalid', problem: `${UPDATE_CONFIG_FILE} 不是有效的 JSON / is not valid JSON` };
  }
  const parsed = UpdateConfigFile.safeParse(data);
  if (!parsed.success) return { url: null, source: 'invalid', problem: z.prettifyError(parsed.error) };
  if (!parsed.data.url) return { url: null, source: 'none' };
  const result = normaliseFeedUrl(parsed.data.url, parsed.data.allowInsecureHttp === true);
  return 'url' in result ? { url: result.url, source: 'file' } : { url: null, source: 'invalid', problem: result.problem };
}

/** A small text file's content, or null if it does not exist (other errors are thrown). */
export function readTextIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw error;
  }
}
