/**
 * Open and save dialogs that move bytes, never parsed content: spreadsheets and exchange
 * packages are parsed in the renderer (or its workers), so main never runs a file parser.
 * Dialogs and the file system are injected; electron/main/index.ts binds them to the window.
 */
import { basename, join } from 'node:path';
import {
  MAX_OPEN_FILE_BYTES,
  fileTooLargeMessage,
  type FileFilter,
  type OpenFileOptions,
  type OpenFileResult,
  type PrintToPdfRequest,
  type SaveFileRequest,
  type SaveFileResult,
} from '../../shared/ipc/contract';

export interface FileDialogs {
  showOpenDialog(options: {
    title?: string;
    filters?: FileFilter[];
    properties: Array<'openFile'>;
  }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: {
    title?: string;
    defaultPath: string;
    filters?: FileFilter[];
  }): Promise<{ canceled: boolean; filePath?: string | undefined }>;
}

export interface FileSystem {
  stat(path: string): Promise<{ size: number; mtimeMs: number; isFile(): boolean }>;
  readFile(path: string): Promise<Uint8Array<ArrayBuffer>>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

export interface FileServiceDeps {
  dialogs: FileDialogs;
  fs: FileSystem;
  /** Where save dialogs start (the user's Documents folder). */
  defaultDir: string;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A base name safe on Windows and Linux: no directories, no characters Windows forbids,
 * no reserved device names, not empty.
 */
export function safeFileName(suggested: string): string {
  const base = suggested.split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[\p{Cc}<>:"|?*]/gu, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 150);
  if (name === '') name = '未命名';
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  return name;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createFileService(deps: FileServiceDeps) {
  const { dialogs, fs } = deps;

  async function openFile(options: OpenFileOptions): Promise<OpenFileResult> {
    const limit = Math.min(options.maxBytes ?? MAX_OPEN_FILE_BYTES, MAX_OPEN_FILE_BYTES);
    const choice = await dialogs.showOpenDialog({
      ...(options.title ? { title: options.title } : {}),
      ...(options.filters ? { filters: options.filters } : {}),
      properties: ['openFile'],
    });
    const path = choice.filePaths[0];
    if (choice.canceled || path === undefined) return { status: 'cancelled' };
    const name = basename(path);
    try {
      const info = await fs.stat(path);
      if (!info.isFile()) return { status: 'failed', message: `不是文件 / Not a file: ${name}` };
      // Checked before reading: a 2 GB file must not be pulled into memory to be refused.
      if (info.size > limit) {
        return { status: 'too-large', name, size: info.size, limit, message: fileTooLargeMessage(info.size, limit) };
      }
      const bytes = await fs.readFile(path);
      if (bytes.byteLength > limit) {
        return { status: 'too-large', name, size: bytes.byteLength, limit, message: fileTooLargeMessage(bytes.byteLength, limit) };
      }
      return { status: 'opened', name, size: bytes.byteLength, lastModified: info.mtimeMs, bytes };
    } catch (error) {
      return { status: 'failed', message: `无法读取文件 / Cannot read the file ${name}: ${errorText(error)}` };
    }
  }

  async function saveFile(request: SaveFileRequest): Promise<SaveFileResult> {
    const choice = await dialogs.showSaveDialog({
      defaultPath: join(deps.defaultDir, safeFileName(request.suggestedName)),
      ...(request.filters ? { filters: request.filters } : {}),
    });
    if (choice.canceled || !choice.filePath) return { status: 'cancelled' };
    try {
      await fs.writeFile(choice.filePath, request.bytes);
      return { status: 'saved', fileName: basename(choice.filePath) };
    } catch (error) {
      return { status: 'failed', message: `无法保存文件 / Cannot save the file: ${errorText(error)}` };
    }
  }

  /** Renders the calling page to an A4 PDF first, then asks where to put it. */
  async function printToPdf(
    request: PrintToPdfRequest,
    printPage: (options: { pageSize: 'A4'; landscape: boolean; printBackground: boolean }) => Promise<Uint8Array<ArrayBuffer>>,
  ): Promise<SaveFileResult> {
    let pdf: Uint8Array<ArrayBuffer>;
    try {
      pdf = await printPage({ pageSize: 'A4', landscape: request.landscape ?? false, printBackground: true });
    } catch (error) {
      return { status: 'failed', message: `无法生成 PDF / Cannot print to PDF: ${errorText(error)}` };
    }
    const name = safeFileName(request.suggestedName);
    return saveFile({
      suggestedName: /\.pdf$/i.test(name) ? name : `${name}.pdf`,
      bytes: pdf,
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
  }

  return { openFile, saveFile, printToPdf };
}

export type FileService = ReturnType<typeof createFileService>;
