export type LogStoreErrorCode =
  /** A tenant id, list id, mailbox id or option is missing or out of range. */
  | 'INVALID_ARGUMENT'
  /** A paging cursor that this store did not issue. */
  | 'INVALID_CURSOR'
  /** A map lost chunks (e.g. expiry raced a read): treat it as absent and rebuild it. */
  | 'MAP_INCOMPLETE'
  /** A snapshot lost parts: treat it as absent. */
  | 'SNAPSHOT_INCOMPLETE'
  /** An index of ours exists with another definition; we never drop indexes ourselves. */
  | 'INDEX_CONFLICT'
  /** The store was used after close(). */
  | 'STORE_CLOSED';
