import type { DataSource } from 'typeorm';
import type { ScratchDatabase } from './scratch-postgres-database';
import { openMigrated } from './test-databases';

/** A scratch database opened and migrated for one test file. */
export interface MigratedScratch {
  dataSource: DataSource;
  /** The database's URL, for a second connection (another process's, in a test). */
  url: string;
  /** Closes the connection and drops the database. */
  close(): Promise<void>;
}

/** Makes a scratch database (one of TEST_DATABASES) and migrates it; dropped again if that fails. */
export async function openMigratedScratch(
  makeDatabase: () => Promise<ScratchDatabase>,
): Promise<MigratedScratch> {
  const scratch = await makeDatabase();
  let dataSource: DataSource;
  try {
    dataSource = await openMigrated(scratch.url);
  } catch (e) {
    await scratch.drop();
    throw e;
  }
  return {
    dataSource,
    url: scratch.url,
    close: async () => {
      await dataSource.destroy();
      await scratch.drop();
    },
  };
}
