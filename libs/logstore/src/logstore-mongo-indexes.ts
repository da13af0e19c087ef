import type { MongoIndexSpec } from './mongo-index-spec';

/**
 * Every index of the MongoDB adapter, exactly. Compound indexes start with tenantId so each
 * query is confined to one tenant's range. TTL indexes are single-field on Date fields (a TTL
 * index must be single-field, and a non-Date value never expires): logs and snapshots expire
 * by write time (`at`), map chunks by last use (`lastUsedAt`, refreshed by touchMap).
 * expireAfterSeconds is the configured retention (see ensureMongoIndexes).
 */
export const LOGSTORE_MONGO_INDEXES: readonly MongoIndexSpec[] = [
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
];
