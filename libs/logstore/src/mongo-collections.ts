/** Names of the MongoDB collections of the log store. */
export const MONGO_COLLECTIONS = {
  logs: 'logs',
  snapshots: 'snapshots',
  mapChunks: 'map_chunks',
} as const;
