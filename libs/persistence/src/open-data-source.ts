import type { DatabaseConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { PersistenceError } from './persistence-error';
import { shortenSqliteBusyWait, useImmediateTransactions } from './sqlite-immediate-transactions';

/** Connects to the configured database; a failure says which database and why, never the password. */
export async function openDataSource(database: DatabaseConfig): Promise<DataSource> {
  const dataSource = new DataSource(buildDataSourceOptions(database));
  useImmediateTransactions(dataSource);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new PersistenceError(
      'DATABASE_UNAVAILABLE',
      `Cannot open the ${database.kind} database of DATABASE_URL: ${(error as Error).message}`,
    );
  }
  shortenSqliteBusyWait(dataSource);
  return dataSource;
}
