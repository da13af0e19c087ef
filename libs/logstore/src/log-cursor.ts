import { LogStoreError } from './log-store-error';

/**
 * Keyset cursor over (at, id), newest first. Opaque to callers; the same format in both
 * adapters. It carries no tenant: every page query is filtered by the caller's tenant anyway.
 */
export const logCursor = {
  encode(at: Date, id: string): string {
    return Buffer.from(JSON.stringify([at.getTime(), id]), 'utf8').toString('base64url');
  },
  decode(cursor: string): { at: Date; id: string } {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (
        Array.isArray(parsed) &&
        parsed.length === 2 &&
        Number.isSafeInteger(parsed[0]) &&
        typeof parsed[1] === 'string'
      ) {
        return { at: new Date(parsed[0] as number), id: parsed[1] };
      }
    } catch {
      // fall through
    }
    throw new LogStoreError('INVALID_CURSOR', 'the cursor is not one this store issued');
  },
};
