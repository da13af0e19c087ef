/** Rows removed by one purge pass of the embedded store. */
export interface PurgeResult {
  logs: number;
  snapshots: number;
  mapChunks: number;
}
