import type { DatabaseConfig } from '@app/config';
import type { DataSource } from 'typeorm';
import { acquireMigrationLock } from './migration-lock';

export interface MigrationResult {
  applied: string[];
}

/** Applies pending migrations under the fleet-wide migration lock; a no-op when up to date. */
export async function runMigrations(
  dataSource: DataSource,
  database: DatabaseConfig,
  options: { lockTimeoutMs: number },
): Promise<MigrationResult> {
  const lock = await acquireMigrationLock(dataSource, {
    timeoutMs: options.lockTimeoutMs,
    sqliteLockFile:
      database.kind === 'sqlite' && database.path !== ':memory:'
        ? `${database.path}.migrate.lock`
        : undefined,
  });
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { applied: applied.map((m) => m.name) };
  } finally {
    await lock.release();
  }
}
