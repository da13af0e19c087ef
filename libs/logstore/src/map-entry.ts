/** One line of a mailbox map: which mailbox item holds a source item, and the hash of what was written. */
export interface MapEntry {
  sourceKey: string;
  itemId: string;
  contentHash: string;
}
