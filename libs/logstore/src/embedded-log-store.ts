import type { FieldCipher } from '@app/crypto';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { chunkMapEntries } from './chunk-map-entries';
import type { ErrorCodeSummary } from './error-code-summary';
import type { ListSnapshot } from './list-snapshot';
import { logCursor } from './log-cursor';
import type { LogEntryInput } from './log-entry-input';
import type { LogLevel } from './log-level';
import type { LogPage } from './log-page';
import type { LogQuery } from './log-query';
import type { LogStore } from './log-store';
import { LogStoreError } from './log-store-error';
import type { LogStoreOptions } from './log-store-options';
import type { MailboxOutcome } from './mailbox-outcome';
import { mapChunkCodec } from './map-chunk-codec';
import type { MapEntry } from './map-entry';
import type { MapEntrySource } from './map-entry-source';
import type { MapInfo } from './map-info';
import { pageLimit } from './page-limit';
import type { PurgeResult } from './purge-result';
import { requireId } from './require-id';
import { resolveLogStoreOptions } from './resolve-log-store-options';
import type { ResolvedLogStoreOptions } from './resolved-log-store-options';
import type { RunSummary } from './run-summary';
import type { RotationResult } from './rotation-result';
import type { SnapshotInput } from './snapshot-input';
import { SnapshotPartCipher } from './snapshot-part-cipher';
import type { TenantWipeResult } from './tenant-wipe-result';
import { validateLogEntry } from './validate-log-entry';

const SCHEMA_VERSION = 1;
const PURGE_BATCH = 2000;

// Times are epoch milliseconds (INTEGER): exact, sortable and comparable with the purge cutoff.
// Every index except the purge ones starts with tenant_id, so no query plan crosses tenants.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS logs (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  at INTEGER NOT NULL,
  run_id TEXT,
  mailbox_id TEXT,
  job_id TEXT,
  level TEXT NOT NULL,
  code TEXT,
  message TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS logs_tenant_at ON logs (tenant_id, at, id);
CREATE INDEX IF NOT EXISTS logs_tenant_run_at ON logs (tenant_id, run_id, at, id);
CREATE INDEX IF NOT EXISTS logs_tenant_mailbox_at ON logs (tenant_id, mailbox_id, at, id);
CREATE INDEX IF NOT EXISTS logs_tenant_level_at ON logs (tenant_id, level, at, id);
CREATE INDEX IF NOT EXISTS logs_purge ON logs (at);

CREATE TABLE IF NOT EXISTS snapshots (
  tenant_id TEXT NOT NULL,
  list_id TEXT NOT NULL,
  version TEXT NOT NULL,
  part_no INTEGER NOT NULL,
  part_count INTEGER NOT NULL,
  item_count INTEGER NOT NULL,
  run_id TEXT,
  at INTEGER NOT NULL,
  payload TEXT,
  PRIMARY KEY (tenant_id, list_id, version, part_no)
);
CREATE INDEX IF NOT EXISTS snapshots_tenant_list_header ON snapshots (tenant_id, list_id, part_no, at);
CREATE INDEX IF NOT EXISTS snapshots_purge ON snapshots (at);

CREATE TABLE IF NOT EXISTS map_chunks (
  tenant_id TEXT NOT NULL,
  list_id TEXT NOT NULL,
  mailbox_id TEXT NOT NULL,
  generation TEXT NOT NULL,
  chunk_no INTEGER NOT NULL,
  entry_count INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  written_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  entries TEXT,
  PRIMARY KEY (tenant_id, list_id, mailbox_id, generation, chunk_no)
);
CREATE INDEX IF NOT EXISTS map_chunks_tenant_header ON map_chunks (tenant_id, list_id, mailbox_id, chunk_no, written_at);
CREATE INDEX IF NOT EXISTS map_chunks_purge ON map_chunks (last_used_at, chunk_no);
`;

interface LogRow {
  tenant_id: string;
  id: string;
  at: number;
  run_id: string | null;
  mailbox_id: string | null;
  job_id: string | null;
  level: LogLevel;
  code: string | null;
  message: string;
}

interface MapHeaderRow {
  generation: string;
  entry_count: number;
  chunk_count: number;
  written_at: number;
  last_used_at: number;
}

interface SnapshotHeaderRow {
  version: string;
  part_count: number;
  item_count: number;
  run_id: string | null;
  at: number;
}

/**
 * The default log store: a SQLite file of its own (`<dataDir>/logstore.db`), so log churn
 * never bloats or locks the subscriber database. Expiry is done by `purgeExpired`, which
 * LogStorePurgeJob runs every minute. Uses better-sqlite3 directly: it is synchronous, so each
 * statement is short and nothing is held open across an `await` (no open iterators).
 */
export class EmbeddedLogStore implements LogStore {
  private readonly options: ResolvedLogStoreOptions;
  private readonly parts: SnapshotPartCipher;

  /** Prepared once per SQL text: compiling a statement cost more than running most of ours. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    cipher: FieldCipher,
    options: LogStoreOptions,
  ) {
    this.options = resolveLogStoreOptions(options);
    this.parts = new SnapshotPartCipher(cipher);
  }

  /** Opens (creating if needed) the store at `path`; `:memory:` works for tests. */
  static open(path: string, cipher: FieldCipher, options: LogStoreOptions): EmbeddedLogStore {
    if (path !== ':memory:') {
      // Owner only (0600, folder 0700) whatever the umask: the store holds encrypted maps and
      // logs; SQLite gives its -wal and -shm files the database file's permissions.
      const dir = dirname(path);
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
      for (const file of [path, `${path}-wal`, `${path}-shm`])
        if (existsSync(file)) chmodSync(file, 0o600);
    }
    const db = new Database(path);
    try {
      db.pragma('busy_timeout = 5000');
      enableWal(db);
      // WAL + NORMAL: durable against process crashes; a power loss may drop the last
      // transactions, which is acceptable for logs and rebuildable caches.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = OFF');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new LogStoreError(
          'INVALID_ARGUMENT',
          `logstore schema ${version} is newer than this build (${SCHEMA_VERSION})`,
        );
      }
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return new EmbeddedLogStore(db, cipher, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The underlying connection, for tests that must see the raw rows. */
  get connection(): Database.Database {
    return this.db;
  }

  async appendLogs(tenantId: string, entries: readonly LogEntryInput[]): Promise<void> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    entries.forEach(validateLogEntry);
    if (entries.length === 0) return;
    const now = this.options.clock.now().getTime();
    const insert = this.statement(
      `INSERT INTO logs (tenant_id, id, at, run_id, mailbox_id, job_id, level, code, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const e of entries) {
        insert.run(
          tenantId,
          randomUUID(),
          e.at?.getTime() ?? now,
          e.runId ?? null,
          e.mailboxId ?? null,
          e.jobId ?? null,
          e.level,
          e.code ?? null,
          e.message,
        );
      }
    })();
  }

  async queryLogs(tenantId: string, query: LogQuery = {}): Promise<LogPage> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    const limit = pageLimit(query.limit, 100, 1000);
    const where = ['tenant_id = ?'];
    const params: (string | number)[] = [tenantId];
    if (query.runId !== undefined) {
      where.push('run_id = ?');
      params.push(query.runId);
    }
    if (query.mailboxId !== undefined) {
      where.push('mailbox_id = ?');
      params.push(query.mailboxId);
    }
    if (query.level !== undefined) {
      where.push('level = ?');
      params.push(query.level);
    }
    if (query.cursor !== undefined) {
      const { at, id } = logCursor.decode(query.cursor);
      where.push('(at < ? OR (at = ? AND id < ?))');
      params.push(at.getTime(), at.getTime(), id);
    }
    const rows = this.db
      .prepare(`SELECT * FROM logs WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ?`)
      .all(...params, limit + 1) as LogRow[];
    const items = rows.slice(0, limit).map(toLogRecord);
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, nextCursor: logCursor.encode(last.at, last.id) }
      : { items };
  }

  async recentRuns(tenantId: string, options: { limit?: number } = {}): Promise<RunSummary[]> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    const limit = pageLimit(options.limit, 20, 500);
    const rows = this.statement(
      `SELECT run_id, MIN(at) AS first_at, MAX(at) AS last_at, COUNT(*) AS entries,
                SUM(level = 'error') AS errors, SUM(level = 'warn') AS warnings,
                COUNT(DISTINCT mailbox_id) AS mailboxes
         FROM logs WHERE tenant_id = ? AND run_id IS NOT NULL
         GROUP BY run_id ORDER BY last_at DESC, run_id LIMIT ?`,
    ).all(tenantId, limit) as {
      run_id: string;
      first_at: number;
      last_at: number;
      entries: number;
      errors: number;
      warnings: number;
      mailboxes: number;
    }[];
    return rows.map((r) => ({
      runId: r.run_id,
      firstAt: new Date(r.first_at),
      lastAt: new Date(r.last_at),
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
    // SQLite: with a single MAX() aggregate, the bare columns come from the row holding the max.
    const rows = this.statement(
      `SELECT mailbox_id, MAX(at) AS last_at, code, message,
                SUM(level = 'error') AS errors, SUM(level = 'warn') AS warnings
         FROM logs WHERE tenant_id = ? AND run_id = ? AND mailbox_id IS NOT NULL
         GROUP BY mailbox_id ORDER BY mailbox_id`,
    ).all(tenantId, runId) as {
      mailbox_id: string;
      last_at: number;
      code: string | null;
      message: string;
      errors: number;
      warnings: number;
    }[];
    const lastErrors = new Map(
      (
        this.statement(
          `SELECT mailbox_id, MAX(at) AS at, code, message FROM logs
             WHERE tenant_id = ? AND run_id = ? AND level = 'error' AND mailbox_id IS NOT NULL
             GROUP BY mailbox_id`,
        ).all(tenantId, runId) as {
          mailbox_id: string;
          at: number;
          code: string | null;
          message: string;
        }[]
      ).map((r) => [r.mailbox_id, r]),
    );
    return rows.map((r) => {
      const lastError = lastErrors.get(r.mailbox_id);
      return {
        mailboxId: r.mailbox_id,
        status: r.errors > 0 ? 'failed' : r.warnings > 0 ? 'warning' : 'ok',
        errors: r.errors,
        warnings: r.warnings,
        lastAt: new Date(r.last_at),
        lastMessage: r.message,
        ...(r.code !== null && { lastCode: r.code }),
        ...(lastError && {
          lastError: {
            ...(lastError.code !== null && { code: lastError.code }),
            message: lastError.message,
            at: new Date(lastError.at),
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
    const where = ['tenant_id = ?', "level = 'error'"];
    const params: (string | number)[] = [tenantId];
    if (options.runId !== undefined) {
      where.push('run_id = ?');
      params.push(options.runId);
    }
    if (options.since !== undefined) {
      where.push('at >= ?');
      params.push(options.since.getTime());
    }
    const rows = this.statement(
      `SELECT COALESCE(code, 'UNCODED') AS code, COUNT(*) AS count, COUNT(DISTINCT mailbox_id) AS mailboxes,
                MAX(at) AS last_at, message
         FROM logs WHERE ${where.join(' AND ')}
         GROUP BY COALESCE(code, 'UNCODED') ORDER BY count DESC, code`,
    ).all(...params) as {
      code: string;
      count: number;
      mailboxes: number;
      last_at: number;
      message: string;
    }[];
    return rows.map((r) => ({
      code: r.code,
      count: r.count,
      mailboxes: r.mailboxes,
      lastAt: new Date(r.last_at),
      lastMessage: r.message,
    }));
  }

  async putSnapshot(tenantId: string, listId: string, snapshot: SnapshotInput): Promise<void> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    const at = (snapshot.at ?? this.options.clock.now()).getTime();
    const version = randomUUID();
    const size = this.options.snapshotPartSize;
    const partCount = Math.ceil(snapshot.items.length / size);
    const insert = this.statement(
      `INSERT INTO snapshots (tenant_id, list_id, version, part_no, part_count, item_count, run_id, at, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Encrypt outside the transaction, so the write lock is held only for the inserts.
    const payloads: string[] = [];
    for (let p = 0; p < partCount; p++) {
      payloads.push(
        this.parts.encrypt(
          tenantId,
          listId,
          version,
          p + 1,
          snapshot.items.slice(p * size, (p + 1) * size),
        ),
      );
    }
    const runId = snapshot.runId ?? null;
    this.db.transaction(() => {
      payloads.forEach((payload, i) =>
        insert.run(
          tenantId,
          listId,
          version,
          i + 1,
          partCount,
          snapshot.items.length,
          runId,
          at,
          payload,
        ),
      );
      insert.run(tenantId, listId, version, 0, partCount, snapshot.items.length, runId, at, null);
      this.statement(
        'DELETE FROM snapshots WHERE tenant_id = ? AND list_id = ? AND version <> ?',
      ).run(tenantId, listId, version);
    })();
  }

  async getSnapshot(tenantId: string, listId: string): Promise<ListSnapshot | undefined> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    const header = this.statement(
      `SELECT version, part_count, item_count, run_id, at FROM snapshots
         WHERE tenant_id = ? AND list_id = ? AND part_no = 0 ORDER BY at DESC LIMIT 1`,
    ).get(tenantId, listId) as SnapshotHeaderRow | undefined;
    if (!header) return undefined;
    const rows = this.statement(
      `SELECT part_no, payload FROM snapshots
         WHERE tenant_id = ? AND list_id = ? AND version = ? AND part_no > 0 ORDER BY part_no`,
    ).all(tenantId, listId, header.version) as { part_no: number; payload: string }[];
    if (rows.length !== header.part_count) {
      throw new LogStoreError('SNAPSHOT_INCOMPLETE', `snapshot of list ${listId} lost parts`);
    }
    const items = rows.flatMap((r) =>
      this.parts.decrypt(tenantId, listId, header.version, r.part_no, r.payload),
    );
    if (items.length !== header.item_count) {
      throw new LogStoreError('SNAPSHOT_INCOMPLETE', `snapshot of list ${listId} lost items`);
    }
    return {
      listId,
      ...(header.run_id !== null && { runId: header.run_id }),
      at: new Date(header.at),
      items,
    };
  }

  async reencryptSnapshots(options: { batchSize?: number } = {}): Promise<RotationResult> {
    this.assertOpen();
    const batchSize = options.batchSize ?? 200;
    const result: RotationResult = { scanned: 0, reencrypted: 0, changedMeanwhile: 0 };
    const read = this.statement(
      `SELECT rowid AS rid, tenant_id, list_id, version, part_no, payload FROM snapshots
         WHERE rowid > ? AND part_no > 0 ORDER BY rowid LIMIT ?`,
    );
    const write = this.statement(
      'UPDATE snapshots SET payload = ? WHERE rowid = ? AND payload = ?',
    );
    let after = 0;
    for (;;) {
      const rows = read.all(after, batchSize) as Array<{
        rid: number;
        tenant_id: string;
        list_id: string;
        version: string;
        part_no: number;
        payload: string;
      }>;
      if (rows.length === 0) break;
      after = rows[rows.length - 1].rid;
      result.scanned += rows.length;
      // Encrypt outside the write transaction, so the lock is held only for the updates.
      const updates = rows
        .filter((r) => this.parts.needsRotation(r.payload))
        .map((r) => ({
          r,
          next: this.parts.reencrypt(r.tenant_id, r.list_id, r.version, r.part_no, r.payload),
        }));
      this.db.transaction(() => {
        for (const { r, next } of updates) {
          if (write.run(next, r.rid, r.payload).changes === 0) result.changedMeanwhile++;
          else result.reencrypted++;
        }
      })();
      // Let other work run between batches (the store is shared with the running product).
      await new Promise((resolve) => setImmediate(resolve));
    }
    return result;
  }

  async deleteSnapshot(tenantId: string, listId: string): Promise<boolean> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    return (
      this.statement('DELETE FROM snapshots WHERE tenant_id = ? AND list_id = ?').run(
        tenantId,
        listId,
      ).changes > 0
    );
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
    // One timestamp for every chunk of a generation, so the purge removes a map all at once.
    const now = this.options.clock.now().getTime();
    const generation = randomUUID();
    const insert = this.statement(
      `INSERT INTO map_chunks (tenant_id, list_id, mailbox_id, generation, chunk_no, entry_count, chunk_count,
                               written_at, last_used_at, entries)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let chunkCount = 0;
    let entryCount = 0;
    try {
      for await (const chunk of chunkMapEntries(entries, this.options.mapChunkSize)) {
        this.assertOpen();
        chunkCount += 1;
        entryCount += chunk.length;
        // Data chunks have chunk_count 0: only the header (chunk 0) is authoritative.
        insert.run(
          tenantId,
          listId,
          mailboxId,
          generation,
          chunkCount,
          chunk.length,
          0,
          now,
          now,
          mapChunkCodec.encode(chunk),
        );
      }
      // The header is written last: readers only ever see a complete generation.
      this.db.transaction(() => {
        insert.run(
          tenantId,
          listId,
          mailboxId,
          generation,
          0,
          entryCount,
          chunkCount,
          now,
          now,
          null,
        );
        this.statement(
          'DELETE FROM map_chunks WHERE tenant_id = ? AND list_id = ? AND mailbox_id = ? AND generation <> ?',
        ).run(tenantId, listId, mailboxId, generation);
      })();
    } catch (error) {
      if (this.db.open) {
        this.statement(
          'DELETE FROM map_chunks WHERE tenant_id = ? AND list_id = ? AND mailbox_id = ? AND generation = ?',
        ).run(tenantId, listId, mailboxId, generation);
      }
      throw error;
    }
    return { entryCount, chunkCount, writtenAt: new Date(now), lastUsedAt: new Date(now) };
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
    const header = this.mapHeader(tenantId, listId, mailboxId);
    if (!header) return;
    const select = this.statement(
      `SELECT entries FROM map_chunks
       WHERE tenant_id = ? AND list_id = ? AND mailbox_id = ? AND generation = ? AND chunk_no = ?`,
    );
    // One chunk per statement: the caller may await between pages, and better-sqlite3 cannot
    // run other statements while an iterator is open.
    for (let chunkNo = 1; chunkNo <= header.chunk_count; chunkNo++) {
      this.assertOpen();
      const row = select.get(tenantId, listId, mailboxId, header.generation, chunkNo) as
        { entries: string } | undefined;
      if (!row)
        throw new LogStoreError(
          'MAP_INCOMPLETE',
          `map of mailbox ${mailboxId} lost chunk ${chunkNo}`,
        );
      yield mapChunkCodec.decode(row.entries);
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
    const header = this.mapHeader(tenantId, listId, mailboxId);
    return (
      header && {
        entryCount: header.entry_count,
        chunkCount: header.chunk_count,
        writtenAt: new Date(header.written_at),
        lastUsedAt: new Date(header.last_used_at),
      }
    );
  }

  async touchMap(tenantId: string, listId: string, mailboxId: string): Promise<boolean> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    requireId('mailboxId', mailboxId);
    const now = this.options.clock.now().getTime();
    // Read first: a recent enough last use is left alone, so the common no-op sync takes no
    // write lock and rewrites no rows (each data row carries its ~50 KB of entries).
    const row = this.statement(
      'SELECT MIN(last_used_at) AS oldest FROM map_chunks WHERE tenant_id = ? AND list_id = ? AND mailbox_id = ?',
    ).get(tenantId, listId, mailboxId) as { oldest: number | null };
    if (row.oldest === null) return false;
    if (row.oldest >= now - this.options.touchPrecisionMs) return true;
    this.statement(
      'UPDATE map_chunks SET last_used_at = ? WHERE tenant_id = ? AND list_id = ? AND mailbox_id = ?',
    ).run(now, tenantId, listId, mailboxId);
    return true;
  }

  async deleteMap(tenantId: string, listId: string, mailboxId: string): Promise<boolean> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    requireId('listId', listId);
    requireId('mailboxId', mailboxId);
    return (
      this.statement(
        'DELETE FROM map_chunks WHERE tenant_id = ? AND list_id = ? AND mailbox_id = ?',
      ).run(tenantId, listId, mailboxId).changes > 0
    );
  }

  async deleteTenant(tenantId: string): Promise<TenantWipeResult> {
    this.assertOpen();
    requireId('tenantId', tenantId);
    return this.db.transaction(() => ({
      logs: this.statement('DELETE FROM logs WHERE tenant_id = ?').run(tenantId).changes,
      snapshots: this.statement('DELETE FROM snapshots WHERE tenant_id = ?').run(tenantId).changes,
      mapChunks: this.statement('DELETE FROM map_chunks WHERE tenant_id = ?').run(tenantId).changes,
    }))();
  }

  /**
   * Deletes what expired as of `now`: logs and snapshots written, and maps last used, more
   * than the retention ago. Works in batches of short transactions so writers are never
   * blocked for long. Headers go first: a map or snapshot is then absent, never half there.
   */
  async purgeExpired(now: Date = this.options.clock.now()): Promise<PurgeResult> {
    this.assertOpen();
    const cutoff = now.getTime() - this.options.retentionMs;
    const inBatches = (sql: string): number => {
      const statement = this.db.prepare(sql);
      let total = 0;
      for (;;) {
        const { changes } = statement.run(cutoff, PURGE_BATCH);
        total += changes;
        if (changes < PURGE_BATCH) return total;
      }
    };
    const logs = inBatches(
      'DELETE FROM logs WHERE rowid IN (SELECT rowid FROM logs WHERE at < ? LIMIT ?)',
    );
    const snapshotHeaders = inBatches(
      'DELETE FROM snapshots WHERE rowid IN (SELECT rowid FROM snapshots WHERE at < ? AND part_no = 0 LIMIT ?)',
    );
    const snapshotParts = inBatches(
      'DELETE FROM snapshots WHERE rowid IN (SELECT rowid FROM snapshots WHERE at < ? LIMIT ?)',
    );
    const headers = inBatches(
      'DELETE FROM map_chunks WHERE rowid IN (SELECT rowid FROM map_chunks WHERE last_used_at < ? AND chunk_no = 0 LIMIT ?)',
    );
    const chunks = inBatches(
      'DELETE FROM map_chunks WHERE rowid IN (SELECT rowid FROM map_chunks WHERE last_used_at < ? LIMIT ?)',
    );
    return { logs, snapshots: snapshotHeaders + snapshotParts, mapChunks: headers + chunks };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private mapHeader(tenantId: string, listId: string, mailboxId: string): MapHeaderRow | undefined {
    return this.statement(
      `SELECT generation, entry_count, chunk_count, written_at, last_used_at FROM map_chunks
         WHERE tenant_id = ? AND list_id = ? AND mailbox_id = ? AND chunk_no = 0
         ORDER BY written_at DESC LIMIT 1`,
    ).get(tenantId, listId, mailboxId) as MapHeaderRow | undefined;
  }

  private assertOpen(): void {
    if (!this.db.open) throw new LogStoreError('STORE_CLOSED', 'the log store is closed');
  }
}

function toLogRecord(row: LogRow) {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ...(row.run_id !== null && { runId: row.run_id }),
    ...(row.mailbox_id !== null && { mailboxId: row.mailbox_id }),
    ...(row.job_id !== null && { jobId: row.job_id }),
    level: row.level,
    ...(row.code !== null && { code: row.code }),
    message: row.message,
    at: new Date(row.at),
  };
}

/**
 * Switching to WAL needs the database to itself, and SQLite answers SQLITE_BUSY at once, without
 * the busy handler, while another connection holds a lock — as when the API and workers start
 * together on a fresh store. So it is retried for up to 10 s.
 */
function enableWal(db: Database.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 100) throw error;
      Atomics.wait(pause, 0, 0, 100); // open() is synchronous: a short blocking pause
    }
  }
}
