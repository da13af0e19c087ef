/** Rows or documents removed by `deleteTenant` (map and snapshot counts include headers). */
export interface TenantWipeResult {
  logs: number;
  snapshots: number;
  mapChunks: number;
}
