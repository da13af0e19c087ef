import { LogStoreError } from './log-store-error';

/** Validates a page size (1..max), defaulting when absent. */
export function pageLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new LogStoreError('INVALID_ARGUMENT', `limit must be a whole number from 1 to ${max}`);
  }
  return limit;
}
