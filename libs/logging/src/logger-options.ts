import type { LogLevel } from '@app/config';
import type { LoggerOptions } from 'pino';
import { REDACT_PATHS } from './redact-paths';

/** JSON logs with secrets removed; `service` tells the API, workers and tools apart. */
export function buildLoggerOptions(service: string, level: LogLevel): LoggerOptions {
  return {
    level,
    base: { service, pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  };
}
