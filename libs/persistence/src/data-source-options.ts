import type { DatabaseConfig } from '@app/config';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { preparePrivateDatabaseFile } from './private-database-file';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const MIGRATIONS_TABLE = 'schema_migrations';
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** TypeORM options for the database named by DATABASE_URL. Nothing is synchronised: migrations only. */
export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each' as const,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
  };
  switch (database.kind) {
    case 'sqlite':
      preparePrivateDatabaseFile(database.path);
      return {
        ...common,
        type: 'better-sqlite3',
        database: database.path,
        // WAL lets readers run beside the writer; the busy timeout makes the API and workers
        // wait for each other's short write transactions instead of failing with SQLITE_BUSY.
        enableWAL: database.path !== ':memory:',
        timeout: SQLITE_BUSY_TIMEOUT_MS,
        prepareDatabase: (db: { pragma(sql: string): unknown }) => {
          db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        },
      };
    case 'postgres':
      return { ...common, type: 'postgres', url: database.url, extra: { max: 10 } };
    case 'mssql':
      return {
        ...common,
        type: 'mssql',
        host: database.host,
        port: database.port,
        database: database.database,
        username: database.username,
        password: database.password,
        options: {
          encrypt: database.encrypt,
          trustServerCertificate: database.trustServerCertificate,
        },
        pool: { max: 10 },
      };
  }
}
