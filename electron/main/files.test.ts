import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MAX_OPEN_FILE_BYTES } from '../../shared/ipc/contract';
import { createFileService, safeFileName, type FileDialogs, type FileSystem } from './files';

const realFs: FileSystem = { stat, readFile: (p) => readFile(p), writeFile: (p, d) => writeFile(p, d) };

function service(dialogs: Partial<FileDialogs>, fs: FileSystem = realFs) {
  return createFileService({
    dialogs: {
      showOpenDialog: dialogs.showOpenDialog ?? (async () => ({ canceled: true, filePaths: [] })),
      showSaveDialog: dialogs.showSaveDialog ?? (async () => ({ canceled: true })),
    },
    fs,
    defaultDir: '/home/clerk/Documents',
  });
}

const dir = mkdtempSync(join(tmpdir(), 'hechatai-files-'));

describe('openFile', () => {
  it('returns the chosen file as bytes with its base name only', async () => {
    const path = join(dir, '失信名单.csv');
    writeFileSync(path, '统一社会信用代码,名称\n');
    const files = service({ showOpenDialog: async () => ({ canceled: false, filePaths: [path] }) });
    const result = await files.openFile({ filters: [{ name: 'CSV', extensions: ['csv'] }] });
    expect(result.status).toBe('opened');
    if (result.status !== 'opened') return;
    expect(result.name).toBe('失信名单.csv');
    expect(new TextDecoder().decode(result.bytes)).toContain('统一社会信用代码');
    expect(result.size).toBe(result.bytes.byteLength);
  });

  it('passes title and filters to the dialog, for one file only', async () => {
    const showOpenDialog = vi.fn(async () => ({ canceled: true, filePaths: [] }));
    await service({ showOpenDialog }).openFile({ title: '导入', filters: [{ name: 'Excel', extensions: ['xlsx'] }] });
    expect(showOpenDialog).toHaveBeenCalledWith({
      title: '导入',
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
      properties: ['openFile'],
    });
  });

  it('a cancelled dialog answers cancelled', async () => {
    await expect(service({}).openFile({})).resolves.toEqual({ status: 'cancelled' });
  });

  it('a file over the limit is refused with a clear message before it is read', async () => {
    const readFileSpy = vi.fn();
    const fs: FileSystem = {
      stat: async () => ({ size: MAX_OPEN_FILE_BYTES + 1, mtimeMs: 0, isFile: () => true }),
      readFile: readFileSpy,
      writeFile: async () => {},
    };
    const files = service({ showOpenDialog: async () => ({ canceled: false, filePaths: ['/data/huge.xlsx'] }) }, fs);
    const result = await files.openFile({});
    expect(result).toMatchObject({ status: 'too-large', name: 'huge.xlsx', limit: MAX_OPEN_FILE_BYTES });
    if (result.status === 'too-large') expect(result.message).toMatch(/文件过大.*上限为 200\.0 MB/);
    expect(readFileSpy).not.toHaveBeenCalled();
  });

  it('the caller may set a lower limit, never a higher one', async () => {
    const path = join(dir, 'small.txt');
    writeFileSync(path, '12345');
    const pick = { showOpenDialog: async () => ({ canceled: false, filePaths: [path] }) };
    expect((await service(pick).openFile({ maxBytes: 4 })).status).toBe('too-large');
    expect((await service(pick).openFile({ maxBytes: 5 })).status).toBe('opened');
  });

  it('a directory or an unreadable path fails with a message instead of throwing', async () => {
    const files = (p: string) => service({ showOpenDialog: async () => ({ canceled: false, filePaths: [p] }) });
    expect(await files(dir).openFile({})).toMatchObject({ status: 'failed' });
    expect(await files(join(dir, 'missing.xlsx')).openFile({})).toMatchObject({ status: 'failed' });
  });
});

describe('saveFile', () => {
  it('writes the bytes where the user chose and reports the base name', async () => {
    const target = join(dir, '核查记录.xlsx');
    const showSaveDialog = vi.fn(async () => ({ canceled: false, filePath: target }));
    const result = await service({ showSaveDialog }).saveFile({ suggestedName: '核查记录.xlsx', bytes: new Uint8Array([1, 2, 3]) });
    expect(result).toEqual({ status: 'saved', fileName: '核查记录.xlsx' });
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    expect(showSaveDialog).toHaveBeenCalledWith({ defaultPath: join('/home/clerk/Documents', '核查记录.xlsx') });
  });

  it('a suggested name cannot point the dialog at another directory', async () => {
    const showSaveDialog = vi.fn(async () => ({ canceled: true }));
    await service({ showSaveDialog }).saveFile({ suggestedName: '../../etc/passwd', bytes: new Uint8Array() });
    expect(showSaveDialog).toHaveBeenCalledWith({ defaultPath: join('/home/clerk/Documents', 'passwd') });
  });

  it('a failed write is reported, not thrown', async () => {
    const files = service({ showSaveDialog: async () => ({ canceled: false, filePath: join(dir, 'no', 'such', 'dir.xlsx') }) });
    expect(await files.saveFile({ suggestedName: 'a.xlsx', bytes: new Uint8Array() })).toMatchObject({ status: 'failed' });
  });
});

describe('printToPdf', () => {
  it('renders the page as A4 and offers to save it as .pdf', async () => {
    const showSaveDialog = vi.fn(async () => ({ canceled: true }));
    const printPage = vi.fn(async () => new Uint8Array([37, 80, 68, 70]));
    const result = await service({ showSaveDialog }).printToPdf({ suggestedName: '信用核查报告', landscape: true }, printPage);
    expect(result).toEqual({ status: 'cancelled' });
    expect(printPage).toHaveBeenCalledWith({ pageSize: 'A4', landscape: true, printBackground: true });
    expect(showSaveDialog).toHaveBeenCalledWith({
      defaultPath: join('/home/clerk/Documents', '信用核查报告.pdf'),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
  });

  it('a failed render is reported', async () => {
    const result = await service({}).printToPdf({ suggestedName: 'x.pdf' }, async () => {
      throw new Error('renderer gone');
    });
    expect(result).toMatchObject({ status: 'failed' });
  });
});

describe('safeFileName', () => {
  it.each([
    ['核查记录.xlsx', '核查记录.xlsx'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Windows\\system.ini', 'system.ini'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['line\nbreak.txt', 'line_break.txt'],
    ['  .hidden. ', 'hidden'],
    ['CON', '_CON'],
    ['com1.txt', '_com1.txt'],
    ['', '未命名'],
    ['...', '未命名'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });
});
