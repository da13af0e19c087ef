import type { SnapshotItem } from './snapshot-item';

export interface SnapshotInput {
  runId?: string;
  items: readonly SnapshotItem[];
  /** Defaults to the store's clock. Expiry counts from this time. */
  at?: Date;
}
