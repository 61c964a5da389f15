/**
 * Every IPC handler of the main process goes through one wrapper that
 * 1. refuses any sender that is not the top frame of our own window showing our own page
 *    (after VS Code's ipcMain.ts: an iframe, a popup or a navigated-away page gets nothing);
 * 2. parses the arguments with the route's zod schema before the handler sees them;
 * 3. parses the handler's result with the route's schema before it leaves main.
 */
import { z } from 'zod';
import { InvokeChannel, ipcRoutes, type IpcRoutes, type RouteArgs, type RouteResult } from '../../shared/ipc/contract';

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
  readonly processId: number;
  readonly frameToken: string;
}

/** The parts of Electron's IpcMainInvokeEvent the wrapper reads. */
export interface InvokeEventLike<S> {
  readonly sender: S;
  readonly senderFrame: FrameLike | null;
}

/** The window whose page may call us. */
export interface TrustedWindowLike<S> {
  isDestroyed(): boolean;
  readonly webContents: S & { readonly mainFrame: FrameLike };
}

/**
 * True only for a message from the main frame of our window whose URL is our page
 * (app://hechatai in a packaged build).
 */
export function isTrustedSender<S>(
  event: InvokeEventLike<S>,
  window: TrustedWindowLike<S> | null,
  isTrustedUrl: (url: string) => boolean,
): boolean {
  if (window === null || window.isDestroyed()) return false;
  if (event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  const top = window.webContents.mainFrame;
  if (frame.processId !== top.processId || frame.frameToken !== top.frameToken) return false;
  return isTrustedUrl(frame.url);
}

export interface HandlerContext<S> {
  /** The calling webContents (for printToPDF, dialogs' parent window). */
  sender: S;
}

/** One implementation per route; the mapped type makes a missing handler a compile error. */
export type MainHandlers<S> = {
  -readonly [K in keyof IpcRoutes]: (
    context: HandlerContext<S>,
    ...args: RouteArgs<K>
  ) => Promise<z.input<IpcRoutes[K]['result']>> | z.input<IpcRoutes[K]['result']>;
};

export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

export interface IpcLog {
  warn(...params: unknown[]): void;
  error(...params: unknown[]): void;
}

/** Errors reach the renderer as a message only; details stay in the main log. */
export class IpcRefusedError extends Error {
  override name = 'IpcRefusedError';
}

export function guardHandler<S, E extends InvokeEventLike<S>, K extends keyof IpcRoutes>(
  method: K,
  handler: MainHandlers<S>[K],
  isSenderTrusted: (event: E) => boolean,
  log: IpcLog,
): (event: E, ...rawArgs: unknown[]) => Promise<RouteResult<K>> {
  const channel = InvokeChannel[method];
  const route: { args: z.ZodType; result: z.ZodType } = ipcRoutes[method];
  const run = handler as (context: HandlerContext<S>, ...args: unknown[]) => unknown;
  return async (event, ...rawArgs) => {
    if (!isSenderTrusted(event)) {
      log.warn(`IPC ${channel} refused: untrusted sender`, event.senderFrame?.url ?? '(no frame)');
      throw new IpcRefusedError(`拒绝调用：来源不受信任 / Refused: untrusted sender (${channel})`);
    }
    const parsed = route.args.safeParse(rawArgs);
    if (!parsed.success) {
      const detail = z.prettifyError(parsed.error);
      log.warn(`IPC ${channel} refused: invalid arguments`, detail);
      throw new IpcRefusedError(`参数无效 / Invalid arguments for ${channel}: ${detail}`);
    }
    let result: unknown;
    try {
      result = await run({ sender: event.sender }, ...(parsed.data as unknown[]));
    } catch (error) {
      log.error(`IPC ${channel} failed`, error); // Electron itself only prints it to stderr
      throw error;
    }
    const checked = route.result.safeParse(result);
    if (!checked.success) {
      log.error(`IPC ${channel}: handler result breaks the contract`, z.prettifyError(checked.error));
      throw new Error(`内部错误 / Internal error in ${channel}`);
    }
    return checked.data as RouteResult<K>;
  };
}

/** Registers a guarded handler for every route of the contract. */
export function registerIpcHandlers<S, E extends InvokeEventLike<S>>(
  ipcMain: IpcMainLike<E>,
  handlers: MainHandlers<S>,
  isSenderTrusted: (event: E) => boolean,
  log: IpcLog,
): void {
  for (const method of Object.keys(ipcRoutes) as Array<keyof IpcRoutes>) {
    ipcMain.handle(InvokeChannel[method], guardHandler<S, E, typeof method>(method, handlers[method], isSenderTrusted, log));
  }
}
