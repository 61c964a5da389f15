/**
 * The typed contract between the renderer and the Electron main process (and the in-page
 * bridge of the browser variant, which implements the same `ClientApi`).
 *
 * - `InvokeChannel` / `PushChannel` name the channels (see ./channels.ts).
 * - `ipcRoutes` gives, per method, the zod schema of its arguments (checked in main before any
 *   handler runs) and of its result (checked in main before it is sent back).
 * - `ClientApi` is what the renderer sees as `window.clientApi`. A compile-time check at the
 *   bottom proves the interface and the schemas describe the same API.
 *
 * Files cross the bridge as bytes (Uint8Array): they are parsed in the renderer, never in main.
 */
import { z } from 'zod';

export { CHANNEL_PREFIX, InvokeChannel, PushChannel } from './channels';
export type { InvokeMethod } from './channels';
export { EXTERNAL_LINK_ORIGINS, allowedExternalUrl } from './external-links';

// ------------------------------------------------------------------ limits

/** Files bigger than this are refused on open: the renderer holds the whole file in memory. */
export const MAX_OPEN_FILE_BYTES = 200 * 1024 * 1024;

const MB = 1024 * 1024;

/** The message shown when a file is over the limit, the same in Electron and the browser. */
export function fileTooLargeMessage(size: number, limit: number): string {
  const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
  return `文件过大（${mb(size)}），上限为 ${mb(limit)}，请拆分后再导入。 / File too large (${mb(size)}); the limit is ${mb(limit)}.`;
}

// ------------------------------------------------------------------ building blocks

const Bytes = z.instanceof(Uint8Array);
/** A file name suggested by the renderer; main reduces it to a safe base name again. */
const SuggestedName = z.string().min(1).max(200);
/** A file name reported back (base name only: the renderer never learns full paths). */
const ReportedName = z.string().min(1).max(255);
const Message = z.string().max(2000);

export const FileFilter = z.strictObject({
  name: z.string().min(1).max(100),
  /** Without dots, e.g. `xlsx`; `*` for all files. */
  extensions: z
    .array(z.string().regex(/^(\*|[A-Za-z0-9]{1,10})$/, '扩展名只含字母数字，不带点'))
    .min(1)
    .max(20),
});
export type FileFilter = z.infer<typeof FileFilter>;

// ------------------------------------------------------------------ app info

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** `electron`: the desktop app; `web`: the browser variant (demo, e2e tests). */
  variant: z.enum(['electron', 'web']),
  /** `process.platform` in Electron (`win32`, `linux`, …), `web` in the browser. */
  platform: z.string(),
  arch: z.string(),
  /** True in an installed build; false under electron-vite dev/preview and in the browser. */
  packaged: z.boolean(),
  versions: z.object({ electron: z.string().optional(), chrome: z.string().optional() }),
});
export type AppInfo = z.infer<typeof AppInfo>;

// ------------------------------------------------------------------ files

export const OpenFileOptions = z.strictObject({
  title: z.string().max(200).optional(),
  filters: z.array(FileFilter).max(10).optional(),
  /** A lower limit than MAX_OPEN_FILE_BYTES for this dialog, if the caller wants one. */
  maxBytes: z.number().int().positive().max(MAX_OPEN_FILE_BYTES).optional(),
});
export type OpenFileOptions = z.infer<typeof OpenFileOptions>;

export const OpenFileResult = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('opened'),
    name: ReportedName,
    size: z.number().int().nonnegative(),
    lastModified: z.number(),
    bytes: Bytes,
  }),
  z.object({ status: z.literal('cancelled') }),
  z.object({
    status: z.literal('too-large'),
    name: ReportedName,
    size: z.number().int().nonnegative(),
    limit: z.number().int().positive(),
    message: Message,
  }),
  z.object({ status: z.literal('failed'), message: Message }),
]);
export type OpenFileResult = z.infer<typeof OpenFileResult>;

export const SaveFileRequest = z.strictObject({
  suggestedName: SuggestedName,
  bytes: Bytes,
  filters: z.array(FileFilter).max(10).optional(),
});
export type SaveFileRequest = z.infer<typeof SaveFileRequest>;

export const PrintToPdfRequest = z.strictObject({
  suggestedName: SuggestedName,
  landscape: z.boolean().optional(),
});
export type PrintToPdfRequest = z.infer<typeof PrintToPdfRequest>;

export const SaveFileResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('saved'), fileName: ReportedName }),
  z.object({ status: z.literal('cancelled') }),
  /** The browser variant handed the bytes to the browser (download, print dialog): outcome unknown. */
  z.object({ status: z.literal('delegated') }),
  z.object({ status: z.literal('failed'), message: Message }),
]);
export type SaveFileResult = z.infer<typeof SaveFileResult>;

// ------------------------------------------------------------------ secrets

/** Only named secrets can be stored: no general key-value store for the renderer. */
export const SecretKey = z.enum(['platformToken']);
export type SecretKey = z.infer<typeof SecretKey>;

export const SecretValue = z.string().min(1).max(8192);

export const SecretBackend = z.discriminatedUnion('mode', [
  /** Encrypted with the OS (DPAPI, Keychain, libsecret, KWallet) and kept across restarts. */
  z.object({ mode: z.literal('encrypted'), provider: z.string() }),
  /**
   * Kept in memory for this session only. `basic_text`: Linux without a keyring (Electron would
   * "encrypt" with a fixed password); `encryption_unavailable`: safeStorage cannot encrypt;
   * `web_variant`: the browser variant never persists secrets.
   */
  z.object({
    mode: z.literal('session-only'),
    reason: z.enum(['basic_text', 'encryption_unavailable', 'web_variant']),
  }),
]);
export type SecretBackend = z.infer<typeof SecretBackend>;

// ------------------------------------------------------------------ updater

export const UpdaterStatus = z.discriminatedUnion('state', [
  /** The browser variant has no updater. */
  z.object({ state: z.literal('unsupported') }),
  /** No update URL configured (the default): updates are off. */
  z.object({ state: z.literal('disabled') }),
  z.object({ state: z.literal('idle') }),
  z.object({ state: z.literal('checking') }),
  z.object({ state: z.literal('up-to-date'), checkedAt: z.number() }),
  z.object({ state: z.literal('downloading'), version: z.string(), percent: z.number().min(0).max(100) }),
  /** Installs on quit, or now if the user asks while no counter transaction is in progress. */
  z.object({ state: z.literal('downloaded'), version: z.string() }),
  z.object({ state: z.literal('error'), message: Message }),
]);
export type UpdaterStatus = z.infer<typeof UpdaterStatus>;

export const InstallUpdateResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('installing') }),
  z.object({ status: z.literal('refused'), reason: z.enum(['busy', 'not-downloaded', 'unsupported']) }),
]);
export type InstallUpdateResult = z.infer<typeof InstallUpdateResult>;

// ------------------------------------------------------------------ routes

/** Arguments and result of every invoke channel, keyed by ClientApi method name. */
export const ipcRoutes = {
  getAppInfo: { args: z.tuple([]), result: AppInfo },
  openFile: { args: z.tuple([OpenFileOptions]), result: OpenFileResult },
  saveFile: { args: z.tuple([SaveFileRequest]), result: SaveFileResult },
  printToPdf: { args: z.tuple([PrintToPdfRequest]), result: SaveFileResult },
  getSecretBackend: { args: z.tuple([]), result: SecretBackend },
  getSecret: { args: z.tuple([SecretKey]), result: SecretValue.nullable() },
  setSecret: { args: z.tuple([SecretKey, SecretValue]), result: SecretBackend },
  deleteSecret: { args: z.tuple([SecretKey]), result: z.undefined() },
  getUpdaterStatus: { args: z.tuple([]), result: UpdaterStatus },
  checkForUpdates: { args: z.tuple([]), result: UpdaterStatus },
  installUpdate: { args: z.tuple([]), result: InstallUpdateResult },
  setBusy: { args: z.tuple([z.boolean()]), result: z.undefined() },
  openExternal: { args: z.tuple([z.string().max(2048)]), result: z.boolean() },
} as const;

export type IpcRoutes = typeof ipcRoutes;
export type RouteArgs<K extends keyof IpcRoutes> = z.output<IpcRoutes[K]['args']>;
export type RouteResult<K extends keyof IpcRoutes> = z.output<IpcRoutes[K]['result']>;

// ------------------------------------------------------------------ the API

/** What the renderer may ask of the host, as `window.clientApi` (read only in renderer/bridge). */
export interface ClientApi {
  /** 应用与平台信息 */
  getAppInfo(): Promise<AppInfo>;
  /** Shows an open dialog and returns the chosen file's bytes (limit MAX_OPEN_FILE_BYTES). */
  openFile(options: OpenFileOptions): Promise<OpenFileResult>;
  /** Shows a save dialog and writes the bytes there. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** Prints the current page to PDF (A4) and asks where to save it. */
  printToPdf(request: PrintToPdfRequest): Promise<SaveFileResult>;
  /** Where secrets go: OS-encrypted on disk, or this session's memory only. */
  getSecretBackend(): Promise<SecretBackend>;
  getSecret(key: SecretKey): Promise<string | null>;
  /** Stores the secret and says where it went (the UI warns when it is session-only). */
  setSecret(key: SecretKey, value: string): Promise<SecretBackend>;
  deleteSecret(key: SecretKey): Promise<undefined>;
  getUpdaterStatus(): Promise<UpdaterStatus>;
  checkForUpdates(): Promise<UpdaterStatus>;
  /** Quits and installs a downloaded update; refused while a counter transaction is busy. */
  installUpdate(): Promise<InstallUpdateResult>;
  /** The renderer says a counter transaction is in progress (no update install meanwhile). */
  setBusy(busy: boolean): Promise<undefined>;
  /** Opens an allow-listed https link in the system browser; false if refused. */
  openExternal(url: string): Promise<boolean>;
  /** Subscribes to updater status changes; returns the unsubscribe function. */
  onUpdaterStatus(listener: (status: UpdaterStatus) => void): () => void;
}

/** The invoke part of ClientApi, as the schemas describe it. */
export type RoutedApi = {
  -readonly [K in keyof IpcRoutes]: (...args: z.input<IpcRoutes[K]['args']>) => Promise<RouteResult<K>>;
};

// Compile-time proof that the hand-written interface and the schemas agree, both ways.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type ContractMatchesSchemas = Assert<Equals<Omit<ClientApi, 'onUpdaterStatus'>, RoutedApi>>;
