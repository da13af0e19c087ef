import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import type { DataSource, QueryRunner } from 'typeorm';
import { PersistenceError } from './persistence-error';

/** Held while migrations run; release it in `finally`. */
export interface MigrationLock {
  release(): Promise<void>;
}

const LOCK_NAME = 'contact-sync-migrations';
// Fixed 64-bit key for pg_advisory_lock; any process of this product uses the same one.
const PG_LOCK_KEY = '7263540823120914';

/**
 * Takes the one lock that serialises migrations across the API and every worker:
 * pg_advisory_lock on PostgreSQL, sp_getapplock on SQL Server, an exclusive lock file
 * beside the SQLite database.
 */
export async function acquireMigrationLock(
  dataSource: DataSource,
  options: { timeoutMs: number; sqliteLockFile?: string },
): Promise<MigrationLock> {
  switch (dataSource.options.type) {
    case 'postgres':
      return sessionLock(dataSource, async (runner) => {
        await runner.query(`SET lock_timeout = ${Math.ceil(options.timeoutMs)}`);
        try {
          await runner.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
        } catch (error) {
          throw timeout(options.timeoutMs, error);
        }
        await runner.query('SET lock_timeout = 0');
        return () => runner.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]);
      });
    case 'mssql':
      return sessionLock(dataSource, async (runner) => {
        const rows: Array<{ result: number }> = await runner.query(
          `DECLARE @result int; EXEC @result = sp_getapplock @Resource = @0, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = @1; SELECT @result AS result`,
          [LOCK_NAME, Math.ceil(options.timeoutMs)],
        );
        if (!rows[0] || rows[0].result < 0) throw timeout(options.timeoutMs);
        return () =>
          runner.query(`EXEC sp_releaseapplock @Resource = @0, @LockOwner = 'Session'`, [
            LOCK_NAME,
          ]);
      });
    default:
      if (!options.sqliteLockFile) return { release: async () => undefined };
      return lockFile(options.sqliteLockFile, options.timeoutMs);
  }
}

async function sessionLock(
  dataSource: DataSource,
  take: (runner: QueryRunner) => Promise<() => Promise<unknown>>,
): Promise<MigrationLock> {
  // A dedicated connection: session locks belong to the connection that took them.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const unlock = await take(runner);
    return {
      release: async () => {
        try {
          await unlock();
        } finally {
          await runner.release();
        }
      },
    };
  } catch (error) {
    await runner.release();
    throw error;
  }
}

async function lockFile(path: string, timeoutMs: number): Promise<MigrationLock> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: async () => unlinkSync(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    removeIfStale(path);
    if (Date.now() > deadline) throw timeout(timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A lock file left by a process that died is taken over, or nobody could ever migrate again. */
function removeIfStale(path: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8'));
  } catch {
    return; // gone already, or being written right now
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      try {
        unlinkSync(path);
      } catch {
        // another process removed it first
      }
    }
  }
}

function timeout(timeoutMs: number, cause?: unknown): PersistenceError {
  const error = new PersistenceError(
    'MIGRATION_LOCK_TIMEOUT',
    `Another process held the migration lock for more than ${timeoutMs} ms (MIGRATION_LOCK_TIMEOUT_MS)`,
  );
  if (cause) (error as Error & { cause?: unknown }).cause = cause;
  return error;
}
