/** One resolved member of a list. `content` is any JSON value; it is stored encrypted. */
export interface SnapshotItem {
  sourceKey: string;
  contentHash: string;
  content: unknown;
}
