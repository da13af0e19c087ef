import type { ErrorCodeSummary } from './error-code-summary';
import type { ListSnapshot } from './list-snapshot';
import type { LogEntryInput } from './log-entry-input';
import type { LogPage } from './log-page';
import type { LogQuery } from './log-query';
import type { MailboxOutcome } from './mailbox-outcome';
import type { MapEntry } from './map-entry';
import type { MapEntrySource } from './map-entry-source';
import type { MapInfo } from './map-info';
import type { RotationResult } from './rotation-result';
import type { RunSummary } from './run-summary';
import type { SnapshotInput } from './snapshot-input';
import type { TenantWipeResult } from './tenant-wipe-result';

/**
 * Operational logs and rebuildable caches, kept for `LOG_RETENTION_DAYS` (at most 30).
 *
 * Tenant-scoped by construction: every data method takes the tenant id first and only ever
 * touches that tenant's entries; there is no cross-tenant query. Logs and snapshots expire by
 * write time, mailbox maps by last use (`writeMap` and `touchMap` count as use).
 * Inject with `@Inject(LOG_STORE)`.
 */
export interface LogStore {
  appendLogs(tenantId: string, entries: readonly LogEntryInput[]): Promise<void>;
  /** Newest first, paged with an opaque cursor. */
  queryLogs(tenantId: string, query?: LogQuery): Promise<LogPage>;

  /** Runs with log entries, most recently active first. */
  recentRuns(tenantId: string, options?: { limit?: number }): Promise<RunSummary[]>;
  /** One line per mailbox that logged in the run, by mailbox id. */
  mailboxOutcomes(tenantId: string, runId: string): Promise<MailboxOutcome[]>;
  /** Error entries grouped by code, most frequent first. */
  errorSummary(
    tenantId: string,
    options?: { runId?: string; since?: Date },
  ): Promise<ErrorCodeSummary[]>;

  /** Replaces the list's snapshot; contents are encrypted at rest. */
  putSnapshot(tenantId: string, listId: string, snapshot: SnapshotInput): Promise<void>;
  getSnapshot(tenantId: string, listId: string): Promise<ListSnapshot | undefined>;
  deleteSnapshot(tenantId: string, listId: string): Promise<boolean>;

  /**
   * Replaces the map of (list, mailbox), consuming `entries` lazily chunk by chunk. The new
   * map becomes visible only once complete; a failed write leaves the previous one in place.
   * One writer per map at a time (the engine runs one sync per list).
   */
  writeMap(
    tenantId: string,
    listId: string,
    mailboxId: string,
    entries: MapEntrySource,
  ): Promise<MapInfo>;
  /**
   * The map page by page (one stored chunk per page), never loaded whole. Yields nothing when
   * there is no map. @throws LogStoreError MAP_INCOMPLETE when chunks vanished under it.
   */
  readMap(tenantId: string, listId: string, mailboxId: string): AsyncIterable<readonly MapEntry[]>;
  getMapInfo(tenantId: string, listId: string, mailboxId: string): Promise<MapInfo | undefined>;
  /**
   * Counts as a use of the map (false when there is none). A last use more recent than
   * retention/30 is left as it is, so frequent touches cost a read, not a write.
   */
  touchMap(tenantId: string, listId: string, mailboxId: string): Promise<boolean>;
  deleteMap(tenantId: string, listId: string, mailboxId: string): Promise<boolean>;

  /** Deletes every log, snapshot and map of the tenant (clean-up after revocation). */
  deleteTenant(tenantId: string): Promise<TenantWipeResult>;

  /**
   * Key rotation: re-encrypts every stored snapshot part that is not under the active key, in
   * batches, while the product runs (a part replaced meanwhile is left to its new writer).
   * Re-running resumes: parts already under the active key are skipped.
   */
  reencryptSnapshots(options?: { batchSize?: number }): Promise<RotationResult>;

  /** Releases the connection; later calls fail with STORE_CLOSED. */
  close(): Promise<void>;
}
