import { TEST_SERVERS } from '@app/config';
import { FieldCipher, KeyRing, keyIdOf } from '@app/crypto';
import { MongoClient } from 'mongodb';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLogStore } from './embedded-log-store';
import type { LogStore } from './log-store';
import { MONGO_COLLECTIONS } from './mongo-collections';
import { MongoLogStore } from './mongo-log-store';
import type { SnapshotItem } from './snapshot-item';

const oldKey = { id: 'old', material: randomBytes(32) };
const newKey = { id: 'new', material: randomBytes(32) };
const cipherOf = (activeKeyId: string, keys: (typeof oldKey)[]) =>
  new FieldCipher(new KeyRing({ activeKeyId, keys }));

/** Opens the same stored data again with another key ring; returns the raw part payloads. */
interface Adapter {
  open(cipher: FieldCipher): Promise<LogStore>;
  rawPayloads(): Promise<string[]>;
  drop(): Promise<void>;
}

function embedded(): Adapter {
  const path = join(mkdtempSync(join(tmpdir(), 'logstore-rot-')), 'logstore.db');
  return {
    async open(cipher) {
      return EmbeddedLogStore.open(path, cipher, { retentionDays: 30, snapshotPartSize: 10 });
    },
    async rawPayloads() {
      const s = EmbeddedLogStore.open(path, cipherOf('new', [newKey]), { retentionDays: 30 });
      try {
        return (
          s.connection.prepare('SELECT payload FROM snapshots WHERE part_no > 0').all() as Array<{
            payload: string;
          }>
        ).map((r) => r.payload);
      } finally {
        await s.close();
      }
    },
    async drop() {},
  };
}

function mongo(server: string): Adapter {
  const url = new URL(server);
  url.pathname = `/rot_${randomUUID().slice(0, 8)}`;
  return {
    open: (cipher) =>
      MongoLogStore.connect(url.toString(), cipher, { retentionDays: 30, snapshotPartSize: 10 }),
    async rawPayloads() {
      const client = await MongoClient.connect(url.toString());
      try {
        const docs = await client
          .db()
          .collection(MONGO_COLLECTIONS.snapshots)
          .find({ partNo: { $gt: 0 } })
          .toArray();
        return docs.map((d) => d.payload as string);
      } finally {
        await client.close();
      }
    },
    async drop() {
      const client = await MongoClient.connect(url.toString());
      await client.db().dropDatabase();
      await client.close();
    },
  };
}

// The embedded adapter always; MongoDB where MONGO_URL points at a server (as the contract suite).
const adapters: [string, () => Adapter][] = [['embedded (SQLite)', embedded]];
if (TEST_SERVERS.mongoUrl) adapters.push(['MongoDB', () => mongo(TEST_SERVERS.mongoUrl!)]);

describe.each(adapters)('snapshot key rotation: %s', (_name, make) => {
  it('re-encrypts every part under the active key, resumably; the old key can then go', async () => {
    const adapter = make();
    const items = (n: number, who: string): SnapshotItem[] =>
      Array.from({ length: n }, (_, i) => ({
        sourceKey: `${who}-${i}`,
        contentHash: `h${i}`,
        content: { displayName: `${who} ${i}` },
      }));
    try {
      // Two tenants' snapshots (25 and 7 items: 3 + 1 parts) written under the old key.
      const before = await adapter.open(cipherOf('old', [oldKey]));
      await before.putSnapshot('tenant-a', 'list-1', { items: items(25, 'A') });
      await before.putSnapshot('tenant-b', 'list-1', { items: items(7, 'B') });
      await before.close();
      expect((await adapter.rawPayloads()).map(keyIdOf)).toEqual(['old', 'old', 'old', 'old']);

      const rotating = await adapter.open(cipherOf('new', [oldKey, newKey]));
      expect(await rotating.reencryptSnapshots({ batchSize: 3 })).toEqual({
        scanned: 4,
        reencrypted: 4,
        changedMeanwhile: 0,
      });
      // Nothing left: a second pass only reads.
      expect(await rotating.reencryptSnapshots()).toEqual({
        scanned: 4,
        reencrypted: 0,
        changedMeanwhile: 0,
      });
      await rotating.close();
      expect((await adapter.rawPayloads()).map(keyIdOf)).toEqual(['new', 'new', 'new', 'new']);

      // Only the new key: every snapshot reads back whole.
      const after = await adapter.open(cipherOf('new', [newKey]));
      expect((await after.getSnapshot('tenant-a', 'list-1'))?.items).toEqual(items(25, 'A'));
      expect((await after.getSnapshot('tenant-b', 'list-1'))?.items).toEqual(items(7, 'B'));
      await after.close();
    } finally {
      await adapter.drop();
    }
  });
});
