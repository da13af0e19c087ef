import type { LogEntryInput } from './log-entry-input';
import { LogStoreError } from './log-store-error';

const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

/** Rejects a malformed entry before anything of the batch is written. */
export function validateLogEntry(entry: LogEntryInput): void {
  if (!entry || !LEVELS.has(entry.level) || typeof entry.message !== 'string') {
    throw new LogStoreError(
      'INVALID_ARGUMENT',
      'a log entry needs a level (debug|info|warn|error) and a message',
    );
  }
  if (entry.at !== undefined && !(entry.at instanceof Date && !Number.isNaN(entry.at.getTime()))) {
    throw new LogStoreError('INVALID_ARGUMENT', 'a log entry `at` must be a valid Date');
  }
}
