import { loadConfig, TEST_SERVERS } from '@app/config';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../open-data-source';
import { runMigrations } from '../run-migrations';
import { createScratchPostgresDatabase, type ScratchDatabase } from './scratch-postgres-database';

/** The databases every persistence test runs on: a fresh SQLite file and a fresh PostgreSQL database. */
export const TEST_DATABASES: ReadonlyArray<
  readonly ['sqlite' | 'postgres', () => Promise<ScratchDatabase>]
> = [
  [
    'sqlite',
    async () => ({
      url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'db-')), 'db.sqlite')}`,
      drop: async () => undefined,
    }),
  ],
  ['postgres', () => createScratchPostgresDatabase(TEST_SERVERS.postgresUrl)],
];

/** Opens a scratch database and migrates it. */
export async function openMigrated(url: string): Promise<DataSource> {
  const { database } = loadConfig({
    DATABASE_URL: url,
    ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
    DATA_DIR: tmpdir(),
  }).config;
  const dataSource = await openDataSource(database);
  await runMigrations(dataSource, database, { lockTimeoutMs: 10_000 });
  return dataSource;
}
