import type { DataSource, QueryRunner } from 'typeorm';

/**
 * How long one statement waits for SQLite's lock inside better-sqlite3 (synchronously, so the
 * whole event loop waits): short, because the wait is retried asynchronously below.
 */
export const SQLITE_SYNC_BUSY_TIMEOUT_MS = 25;
/** How long a transaction start or an autocommit statement keeps retrying a busy database. */
const BUSY_RETRY_FOR_MS = 15_000;

const PATCHED = Symbol('immediate-transactions');

/** SQLite's lock error (SQLITE_BUSY and its extended codes), bare or wrapped by TypeORM. */
export function isSqliteBusy(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function patchQueryRunner(runner: QueryRunner): QueryRunner {
  const patched = runner as QueryRunner & { [PATCHED]?: true };
  if (patched[PATCHED]) return runner;
  patched[PATCHED] = true;
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  (runner as { query: unknown }).query = async (sql: string, ...rest: unknown[]) => {
    // TypeORM begins with a deferred BEGIN: its first write must then upgrade a read lock,
    // which fails at once with SQLITE_BUSY when another process wrote in between (the busy
    // handler is not used for that upgrade). BEGIN IMMEDIATE takes the write lock up front.
    const begin = sql === 'BEGIN TRANSACTION';
    const statement = begin ? 'BEGIN IMMEDIATE TRANSACTION' : sql;
    // Nothing has run yet for a BEGIN or an autocommit statement, so a busy one can be retried;
    // retried asynchronously, so the event loop keeps serving while another process writes.
    const retryable = begin || !runner.isTransactionActive;
    const deadline = Date.now() + BUSY_RETRY_FOR_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await query(statement, ...rest);
      } catch (error) {
        if (!retryable || !isSqliteBusy(error) || Date.now() > deadline) throw error;
        await sleep(Math.min(5 * 2 ** attempt, 100) * (0.5 + Math.random()));
      }
    }
  };
  return runner;
}

/**
 * Makes every transaction of an embedded SQLite data source begin immediately, and retries a
 * busy database asynchronously. better-sqlite3 shares one query runner per data source.
 */
export function useImmediateTransactions(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const driver = dataSource.driver as unknown as {
    createQueryRunner(mode?: unknown): QueryRunner;
    queryRunner?: QueryRunner;
  };
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode?: unknown) => patchQueryRunner(create(mode));
  if (driver.queryRunner) patchQueryRunner(driver.queryRunner);
}

/**
 * Once open (the switch to WAL may wait the full busy timeout for another process), statements
 * wait for a lock only briefly inside better-sqlite3 and retry asynchronously instead.
 */
export function shortenSqliteBusyWait(dataSource: DataSource): void {
  if (dataSource.options.type !== 'better-sqlite3') return;
  const connection = (
    dataSource.driver as unknown as { databaseConnection?: { pragma(sql: string): unknown } }
  ).databaseConnection;
  connection?.pragma(`busy_timeout = ${SQLITE_SYNC_BUSY_TIMEOUT_MS}`);
}
