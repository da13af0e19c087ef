import type { DataSource, QueryRunner } from 'typeorm';

/** A statement about to run, and what runs before it (once). */
export interface StatementHook {
  matches: (sql: string, parameters: unknown[]) => boolean;
  before: () => Promise<void>;
}

/**
 * Lets a test run something between two statements of a transaction: every query runner of
 * the data source (pooled ones, and SQLite's shared one) first runs the hook's `before` when
 * a statement it `matches` comes, once. The statements themselves run on the real database.
 */
export function interceptStatements(dataSource: DataSource): { next?: StatementHook } {
  const slot: { next?: StatementHook } = {};
  const patched = new WeakSet<QueryRunner>();
  const patch = (runner: QueryRunner): QueryRunner => {
    if (patched.has(runner)) return runner;
    patched.add(runner);
    const query = runner.query.bind(runner) as (
      sql: string,
      ...rest: unknown[]
    ) => Promise<unknown>;
    (runner as { query: unknown }).query = async (sql: string, ...rest: unknown[]) => {
      const hook = slot.next;
      const parameters = Array.isArray(rest[0]) ? (rest[0] as unknown[]) : [];
      if (hook?.matches(sql, parameters)) {
        slot.next = undefined;
        await hook.before();
      }
      return query(sql, ...rest);
    };
    return runner;
  };
  const driver = dataSource.driver as unknown as {
    createQueryRunner(mode?: unknown): QueryRunner;
    queryRunner?: QueryRunner;
  };
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode?: unknown) => patch(create(mode));
  if (driver.queryRunner) patch(driver.queryRunner);
  return slot;
}
