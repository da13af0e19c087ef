/** Header of the current version of a mailbox map. */
export interface MapInfo {
  entryCount: number;
  chunkCount: number;
  writtenAt: Date;
  lastUsedAt: Date;
}
