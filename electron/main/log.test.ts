import { describe, expect, it, vi } from 'vitest';
import { LOG_MAX_BYTES, configureLogging, type ConfigurableLogger } from './log';

function fakeLogger(): ConfigurableLogger {
  return {
    transports: { file: { maxSize: 1024 * 1024, level: 'silly' }, console: { level: 'silly' } },
    errorHandler: { startCatching: vi.fn() },
  };
}

describe('configureLogging', () => {
  it('caps the log file at about 5 MB and catches uncaught errors without a dialog', () => {
    const log = fakeLogger();
    configureLogging(log, { packaged: true });
    expect(LOG_MAX_BYTES).toBe(5 * 1024 * 1024);
    expect(log.transports.file.maxSize).toBe(LOG_MAX_BYTES);
    expect(log.transports.file.level).toBe('info');
    expect(log.transports.console.level).toBe(false);
    expect(log.errorHandler.startCatching).toHaveBeenCalledWith({ showDialog: false });
  });

  it('logs to the console too when unpackaged', () => {
    const log = fakeLogger();
    configureLogging(log, { packaged: false });
    expect(log.transports.console.level).toBe('debug');
  });
});
