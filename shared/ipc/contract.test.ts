import { describe, expect, it } from 'vitest';
import {
  CHANNEL_PREFIX,
  InvokeChannel,
  MAX_OPEN_FILE_BYTES,
  OpenFileOptions,
  PushChannel,
  SaveFileRequest,
  SecretBackend,
  UpdaterStatus,
  fileTooLargeMessage,
  ipcRoutes,
} from './contract';

describe('IPC channels', () => {
  const all = [...Object.values(InvokeChannel), ...Object.values(PushChannel)];

  it('every channel carries the hechatai: prefix', () => {
    for (const channel of all) expect(channel.startsWith(CHANNEL_PREFIX)).toBe(true);
  });

  it('no two methods share a channel', () => {
    expect(new Set(all).size).toBe(all.length);
  });

  it('every invoke channel has a route with argument and result schemas, and no route lacks a channel', () => {
    expect(Object.keys(ipcRoutes).sort()).toEqual(Object.keys(InvokeChannel).sort());
  });
});

describe('argument schemas', () => {
  it('a secret can only be stored under a known name', () => {
    expect(ipcRoutes.setSecret.args.safeParse(['platformToken', 'abc']).success).toBe(true);
    expect(ipcRoutes.setSecret.args.safeParse(['anything', 'abc']).success).toBe(false);
    expect(ipcRoutes.setSecret.args.safeParse(['platformToken', '']).success).toBe(false);
  });

  it('extra arguments are refused', () => {
    expect(ipcRoutes.getAppInfo.args.safeParse([]).success).toBe(true);
    expect(ipcRoutes.getAppInfo.args.safeParse(['extra']).success).toBe(false);
    expect(ipcRoutes.setBusy.args.safeParse([true, 1]).success).toBe(false);
  });

  it('unknown option keys are refused (no smuggled fields such as a path)', () => {
    expect(OpenFileOptions.safeParse({ title: '导入名单' }).success).toBe(true);
    expect(OpenFileOptions.safeParse({ defaultPath: '/etc' }).success).toBe(false);
  });

  it('a caller may lower the open-file limit but never raise it above 200 MB', () => {
    expect(MAX_OPEN_FILE_BYTES).toBe(200 * 1024 * 1024);
    expect(OpenFileOptions.safeParse({ maxBytes: 1024 }).success).toBe(true);
    expect(OpenFileOptions.safeParse({ maxBytes: MAX_OPEN_FILE_BYTES + 1 }).success).toBe(false);
  });

  it('file filters take extensions without dots', () => {
    expect(OpenFileOptions.safeParse({ filters: [{ name: 'Excel', extensions: ['xlsx', 'xls'] }] }).success).toBe(true);
    expect(OpenFileOptions.safeParse({ filters: [{ name: 'Excel', extensions: ['.xlsx'] }] }).success).toBe(false);
  });

  it('bytes must be a Uint8Array, not a plain array or string', () => {
    expect(SaveFileRequest.safeParse({ suggestedName: 'a.xlsx', bytes: new Uint8Array([1]) }).success).toBe(true);
    expect(SaveFileRequest.safeParse({ suggestedName: 'a.xlsx', bytes: [1] }).success).toBe(false);
    expect(SaveFileRequest.safeParse({ suggestedName: 'a.xlsx', bytes: 'AQ==' }).success).toBe(false);
  });
});

describe('result schemas', () => {
  it('secret backends say why a token is session-only', () => {
    expect(SecretBackend.safeParse({ mode: 'session-only', reason: 'basic_text' }).success).toBe(true);
    expect(SecretBackend.safeParse({ mode: 'session-only' }).success).toBe(false);
    expect(SecretBackend.safeParse({ mode: 'encrypted', provider: 'dpapi' }).success).toBe(true);
  });

  it('updater status carries what each state needs', () => {
    expect(UpdaterStatus.safeParse({ state: 'downloaded', version: '0.2.0' }).success).toBe(true);
    expect(UpdaterStatus.safeParse({ state: 'downloaded' }).success).toBe(false);
    expect(UpdaterStatus.safeParse({ state: 'downloading', version: '0.2.0', percent: 101 }).success).toBe(false);
  });
});

describe('fileTooLargeMessage', () => {
  it('states the size and the limit in Chinese and English', () => {
    const message = fileTooLargeMessage(300 * 1024 * 1024, MAX_OPEN_FILE_BYTES);
    expect(message).toContain('文件过大（300.0 MB）');
    expect(message).toContain('上限为 200.0 MB');
    expect(message).toContain('File too large');
  });
});
