import type { Clock } from './clock';

/** LogStoreOptions after validation and defaults. */
export interface ResolvedLogStoreOptions {
  retentionDays: number;
  retentionMs: number;
  clock: Clock;
  mapChunkSize: number;
  snapshotPartSize: number;
}
