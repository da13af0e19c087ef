import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLogStore } from './embedded-log-store';
import type { LogStoreHarness } from './log-store-harness';
import { ManualClock } from './manual-clock';
import { testCipher } from './test-cipher';

/** The embedded adapter on a real file (WAL and all) in a temporary directory. */
export async function openEmbeddedHarness(): Promise<LogStoreHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'logstore-'));
  const clock = new ManualClock();
  const mapChunkSize = 1000;
  const store = EmbeddedLogStore.open(join(dir, 'logstore.db'), testCipher(), {
    retentionDays: 30,
    clock,
    mapChunkSize,
  });
  const db = store.connection;
  const count = (sql: string, ...params: unknown[]): number =>
    (db.prepare(sql).get(...params) as { n: number }).n;
  return {
    store,
    clock,
    mapChunkSize,
    async rawSnapshotPayloads(tenantId, listId) {
      return (
        db
          .prepare(
            'SELECT payload FROM snapshots WHERE tenant_id = ? AND list_id = ? AND part_no > 0',
          )
          .all(tenantId, listId) as { payload: string }[]
      ).map((r) => r.payload);
    },
    async rawMapDataChunks(tenantId, listId, mailboxId) {
      return count(
        'SELECT COUNT(*) AS n FROM map_chunks WHERE tenant_id = ? AND list_id = ? AND mailbox_id = ? AND chunk_no > 0',
        tenantId,
        listId,
        mailboxId,
      );
    },
    async rawCounts(tenantId) {
      return {
        logs: count('SELECT COUNT(*) AS n FROM logs WHERE tenant_id = ?', tenantId),
        snapshots: count('SELECT COUNT(*) AS n FROM snapshots WHERE tenant_id = ?', tenantId),
        mapChunks: count('SELECT COUNT(*) AS n FROM map_chunks WHERE tenant_id = ?', tenantId),
      };
    },
    expiry: { kind: 'purge', purge: (now) => store.purgeExpired(now) },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
