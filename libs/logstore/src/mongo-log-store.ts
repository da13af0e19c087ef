import type { FieldCipher } from '@app/crypto';
import { randomUUID } from 'node:crypto';
import {
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Filter,
  MongoClient,
  type ObjectId,
} from 'mongodb';
import { chunkMapEntries } from './chunk-map-entries';
import { ensureMongoIndexes } from './ensure-mongo-indexes';
import type { ErrorCodeSummary } from './error-code-summary';
import type { ListSnapshot } from './list-snapshot';
import { logCursor } from './log-cursor';
import type { LogEntryInput } from './log-entry-input';
import type { LogLevel } from './log-level';
import type { LogPage } from './log-page';
import type { LogQuery } from './log-query';
import type { LogRecord } from './log-record';
import type { LogStore } from './log-store';
import { LogStoreError } from './log-store-error';
import type { LogStoreOptions } from './log-store-options';
import type { MailboxOutcome } from './mailbox-outcome';
import { mapChunkCodec } from './map-chunk-codec';
import type { MapEntry } from './map-entry';
import type { MapEntrySource } from './map-entry-source';
import type { MapInfo } from './map-info';
import { MONGO_COLLECTIONS } from './mongo-collections';
import { pageLimit } from './page-limit';
import { requireId } from './require-id';
import { resolveLogStoreOptions } from './resolve-log-store-options';
import type { ResolvedLogStoreOptions } from './resolved-log-store-options';
import type { RunSummary } from './run-summary';
import type { RotationResult } from './rotation-result';
import type { SnapshotInput } from './snapshot-input';
import { SnapshotPartCipher } from './snapshot-part-cipher';
import type { TenantWipeResult } from './tenant-wipe-result';
import { validateLogEntry } from './validate-log-entry';

/** Chunks sent per unordered bulk write: bounds memory to a few chunks while writing a map. */
const CHUNKS_PER_BULK = 8;

interface LogDoc {
  _id: string;
  tenantId: string;
  at: Date;
  runId?: string;
  mailboxId?: string;
  jobId?: string;
  level: LogLevel;
  code?: string;
  message: string;
}

interface SnapshotDoc {
  _id?: ObjectId;
  tenantId: string;
  listId: string;
  version: string;
  /** 0 is the header, written last; 1..partCount hold the encrypted items. */
  partNo: number;
  partCount: number;
  itemCount: number;
  runId?: string;
  at: Date;
  payload?: string;
}

interface MapChunkDoc {
  _id?: ObjectId;
  tenantId: string;
  listId: string;
  mailboxId: string;
  generation: string;
  /** 0 is the header, written last; 1..chunkCount hold packed entries. */
  chunkNo: number;
  entryCount: number;
  chunkCount: number;
  writtenAt: Date;
  lastUsedAt: Date;
  entries?: string;
}

/**
 * The log store on MongoDB (selected when MONGO_URL is set). Expiry is MongoDB's own TTL
 * monitor on real Date fields (see LOGSTORE_MONGO_INDEXES), so there is no purge job; the
 * monitor runs about once a minute, so expired entries may linger briefly.
 */
export class MongoLogStore implements LogStore {
  private readonly options: ResolvedLogStoreOptions;
  private readonly parts: SnapshotPartCipher;
  private readonly logs: Collection<LogDoc>;
  private readonly snapshots: Collection<SnapshotDoc>;
  private readonly mapChunks: Collection<MapChunkDoc>;
  private closed = false;

  constructor(
    private readonly db: Db,
    cipher: FieldCipher,
    options: LogStoreOptions,
    /** Closed by close() when the store opened it itself. */
    private readonly ownedClient?: MongoClient,
  ) {
    this.options = resolveLogStoreOptions(options);
    this.parts = new SnapshotPartCipher(cipher);
    this.logs = db.collection<LogDoc>(MONGO_COLLECTIONS.logs);
    this.snapshots = db.collection<SnapshotDoc>(MONGO_COLLECTIONS.snapshots);
    this.mapChunks = db.collection<MapChunkDoc>(MONGO_COLLECTIONS.mapChunks);
  }

  /** Connects to `url` (database from its path), ensures the indexes, and owns the client. */
  static async connect(
    url: string,
    cipher: FieldCipher,
    options: LogStoreOptions,
  ): Promise<MongoLogStore> {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: 10_000,
      appName: 'contact-sync-logstore',
    });
    await client.connect();
    try {
      const store = new MongoLogStore(client.db(), cipher, options, client);
      await store.ensureIndexes();
      return store;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  /** The database handle, for tests that must see raw documents and index definitions. */
  get database(): Db {
    return this.db;
  }

  ensureIndexes(): ReturnType<typeof ensureMongoIndexes> {
    return ensureMongoIndexes(this.db, this.options.retentionDays);
  }

  async appendLogs(tenantId: string, entries: readonly LogEntryInput[]): Promise<void> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    entries.forEach(validateLogEntry);
    if (entries.length === 0) return;
    const now = this.options.clock.now();
    const docs: LogDoc[] = entries.map((e) => ({
      _id: randomUUID(),
      tenantId,
      at: e.at ?? now,
      ...(e.runId !== undefined && { runId: e.runId }),
      ...(e.mailboxId !== undefined && { mailboxId: e.mailboxId }),
      ...(e.jobId !== undefined && { jobId: e.jobId }),
      level: e.level,
      ...(e.code !== undefined && { code: e.code }),
      message: e.message,
    }));
    await this.logs.insertMany(docs, { ordered: false });
  }

  async queryLogs(tenantId: string, query: LogQuery = {}): Promise<LogPage> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    const limit = pageLimit(query.limit, 100, 1000);
    const filter: Filter<LogDoc> = { tenantId };
    if (query.runId !== undefined) filter.runId = query.runId;
    if (query.mailboxId !== undefined) filter.mailboxId = query.mailboxId;
    if (query.level !== undefined) filter.level = query.level;
    if (query.cursor !== undefined) {
      const { at, id } = logCursor.decode(query.cursor);
      filter.$or = [{ at: { $lt: at } }, { at, _id: { $lt: id } }];
    }
    const docs = await this.logs
      .find(filter)
      .sort({ at: -1, _id: -1 })
      .limit(limit + 1)
      .toArray();
    const items = docs.slice(0, limit).map(toLogRecord);
    const last = items[items.length - 1];
    return docs.length > limit && last
      ? { items, nextCursor: logCursor.encode(last.at, last.id) }
      : { items };
  }

  async recentRuns(tenantId: string, options: { limit?: number } = {}): Promise<RunSummary[]> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    const limit = pageLimit(options.limit, 20, 500);
    const rows = await this.logs
      .aggregate<{
        _id: string;
        firstAt: Date;
        lastAt: Date;
        entries: number;
        errors: number;
        warnings: number;
        mailboxes: number;
      }>([
        { $match: { tenantId, runId: { $exists: true } } },
        {
          $group: {
            _id: '$runId',
            firstAt: { $min: '$at' },
            lastAt: { $max: '$at' },
            entries: { $sum: 1 },
            errors: { $sum: { $cond: [{ $eq: ['$level', 'error'] }, 1, 0] } },
            warnings: { $sum: { $cond: [{ $eq: ['$level', 'warn'] }, 1, 0] } },
            // $addToSet skips documents where the field is missing.
            mailboxes: { $addToSet: '$mailboxId' },
          },
        },
        { $sort: { lastAt: -1, _id: 1 } },
        { $limit: limit },
        { $set: { mailboxes: { $size: '$mailboxes' } } },
      ])
      .toArray();
    return rows.map((r) => ({
      runId: r._id,
      firstAt: r.firstAt,
      lastAt: r.lastAt,
      entries: r.entries,
      errors: r.errors,
      warnings: r.warnings,
      mailboxes: r.mailboxes,
    }));
  }

  async mailboxOutcomes(tenantId: string, runId: string): Promise<MailboxOutcome[]> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('runId', runId);
    type Last = { _id: string; lastAt: Date; lastMessage: string; lastCode?: string | null };
    const [rows, errors] = await Promise.all([
      this.logs
        .aggregate<Last & { errors: number; warnings: number }>([
          { $match: { tenantId, runId, mailboxId: { $exists: true } } },
          { $sort: { at: -1, _id: -1 } },
          {
            $group: {
              _id: '$mailboxId',
              lastAt: { $first: '$at' },
              lastMessage: { $first: '$message' },
              lastCode: { $first: '$code' },
              errors: { $sum: { $cond: [{ $eq: ['$level', 'error'] }, 1, 0] } },
              warnings: { $sum: { $cond: [{ $eq: ['$level', 'warn'] }, 1, 0] } },
            },
          },
          { $sort: { _id: 1 } },
        ])
        .toArray(),
      this.logs
        .aggregate<Last>([
          { $match: { tenantId, runId, level: 'error', mailboxId: { $exists: true } } },
          { $sort: { at: -1, _id: -1 } },
          {
            $group: {
              _id: '$mailboxId',
              lastAt: { $first: '$at' },
              lastMessage: { $first: '$message' },
              lastCode: { $first: '$code' },
            },
          },
        ])
        .toArray(),
    ]);
    const lastErrors = new Map(errors.map((e) => [e._id, e]));
    return rows.map((r) => {
      const lastError = lastErrors.get(r._id);
      return {
        mailboxId: r._id,
        status: r.errors > 0 ? 'failed' : r.warnings > 0 ? 'warning' : 'ok',
        errors: r.errors,
        warnings: r.warnings,
        lastAt: r.lastAt,
        lastMessage: r.lastMessage,
        ...(typeof r.lastCode === 'string' && { lastCode: r.lastCode }),
        ...(lastError && {
          lastError: {
            ...(typeof lastError.lastCode === 'string' && { code: lastError.lastCode }),
            message: lastError.lastMessage,
            at: lastError.lastAt,
          },
        }),
      };
    });
  }

  async errorSummary(
    tenantId: string,
    options: { runId?: string; since?: Date } = {},
  ): Promise<ErrorCodeSummary[]> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    const match: Filter<LogDoc> = { tenantId, level: 'error' };
    if (options.runId !== undefined) match.runId = options.runId;
    if (options.since !== undefined) match.at = { $gte: options.since };
    const rows = await this.logs
      .aggregate<{
        _id: string;
        count: number;
        mailboxes: number;
        lastAt: Date;
        lastMessage: string;
      }>([
        { $match: match },
        { $sort: { at: -1, _id: -1 } },
        {
          $group: {
            _id: { $ifNull: ['$code', 'UNCODED'] },
            count: { $sum: 1 },
            mailboxes: { $addToSet: '$mailboxId' },
            lastAt: { $first: '$at' },
            lastMessage: { $first: '$message' },
          },
        },
        { $set: { mailboxes: { $size: '$mailboxes' } } },
        { $sort: { count: -1, _id: 1 } },
      ])
      .toArray();
    return rows.map((r) => ({
      code: r._id,
      count: r.count,
      mailboxes: r.mailboxes,
      lastAt: r.lastAt,
      lastMessage: r.lastMessage,
    }));
  }

  async putSnapshot(tenantId: string, listId: string, snapshot: SnapshotInput): Promise<void> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    const at = snapshot.at ?? this.options.clock.now();
    const version = randomUUID();
    const size = this.options.snapshotPartSize;
    const itemCount = snapshot.items.length;
    const partCount = Math.ceil(itemCount / size);
    const base = {
      tenantId,
      listId,
      version,
      partCount,
      itemCount,
      ...(snapshot.runId !== undefined && { runId: snapshot.runId }),
      at,
    };
    try {
      for (let p = 0; p < partCount; p += CHUNKS_PER_BULK) {
        const docs: SnapshotDoc[] = [];
        for (let partNo = p + 1; partNo <= Math.min(partCount, p + CHUNKS_PER_BULK); partNo++) {
          const items = snapshot.items.slice((partNo - 1) * size, partNo * size);
          docs.push({
            ...base,
            partNo,
            payload: this.parts.encrypt(tenantId, listId, version, partNo, items),
          });
        }
        await this.snapshots.insertMany(docs, { ordered: false });
      }
      // The header goes last: a reader finds either the old snapshot or the complete new one.
      await this.snapshots.insertOne({ ...base, partNo: 0 });
    } catch (error) {
      await this.snapshots.deleteMany({ tenantId, listId, version }).catch(() => undefined);
      throw error;
    }
    await this.snapshots.deleteMany({ tenantId, listId, version: { $ne: version } });
  }

  async getSnapshot(tenantId: string, listId: string): Promise<ListSnapshot | undefined> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    const header = await this.snapshots.findOne(
      { tenantId, listId, partNo: 0 },
      { sort: { at: -1 } },
    );
    if (!header) return undefined;
    const parts = await this.snapshots
      .find({ tenantId, listId, version: header.version, partNo: { $gt: 0 } })
      .sort({ partNo: 1 })
      .toArray();
    if (parts.length !== header.partCount) {
      throw new LogStoreError('SNAPSHOT_INCOMPLETE', `snapshot of list ${listId} lost parts`);
    }
    const items = parts.flatMap((p) =>
      this.parts.decrypt(tenantId, listId, header.version, p.partNo, p.payload ?? ''),
    );
    if (items.length !== header.itemCount) {
      throw new LogStoreError('SNAPSHOT_INCOMPLETE', `snapshot of list ${listId} lost items`);
    }
    return {
      listId,
      ...(header.runId !== undefined && { runId: header.runId }),
      at: header.at,
      items,
    };
  }

  async reencryptSnapshots(options: { batchSize?: number } = {}): Promise<RotationResult> {
    this.assertOpen();
    const batchSize = options.batchSize ?? 200;
    const result: RotationResult = { scanned: 0, reencrypted: 0, changedMeanwhile: 0 };
    let after: ObjectId | undefined;
    for (;;) {
      const docs = await this.snapshots
        .find({ partNo: { $gt: 0 }, ...(after ? { _id: { $gt: after } } : {}) })
        .sort({ _id: 1 })
        .limit(batchSize)
        .toArray();
      if (docs.length === 0) break;
      after = docs[docs.length - 1]._id;
      result.scanned += docs.length;
      for (const d of docs) {
        if (!d.payload || !this.parts.needsRotation(d.payload)) continue;
        const next = this.parts.reencrypt(d.tenantId, d.listId, d.version, d.partNo, d.payload);
        // Compare-and-set: a part replaced or deleted meanwhile is left to its writer.
        const updated = await this.snapshots.updateOne(
          { _id: d._id, payload: d.payload },
          { $set: { payload: next } },
        );
        if (updated.modifiedCount === 0) result.changedMeanwhile++;
        else result.reencrypted++;
      }
    }
    return result;
  }

  async deleteSnapshot(tenantId: string, listId: string): Promise<boolean> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    return (await this.snapshots.deleteMany({ tenantId, listId })).deletedCount > 0;
  }

  async writeMap(
    tenantId: string,
    listId: string,
    mailboxId: string,
    entries: MapEntrySource,
  ): Promise<MapInfo> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    requireId('mailboxId', mailboxId);
    // One timestamp for the whole generation, so TTL removes its chunks together.
    const now = this.options.clock.now();
    const generation = randomUUID();
    const key = { tenantId, listId, mailboxId };
    let chunkCount = 0;
    let entryCount = 0;
    let pending: AnyBulkWriteOperation<MapChunkDoc>[] = [];
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const ops = pending;
      pending = [];
      await this.mapChunks.bulkWrite(ops, { ordered: false });
    };
    try {
      for await (const chunk of chunkMapEntries(entries, this.options.mapChunkSize)) {
        this.assertOpen();
        chunkCount += 1;
        entryCount += chunk.length;
        pending.push({
          insertOne: {
            document: {
              ...key,
              generation,
              chunkNo: chunkCount,
              entryCount: chunk.length,
              chunkCount: 0,
              writtenAt: now,
              lastUsedAt: now,
              entries: mapChunkCodec.encode(chunk),
            },
          },
        });
        if (pending.length >= CHUNKS_PER_BULK) await flush();
      }
      await flush();
      // The header is written last: readers only ever see a complete generation.
      await this.mapChunks.insertOne({
        ...key,
        generation,
        chunkNo: 0,
        entryCount,
        chunkCount,
        writtenAt: now,
        lastUsedAt: now,
      });
    } catch (error) {
      await this.mapChunks.deleteMany({ ...key, generation }).catch(() => undefined);
      throw error;
    }
    await this.mapChunks.deleteMany({ ...key, generation: { $ne: generation } });
    return { entryCount, chunkCount, writtenAt: now, lastUsedAt: now };
  }

  readMap(tenantId: string, listId: string, mailboxId: string): AsyncIterable<readonly MapEntry[]> {
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    requireId('mailboxId', mailboxId);
    return this.readMapChunks(tenantId, listId, mailboxId);
  }

  private async *readMapChunks(
    tenantId: string,
    listId: string,
    mailboxId: string,
  ): AsyncGenerator<readonly MapEntry[]> {
    this.assertOpen();
    const header = await this.mapHeader(tenantId, listId, mailboxId);
    if (!header) return;
    // A small batch size keeps only a few chunks in flight between server and caller.
    const cursor = this.mapChunks.find(
      { tenantId, listId, mailboxId, generation: header.generation, chunkNo: { $gte: 1 } },
      { sort: { chunkNo: 1 }, projection: { chunkNo: 1, entries: 1 }, batchSize: 4 },
    );
    let expected = 1;
    try {
      for await (const doc of cursor) {
        if (doc.chunkNo !== expected) break;
        expected += 1;
        yield mapChunkCodec.decode(doc.entries ?? '[]');
      }
    } finally {
      await cursor.close();
    }
    if (expected - 1 !== header.chunkCount) {
      throw new LogStoreError(
        'MAP_INCOMPLETE',
        `map of mailbox ${mailboxId} lost chunk ${expected}`,
      );
    }
  }

  async getMapInfo(
    tenantId: string,
    listId: string,
    mailboxId: string,
  ): Promise<MapInfo | undefined> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    requireId('mailboxId', mailboxId);
    const header = await this.mapHeader(tenantId, listId, mailboxId);
    if (!header) return undefined;
    return {
      entryCount: header.entryCount,
      chunkCount: header.chunkCount,
      writtenAt: header.writtenAt,
      lastUsedAt: header.lastUsedAt,
    };
  }

  async touchMap(tenantId: string, listId: string, mailboxId: string): Promise<boolean> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    requireId('mailboxId', mailboxId);
    const now = this.options.clock.now();
    // Read first: a recent enough last use is left alone, so the common no-op sync writes
    // nothing. Otherwise every chunk carries its own TTL field, so every chunk is touched: one
    // updateMany on the index prefix, about N/1000 small documents.
    const oldest = await this.mapChunks.findOne(
      { tenantId, listId, mailboxId },
      { projection: { _id: 0, lastUsedAt: 1 }, sort: { lastUsedAt: 1 } },
    );
    if (!oldest) return false;
    if (oldest.lastUsedAt.getTime() >= now.getTime() - this.options.touchPrecisionMs) return true;
    const result = await this.mapChunks.updateMany(
      { tenantId, listId, mailboxId },
      { $set: { lastUsedAt: now } },
    );
    return result.matchedCount > 0;
  }

  async deleteMap(tenantId: string, listId: string, mailboxId: string): Promise<boolean> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    requireId('mailboxId', mailboxId);
    return (await this.mapChunks.deleteMany({ tenantId, listId, mailboxId })).deletedCount > 0;
  }

  async deleteTenant(tenantId: string): Promise<TenantWipeResult> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    const [logs, snapshots, mapChunks] = await Promise.all([
      this.logs.deleteMany({ tenantId }),
      this.snapshots.deleteMany({ tenantId }),
      this.mapChunks.deleteMany({ tenantId }),
    ]);
    return {
      logs: logs.deletedCount,
      snapshots: snapshots.deletedCount,
      mapChunks: mapChunks.deletedCount,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ownedClient?.close();
  }

  private mapHeader(
    tenantId: string,
    listId: string,
    mailboxId: string,
  ): Promise<MapChunkDoc | null> {
    return this.mapChunks.findOne(
      { tenantId, listId, mailboxId, chunkNo: 0 },
      { sort: { writtenAt: -1 } },
    );
  }

  private assertOpen(): void {
    if (this.closed) throw new LogStoreError('STORE_CLOSED', 'the log store is closed');
  }
}

function toLogRecord(doc: LogDoc): LogRecord {
  return {
    id: doc._id,
    tenantId: doc.tenantId,
    ...(doc.runId !== undefined && { runId: doc.runId }),
    ...(doc.mailboxId !== undefined && { mailboxId: doc.mailboxId }),
    ...(doc.jobId !== undefined && { jobId: doc.jobId }),
    level: doc.level,
    ...(doc.code !== undefined && { code: doc.code }),
    message: doc.message,
    at: doc.at,
  };
}
