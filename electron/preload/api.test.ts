import { describe, expect, it, vi } from 'vitest';
import { InvokeChannel, PushChannel, ipcRoutes } from '../../shared/ipc/contract';
import { createClientApi, type IpcRendererLike } from './api';

function fakeIpc() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]) => 'reply' as unknown),
    on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(listener);
    }),
  } satisfies IpcRendererLike;
  const emit = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'ipcRenderer internals' }, ...args);
  };
  return { ipc, emit, listeners };
}

describe('the preload bridge', () => {
  it('exposes only plain functions, one per contract method plus the status subscription', () => {
    const api = createClientApi(fakeIpc().ipc);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(ipcRoutes), 'onUpdaterStatus'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it('each method invokes its own channel with exactly its arguments', async () => {
    const { ipc } = fakeIpc();
    const api = createClientApi(ipc);
    await api.setSecret('platformToken', 'tok');
    expect(ipc.invoke).toHaveBeenLastCalledWith(InvokeChannel.setSecret, 'platformToken', 'tok');
    await api.getAppInfo();
    expect(ipc.invoke).toHaveBeenLastCalledWith(InvokeChannel.getAppInfo);
    const bytes = new Uint8Array([1]);
    await api.saveFile({ suggestedName: 'a.xlsx', bytes });
    expect(ipc.invoke).toHaveBeenLastCalledWith(InvokeChannel.saveFile, { suggestedName: 'a.xlsx', bytes });
    await api.setBusy(true);
    expect(ipc.invoke).toHaveBeenLastCalledWith(InvokeChannel.setBusy, true);
  });

  it('updater status listeners get the status only, never the IPC event, and can unsubscribe', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const api = createClientApi(ipc);
    const listener = vi.fn();
    const unsubscribe = api.onUpdaterStatus(listener);
    emit(PushChannel.updaterStatus, { state: 'checking' });
    expect(listener).toHaveBeenCalledWith({ state: 'checking' });
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    expect(listeners.get(PushChannel.updaterStatus)?.size).toBe(0);
  });
});
