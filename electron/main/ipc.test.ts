import { describe, expect, it, vi } from 'vitest';
import { InvokeChannel } from '../../shared/ipc/contract';
import { createMainHandlers, type MainServices } from './handlers';
import { isAppUrl } from './origin';
import {
  IpcRefusedError,
  guardHandler,
  isTrustedSender,
  registerIpcHandlers,
  type FrameLike,
  type InvokeEventLike,
  type MainHandlers,
  type TrustedWindowLike,
} from './ipc';

interface Contents {
  id: number;
  mainFrame: FrameLike;
}

function frame(url: string, overrides: Partial<FrameLike> = {}): FrameLike {
  return { url, parent: null, processId: 7, frameToken: 'top', ...overrides };
}

function setup() {
  const webContents: Contents = { id: 1, mainFrame: frame('app://hechatai/index.html') };
  let destroyed = false;
  const window: TrustedWindowLike<Contents> = { isDestroyed: () => destroyed, webContents };
  const event = (senderFrame: FrameLike | null, sender: Contents = webContents): InvokeEventLike<Contents> => ({
    sender,
    senderFrame,
  });
  return { webContents, window, event, destroy: () => (destroyed = true) };
}

describe('isTrustedSender', () => {
  it('accepts the top frame of our window showing app://hechatai', () => {
    const { window, event, webContents } = setup();
    expect(isTrustedSender(event(webContents.mainFrame), window, isAppUrl)).toBe(true);
  });

  it('refuses a sub-frame, even one on our origin', () => {
    const { window, event } = setup();
    const child = frame('app://hechatai/index.html', { parent: {}, frameToken: 'child' });
    expect(isTrustedSender(event(child), window, isAppUrl)).toBe(false);
  });

  it('refuses a top frame that is not our window’s main frame', () => {
    const { window, event } = setup();
    expect(isTrustedSender(event(frame('app://hechatai/index.html', { frameToken: 'other' })), window, isAppUrl)).toBe(false);
    expect(isTrustedSender(event(frame('app://hechatai/index.html', { processId: 8 })), window, isAppUrl)).toBe(false);
  });

  it('refuses our main frame once it shows another origin', () => {
    const { window, event, webContents } = setup();
    webContents.mainFrame = frame('https://evil.example/');
    expect(isTrustedSender(event(webContents.mainFrame), window, isAppUrl)).toBe(false);
  });

  it('refuses another webContents, a missing frame, and a closed window', () => {
    const { window, event, webContents, destroy } = setup();
    const other: Contents = { id: 2, mainFrame: webContents.mainFrame };
    expect(isTrustedSender(event(webContents.mainFrame, other), window, isAppUrl)).toBe(false);
    expect(isTrustedSender(event(null), window, isAppUrl)).toBe(false);
    expect(isTrustedSender(event(webContents.mainFrame), null, isAppUrl)).toBe(false);
    destroy();
    expect(isTrustedSender(event(webContents.mainFrame), window, isAppUrl)).toBe(false);
  });
});

describe('guardHandler', () => {
  const log = { warn: vi.fn(), error: vi.fn() };
  const trusted = () => true;
  const untrusted = () => false;
  const anEvent = { sender: 'contents', senderFrame: frame('app://hechatai/index.html') };

  it('an untrusted sender never reaches the handler', async () => {
    const handler = vi.fn(() => true);
    const guarded = guardHandler<string, typeof anEvent, 'openExternal'>('openExternal', handler, untrusted, log);
    await expect(guarded(anEvent, 'https://www.creditchina.gov.cn/')).rejects.toBeInstanceOf(IpcRefusedError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('arguments that break the schema never reach the handler', async () => {
    const handler = vi.fn(() => 'x');
    const guarded = guardHandler<string, typeof anEvent, 'getSecret'>('getSecret', handler, trusted, log);
    await expect(guarded(anEvent, 'someOtherKey')).rejects.toThrow(/参数无效 \/ Invalid arguments for hechatai:secret:get/);
    await expect(guarded(anEvent)).rejects.toThrow(IpcRefusedError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes parsed arguments and the sender to the handler', async () => {
    const handler = vi.fn((_context: { sender: string }, busy: boolean) => {
      void busy;
      return undefined;
    });
    const guarded = guardHandler<string, typeof anEvent, 'setBusy'>('setBusy', handler, trusted, log);
    await expect(guarded(anEvent, true)).resolves.toBeUndefined();
    expect(handler).toHaveBeenCalledWith({ sender: 'contents' }, true);
  });

  it('a failing handler is logged and its error passed on', async () => {
    const handler = vi.fn(async () => {
      throw new Error('disk full');
    });
    const guarded = guardHandler<string, typeof anEvent, 'deleteSecret'>('deleteSecret', handler, trusted, log);
    await expect(guarded(anEvent, 'platformToken')).rejects.toThrow('disk full');
    expect(log.error).toHaveBeenCalledWith('IPC hechatai:secret:delete failed', expect.any(Error));
  });

  it('a result that breaks the contract is not sent back', async () => {
    const handler = vi.fn(() => ({ state: 'nonsense' }) as never);
    const guarded = guardHandler<string, typeof anEvent, 'getUpdaterStatus'>('getUpdaterStatus', handler, trusted, log);
    await expect(guarded(anEvent)).rejects.toThrow(/内部错误/);
    expect(log.error).toHaveBeenCalled();
  });
});

describe('registerIpcHandlers with the real handlers', () => {
  function services(): MainServices<string> {
    let busy = false;
    return {
      appInfo: () => ({
        name: '信用核查台',
        version: '0.1.0',
        variant: 'electron',
        platform: 'linux',
        arch: 'x64',
        packaged: true,
        versions: {},
      }),
      files: {
        openFile: vi.fn(async () => ({ status: 'cancelled' as const })),
        saveFile: vi.fn(async () => ({ status: 'cancelled' as const })),
        printToPdf: vi.fn(async (_request, printPage) => {
          await printPage({ pageSize: 'A4', landscape: false, printBackground: true });
          return { status: 'cancelled' as const };
        }),
      },
      printPage: vi.fn(async () => new Uint8Array([37, 80, 68, 70])),
      secrets: {
        getBackend: () => ({ mode: 'session-only', reason: 'basic_text' }),
        get: async () => null,
        set: async () => ({ mode: 'session-only', reason: 'basic_text' }),
        delete: async () => undefined,
      },
      updates: {
        getStatus: () => ({ state: 'downloaded', version: '0.2.0' }),
        check: async () => ({ state: 'downloaded', version: '0.2.0' }),
        install: () => (busy ? { status: 'refused', reason: 'busy' } : { status: 'installing' }),
        setBusy: (value: boolean) => {
          busy = value;
        },
        isBusy: () => busy,
        start: () => {},
        stop: () => {},
      },
      openAllowedLink: (url) => url.startsWith('https://www.creditchina.gov.cn'),
    };
  }

  function register(s = services()) {
    const registered = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    const handlers: MainHandlers<string> = createMainHandlers(s);
    registerIpcHandlers(
      { handle: (channel, listener) => registered.set(channel, listener as (event: unknown, ...args: unknown[]) => unknown) },
      handlers,
      () => true,
      { warn: () => {}, error: () => {} },
    );
    const call = (channel: string, ...args: unknown[]) =>
      registered.get(channel)?.({ sender: 'contents', senderFrame: null }, ...args);
    return { registered, call, s };
  }

  it('registers exactly one handler per contract channel', () => {
    const { registered } = register();
    expect([...registered.keys()].sort()).toEqual(Object.values(InvokeChannel).sort());
  });

  it('a downloaded update is not installed while the clerk is busy', async () => {
    const { call } = register();
    await call(InvokeChannel.setBusy, true);
    await expect(call(InvokeChannel.installUpdate)).resolves.toEqual({ status: 'refused', reason: 'busy' });
    await call(InvokeChannel.setBusy, false);
    await expect(call(InvokeChannel.installUpdate)).resolves.toEqual({ status: 'installing' });
  });

  it('printToPdf renders the calling page', async () => {
    const { call, s } = register();
    await call(InvokeChannel.printToPdf, { suggestedName: '核查回执' });
    expect(s.printPage).toHaveBeenCalledWith('contents', { pageSize: 'A4', landscape: false, printBackground: true });
  });

  it('openExternal answers whether the link was opened', async () => {
    const { call } = register();
    await expect(call(InvokeChannel.openExternal, 'https://www.creditchina.gov.cn/')).resolves.toBe(true);
    await expect(call(InvokeChannel.openExternal, 'https://evil.example/')).resolves.toBe(false);
  });
});
