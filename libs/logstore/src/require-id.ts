import { LogStoreError } from './log-store-error';

/** Refuses an empty id: an empty tenant id must never widen a query or a delete. */
export function requireId(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw new LogStoreError(
      'INVALID_ARGUMENT',
      `${name} must be a non-empty string of at most 200 characters`,
    );
  }
  return value;
}
