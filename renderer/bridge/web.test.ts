import { describe, expect, it, vi } from 'vitest';
import { MAX_OPEN_FILE_BYTES, type ClientApi } from '../../shared/ipc/contract';
import { createWebClientApi, type WebHost } from './web';

function host(overrides: Partial<WebHost> = {}): WebHost & { [K in 'download' | 'print' | 'openWindow']: ReturnType<typeof vi.fn> } {
  return {
    pickFile: async () => null,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    download: vi.fn(),
    print: vi.fn(),
    openWindow: vi.fn(),
    ...overrides,
  } as never;
}

describe('the browser variant bridge', () => {
  it('reports itself as the web variant', async () => {
    const info = await createWebClientApi(host()).getAppInfo();
    expect(info).toMatchObject({ name: '信用核查台', variant: 'web', packaged: false, versions: { chrome: '156.0.0.0' } });
  });

  it('returns a picked file as bytes', async () => {
    const file = new File(['统一社会信用代码'], '名单.csv', { lastModified: 42 });
    const result = await createWebClientApi(host({ pickFile: async () => file })).openFile({});
    expect(result).toMatchObject({ status: 'opened', name: '名单.csv', lastModified: 42 });
    if (result.status === 'opened') expect(new TextDecoder().decode(result.bytes)).toBe('统一社会信用代码');
  });

  it('passes the filters to the file input as accept', async () => {
    const pickFile = vi.fn(async () => null);
    const result = await createWebClientApi(host({ pickFile })).openFile({ filters: [{ name: 'Excel', extensions: ['xlsx', 'xls'] }] });
    expect(result).toEqual({ status: 'cancelled' });
    expect(pickFile).toHaveBeenCalledWith('.xlsx,.xls');
  });

  it('refuses a file over the limit with the same message as the desktop app', async () => {
    const big = { name: 'huge.xlsx', size: MAX_OPEN_FILE_BYTES + 1, lastModified: 0 } as File;
    const result = await createWebClientApi(host({ pickFile: async () => big })).openFile({});
    expect(result).toMatchObject({ status: 'too-large', limit: MAX_OPEN_FILE_BYTES });
  });

  it('hands saves and prints to the browser and says so', async () => {
    const h = host();
    const api = createWebClientApi(h);
    expect(await api.saveFile({ suggestedName: '核查记录.xlsx', bytes: new Uint8Array([1, 2]) })).toEqual({ status: 'delegated' });
    expect(h.download).toHaveBeenCalledWith('核查记录.xlsx', expect.any(Blob));
    expect(await api.printToPdf({ suggestedName: '报告' })).toEqual({ status: 'delegated' });
    expect(h.print).toHaveBeenCalled();
  });

  it('keeps secrets for the session only and says so', async () => {
    const api = createWebClientApi(host());
    expect(await api.getSecretBackend()).toEqual({ mode: 'session-only', reason: 'web_variant' });
    expect(await api.setSecret('platformToken', 'tok')).toEqual({ mode: 'session-only', reason: 'web_variant' });
    expect(await api.getSecret('platformToken')).toBe('tok');
    await api.deleteSecret('platformToken');
    expect(await api.getSecret('platformToken')).toBeNull();
    expect(await createWebClientApi(host()).getSecret('platformToken')).toBeNull();
  });

  it('has no updater', async () => {
    const api = createWebClientApi(host());
    expect(await api.getUpdaterStatus()).toEqual({ state: 'unsupported' });
    expect(await api.installUpdate()).toEqual({ status: 'refused', reason: 'unsupported' });
    expect(typeof api.onUpdaterStatus(() => {})).toBe('function');
  });

  it('opens only allow-listed links, like the desktop app', async () => {
    const h = host();
    const api = createWebClientApi(h);
    expect(await api.openExternal('https://evil.example/')).toBe(false);
    expect(h.openWindow).not.toHaveBeenCalled();
    expect(await api.openExternal('https://www.creditchina.gov.cn/')).toBe(true);
    expect(h.openWindow).toHaveBeenCalledWith('https://www.creditchina.gov.cn/');
  });

  it('refuses arguments the contract refuses, as main does', async () => {
    const api: ClientApi = createWebClientApi(host());
    await expect(api.setSecret('nope' as never, 'x')).rejects.toThrow(/参数无效/);
    await expect(api.openFile({ defaultPath: '/etc' } as never)).rejects.toThrow(/参数无效/);
  });
});
