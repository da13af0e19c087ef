import type { Document } from 'mongodb';
import { MONGO_COLLECTIONS } from './mongo-collections';
import type { LogStoreHarness } from './log-store-harness';
import { ManualClock } from './manual-clock';
import { MongoLogStore } from './mongo-log-store';
import { testCipher } from './test-cipher';

/**
 * The MongoDB adapter against a real server at `url`. The clock starts at the real time, so
 * the server's TTL monitor never deletes test data under the tests (it is only moved forward).
 */
export async function openMongoHarness(url: string): Promise<LogStoreHarness> {
  const clock = new ManualClock(new Date());
  const mapChunkSize = 1000;
  const retentionDays = 30;
  const store = await MongoLogStore.connect(url, testCipher(), {
    retentionDays,
    clock,
    mapChunkSize,
  });
  const db = store.database;
  const values = async (collection: string, tenantId: string, field: string): Promise<unknown[]> =>
    (
      await db
        .collection(collection)
        .find({ tenantId })
        .project({ [field]: 1 })
        .toArray()
    ).map((doc: Document) => doc[field] as unknown);
  return {
    store,
    clock,
    mapChunkSize,
    async rawSnapshotPayloads(tenantId, listId) {
      const docs = await db
        .collection(MONGO_COLLECTIONS.snapshots)
        .find({ tenantId, listId, partNo: { $gt: 0 } })
        .toArray();
      return docs.map((d) => d.payload as string);
    },
    rawMapDataChunks(tenantId, listId, mailboxId) {
      return db
        .collection(MONGO_COLLECTIONS.mapChunks)
        .countDocuments({ tenantId, listId, mailboxId, chunkNo: { $gt: 0 } });
    },
    async rawCounts(tenantId) {
      const [logs, snapshots, mapChunks] = await Promise.all(
        [MONGO_COLLECTIONS.logs, MONGO_COLLECTIONS.snapshots, MONGO_COLLECTIONS.mapChunks].map(
          (c) => db.collection(c).countDocuments({ tenantId }),
        ),
      );
      return { logs, snapshots, mapChunks };
    },
    expiry: {
      kind: 'ttl',
      retentionSeconds: retentionDays * 86_400,
      async ttlIndexes() {
        const result = [];
        for (const collection of Object.values(MONGO_COLLECTIONS)) {
          for (const index of await db.collection(collection).listIndexes().toArray()) {
            if (index.expireAfterSeconds !== undefined) {
              result.push({
                collection,
                key: index.key as Record<string, unknown>,
                expireAfterSeconds: index.expireAfterSeconds,
              });
            }
          }
        }
        return result;
      },
      async rawTtlFields(tenantId) {
        return {
          logAt: await values(MONGO_COLLECTIONS.logs, tenantId, 'at'),
          snapshotAt: await values(MONGO_COLLECTIONS.snapshots, tenantId, 'at'),
          mapLastUsedAt: await values(MONGO_COLLECTIONS.mapChunks, tenantId, 'lastUsedAt'),
        };
      },
    },
    async close() {
      await store.close();
    },
  };
}
