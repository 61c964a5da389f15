/**
 * Main-process logging to a size-capped file (electron-log: `<userData>/logs/main.log`; past
 * LOG_MAX_BYTES it becomes main.old.log and a new file starts, so at most ~2x the cap on disk).
 * Never log secrets or personal data from checks: log files get mailed to IT.
 */

export const LOG_MAX_BYTES = 5 * 1024 * 1024;

type Level = 'error' | 'warn' | 'info' | 'verbose' | 'debug' | 'silly' | false;

/** The part of electron-log's main logger this module configures. */
export interface ConfigurableLogger {
  transports: {
    file: { maxSize: number; level: Level };
    console: { level: Level };
  };
  errorHandler: { startCatching(options?: { showDialog?: boolean }): void };
}

export function configureLogging(log: ConfigurableLogger, options: { packaged: boolean }): void {
  log.transports.file.maxSize = LOG_MAX_BYTES;
  log.transports.file.level = 'info';
  log.transports.console.level = options.packaged ? false : 'debug';
  // Uncaught errors in main go to the file; no modal dialog in front of a member of the public.
  log.errorHandler.startCatching({ showDialog: false });
}
