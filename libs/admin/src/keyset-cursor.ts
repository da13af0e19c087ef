import { ValidationFailed } from './validation';

/**
 * Opaque keyset cursors of the admin API's paged routes (base64url JSON). A cursor carries
 * only the position in the caller's own listing; every page query is scoped by the tenant, so
 * a cursor from elsewhere finds nothing it should not. A malformed one is a 400 on `cursor`.
 */
export const keysetCursor = {
  encode(parts: readonly (string | number)[]): string {
    return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
  },
  /** The cursor's parts, checked against `shape` ('s' string, 'n' safe integer). */
  decode(cursor: string, shape: readonly ('s' | 'n')[]): (string | number)[] {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (
        Array.isArray(parsed) &&
        parsed.length === shape.length &&
        parsed.every((p, i) =>
          shape[i] === 's'
            ? typeof p === 'string' && p.length <= 64
            : Number.isSafeInteger(p) && (p as number) >= 0,
        )
      )
        return parsed as (string | number)[];
    } catch {
      // falls through to the 400
    }
    throw new ValidationFailed([{ field: 'cursor', message: 'not a cursor this API issued' }]);
  },
};
