import type { Db } from 'mongodb';
import { ensureMongoIndexes } from './ensure-mongo-indexes';
import { LogStoreError } from './log-store-error';
import { LOGSTORE_MONGO_INDEXES } from './logstore-mongo-indexes';

describe('LOGSTORE_MONGO_INDEXES', () => {
  it('is exactly this set of indexes', () => {
    expect(LOGSTORE_MONGO_INDEXES).toEqual([
      { collection: 'logs', name: 'logs_tenant_at', key: { tenantId: 1, at: -1, _id: -1 } },
      {
        collection: 'logs',
        name: 'logs_tenant_run_at',
        key: { tenantId: 1, runId: 1, at: -1, _id: -1 },
      },
      {
        collection: 'logs',
        name: 'logs_tenant_mailbox_at',
        key: { tenantId: 1, mailboxId: 1, at: -1, _id: -1 },
      },
      {
        collection: 'logs',
        name: 'logs_tenant_level_at',
        key: { tenantId: 1, level: 1, at: -1, _id: -1 },
      },
      { collection: 'logs', name: 'logs_ttl_at', key: { at: 1 }, ttl: true },
      {
        collection: 'snapshots',
        name: 'snapshots_tenant_list_version_part',
        key: { tenantId: 1, listId: 1, version: 1, partNo: 1 },
        unique: true,
      },
      {
        collection: 'snapshots',
        name: 'snapshots_tenant_list_part_at',
        key: { tenantId: 1, listId: 1, partNo: 1, at: -1 },
      },
      { collection: 'snapshots', name: 'snapshots_ttl_at', key: { at: 1 }, ttl: true },
      {
        collection: 'map_chunks',
        name: 'map_chunks_tenant_list_mailbox_generation_chunk',
        key: { tenantId: 1, listId: 1, mailboxId: 1, generation: 1, chunkNo: 1 },
        unique: true,
      },
      {
        collection: 'map_chunks',
        name: 'map_chunks_tenant_list_mailbox_chunk_written',
        key: { tenantId: 1, listId: 1, mailboxId: 1, chunkNo: 1, writtenAt: -1 },
      },
      {
        collection: 'map_chunks',
        name: 'map_chunks_ttl_last_used_at',
        key: { lastUsedAt: 1 },
        ttl: true,
      },
    ]);
  });

  it('keys field order: tenantId first in every compound index, TTL indexes single-field', () => {
    for (const spec of LOGSTORE_MONGO_INDEXES) {
      const fields = Object.keys(spec.key);
      if (spec.ttl) expect(fields).toHaveLength(1);
      else expect(fields[0]).toBe('tenantId');
    }
  });
});

/**
 * A hand-written fake of the small part of the driver's Db/Collection surface that
 * ensureMongoIndexes uses (collection().listIndexes().toArray(), collection().createIndex(),
 * command()). No MongoDB server can run here; the contract suite covers the real driver when
 * MONGO_URL is set. It records every call, and has no dropIndex at all.
 */
class FakeDb {
  readonly calls: unknown[][] = [];
  constructor(private readonly indexes: Record<string, Record<string, unknown>[] | 'missing'>) {}

  collection(name: string) {
    return {
      listIndexes: () => ({
        toArray: async () => {
          const list = this.indexes[name];
          if (list === undefined || list === 'missing') {
            throw Object.assign(new Error(`ns does not exist: test.${name}`), { code: 26 });
          }
          return list;
        },
      }),
      createIndex: async (key: unknown, options: unknown) => {
        this.calls.push(['createIndex', name, key, options]);
        return (options as { name: string }).name;
      },
    };
  }

  async command(command: unknown) {
    this.calls.push(['command', command]);
    return { ok: 1 };
  }

  asDb(): Db {
    return this as unknown as Db;
  }
}

/** The indexes as listIndexes reports them once created with the given retention. */
function serverIndexes(retentionSeconds: number): Record<string, Record<string, unknown>[]> {
  const byCollection: Record<string, Record<string, unknown>[]> = {};
  for (const spec of LOGSTORE_MONGO_INDEXES) {
    (byCollection[spec.collection] ??= [{ v: 2, key: { _id: 1 }, name: '_id_' }]).push({
      v: 2,
      key: { ...spec.key },
      name: spec.name,
      ...(spec.unique && { unique: true }),
      ...(spec.ttl && { expireAfterSeconds: retentionSeconds }),
    });
  }
  return byCollection;
}

describe('ensureMongoIndexes', () => {
  it('creates every index with its exact key and options on an empty database', async () => {
    const db = new FakeDb({});
    const report = await ensureMongoIndexes(db.asDb(), 30);
    expect(db.calls).toEqual([
      ['createIndex', 'logs', { tenantId: 1, at: -1, _id: -1 }, { name: 'logs_tenant_at' }],
      [
        'createIndex',
        'logs',
        { tenantId: 1, runId: 1, at: -1, _id: -1 },
        { name: 'logs_tenant_run_at' },
      ],
      [
        'createIndex',
        'logs',
        { tenantId: 1, mailboxId: 1, at: -1, _id: -1 },
        { name: 'logs_tenant_mailbox_at' },
      ],
      [
        'createIndex',
        'logs',
        { tenantId: 1, level: 1, at: -1, _id: -1 },
        { name: 'logs_tenant_level_at' },
      ],
      ['createIndex', 'logs', { at: 1 }, { name: 'logs_ttl_at', expireAfterSeconds: 2_592_000 }],
      [
        'createIndex',
        'snapshots',
        { tenantId: 1, listId: 1, version: 1, partNo: 1 },
        { name: 'snapshots_tenant_list_version_part', unique: true },
      ],
      [
        'createIndex',
        'snapshots',
        { tenantId: 1, listId: 1, partNo: 1, at: -1 },
        { name: 'snapshots_tenant_list_part_at' },
      ],
      [
        'createIndex',
        'snapshots',
        { at: 1 },
        { name: 'snapshots_ttl_at', expireAfterSeconds: 2_592_000 },
      ],
      [
        'createIndex',
        'map_chunks',
        { tenantId: 1, listId: 1, mailboxId: 1, generation: 1, chunkNo: 1 },
        { name: 'map_chunks_tenant_list_mailbox_generation_chunk', unique: true },
      ],
      [
        'createIndex',
        'map_chunks',
        { tenantId: 1, listId: 1, mailboxId: 1, chunkNo: 1, writtenAt: -1 },
        { name: 'map_chunks_tenant_list_mailbox_chunk_written' },
      ],
      [
        'createIndex',
        'map_chunks',
        { lastUsedAt: 1 },
        { name: 'map_chunks_ttl_last_used_at', expireAfterSeconds: 2_592_000 },
      ],
    ]);
    expect(report.created).toHaveLength(11);
  });

  it('does nothing when every index already matches (idempotent start-up)', async () => {
    const db = new FakeDb(serverIndexes(7 * 86_400));
    const report = await ensureMongoIndexes(db.asDb(), 7);
    expect(db.calls).toEqual([]);
    expect(report).toEqual({
      created: [],
      modified: [],
      unchanged: LOGSTORE_MONGO_INDEXES.map((s) => s.name),
    });
  });

  it('changes a TTL in place with collMod when the retention changed, never dropping it', async () => {
    const db = new FakeDb(serverIndexes(30 * 86_400));
    const report = await ensureMongoIndexes(db.asDb(), 7);
    expect(db.calls).toEqual([
      [
        'command',
        { collMod: 'logs', index: { keyPattern: { at: 1 }, expireAfterSeconds: 604_800 } },
      ],
      [
        'command',
        { collMod: 'snapshots', index: { keyPattern: { at: 1 }, expireAfterSeconds: 604_800 } },
      ],
      [
        'command',
        {
          collMod: 'map_chunks',
          index: { keyPattern: { lastUsedAt: 1 }, expireAfterSeconds: 604_800 },
        },
      ],
    ]);
    expect(report.modified).toEqual([
      'logs_ttl_at',
      'snapshots_ttl_at',
      'map_chunks_ttl_last_used_at',
    ]);
  });

  it('recognises an index by its key even under another name, and numbers returned as doubles', async () => {
    const indexes = serverIndexes(86_400);
    indexes.logs = indexes.logs.map((i) =>
      i.name === 'logs_ttl_at' ? { ...i, name: 'at_1', key: { at: 1.0 } } : i,
    );
    const db = new FakeDb(indexes);
    await ensureMongoIndexes(db.asDb(), 2);
    expect(db.calls).toContainEqual([
      'command',
      { collMod: 'logs', index: { keyPattern: { at: 1 }, expireAfterSeconds: 172_800 } },
    ]);
    expect(db.calls.filter((c) => c[0] === 'createIndex')).toEqual([]);
  });

  it('refuses, with INDEX_CONFLICT, an index whose definition it would have to drop', async () => {
    const notTtl = serverIndexes(86_400);
    notTtl.logs = notTtl.logs.map((i) =>
      i.name === 'logs_ttl_at' ? { v: 2, key: { at: 1 }, name: 'logs_ttl_at' } : i,
    );
    await expect(ensureMongoIndexes(new FakeDb(notTtl).asDb(), 1)).rejects.toMatchObject({
      code: 'INDEX_CONFLICT',
    });

    const otherKey = serverIndexes(86_400);
    otherKey.snapshots = otherKey.snapshots.map((i) =>
      i.name === 'snapshots_tenant_list_part_at' ? { ...i, key: { listId: 1 } } : i,
    );
    await expect(ensureMongoIndexes(new FakeDb(otherKey).asDb(), 1)).rejects.toBeInstanceOf(
      LogStoreError,
    );

    const notUnique = serverIndexes(86_400);
    notUnique.map_chunks = notUnique.map_chunks.map((i) => {
      const { unique: _unique, ...rest } = i;
      return rest;
    });
    await expect(ensureMongoIndexes(new FakeDb(notUnique).asDb(), 1)).rejects.toMatchObject({
      code: 'INDEX_CONFLICT',
    });
  });

  it('passes on errors other than a missing collection', async () => {
    const db = new FakeDb({});
    db.collection = () => ({
      listIndexes: () => ({
        toArray: async () => Promise.reject(Object.assign(new Error('auth'), { code: 13 })),
      }),
      createIndex: async () => '',
    });
    await expect(ensureMongoIndexes(db.asDb(), 30)).rejects.toThrow('auth');
  });
});
