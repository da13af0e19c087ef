import type { Clock } from './clock';

/** LogStoreOptions after validation and defaults. */
export interface ResolvedLogStoreOptions {
  retentionDays: number;
  retentionMs: number;
  /**
   * How stale a map's last-use time may get before a touch rewrites it (1/30 of the retention:
   * a day at 30 days). A no-op sync every hour then only reads; a map may expire that much early.
   */
  touchPrecisionMs: number;
  clock: Clock;
  mapChunkSize: number;
  snapshotPartSize: number;
}
