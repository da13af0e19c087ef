import type { SnapshotItem } from './snapshot-item';

/** The latest snapshot of a list's resolved members, decrypted. */
export interface ListSnapshot {
  listId: string;
  runId?: string;
  at: Date;
  items: SnapshotItem[];
}
