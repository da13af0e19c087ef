import type { LogStore } from './log-store';
import type { ManualClock } from './manual-clock';
import type { PurgeResult } from './purge-result';

/**
 * What the contract suite needs from an adapter besides the port: its clock, and a look at
 * the raw stored data (to prove encryption, chunking and Date-typed TTL fields).
 */
export interface LogStoreHarness {
  store: LogStore;
  clock: ManualClock;
  mapChunkSize: number;
  /** Encrypted snapshot parts exactly as stored. */
  rawSnapshotPayloads(tenantId: string, listId: string): Promise<string[]>;
  /** Stored data chunks (headers excluded) of a map, all generations. */
  rawMapDataChunks(tenantId: string, listId: string, mailboxId: string): Promise<number>;
  /** Everything stored for a tenant, headers included. */
  rawCounts(tenantId: string): Promise<{ logs: number; snapshots: number; mapChunks: number }>;
  expiry:
    | { kind: 'purge'; purge(now: Date): Promise<PurgeResult> }
    | {
        kind: 'ttl';
        retentionSeconds: number;
        /** TTL indexes as the server reports them. */
        ttlIndexes(): Promise<
          { collection: string; key: Record<string, unknown>; expireAfterSeconds: unknown }[]
        >;
        /** The raw TTL field values of a tenant's documents. */
        rawTtlFields(
          tenantId: string,
        ): Promise<{ logAt: unknown[]; snapshotAt: unknown[]; mapLastUsedAt: unknown[] }>;
      };
  close(): Promise<void>;
}
