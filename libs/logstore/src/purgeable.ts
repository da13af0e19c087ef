import type { PurgeResult } from './purge-result';

/** A store whose expiry is done by us rather than by the database (the embedded one). */
export interface Purgeable {
  purgeExpired(now: Date): Promise<PurgeResult>;
}
