import type { Clock } from './clock';

/** Tuning shared by both adapters. */
export interface LogStoreOptions {
  /** Days logs and snapshots live after writing, and maps after last use (1-30). */
  retentionDays: number;
  clock?: Clock;
  /** Entries per stored map chunk (default 1000, i.e. 100 chunks for a 100,000-entry map). */
  mapChunkSize?: number;
  /** Items per encrypted snapshot part (default 500), keeping each part far below 16 MB. */
  snapshotPartSize?: number;
}
