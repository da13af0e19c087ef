import { loadConfig } from '@app/config';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataSourceOptions, MIGRATIONS_TABLE } from './data-source-options';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

const databaseOf = (url: string) =>
  loadConfig({
    DATABASE_URL: url,
    ENCRYPTION_KEYS: `k:${Buffer.alloc(32, 7).toString('base64')}`,
    DATA_DIR: tmpdir(),
  }).config.database;

describe('buildDataSourceOptions', () => {
  it('builds SQL Server options from an mssql:// URL, encryption settings included', () => {
    const options = buildDataSourceOptions(
      databaseOf(
        'mssql://svc%20user:p%40ss%3Aword@sql.internal:1444/contact_sync?encrypt=true&trustServerCertificate=true',
      ),
    );
    expect(options).toMatchObject({
      type: 'mssql',
      host: 'sql.internal',
      port: 1444,
      database: 'contact_sync',
      username: 'svc user',
      password: 'p@ss:word',
      options: { encrypt: true, trustServerCertificate: true },
      synchronize: false,
      migrationsTableName: MIGRATIONS_TABLE,
    });
    expect(options.entities).toBe(ENTITIES);
  });

  it('never synchronises the schema and uses the migrations', () => {
    for (const url of ['postgres://u@h/db', 'sqlite::memory:', 'mssql://u:p@h/db']) {
      const options = buildDataSourceOptions(databaseOf(url));
      expect(options.synchronize).toBe(false);
      expect(options.migrations).toBe(MIGRATIONS);
    }
  });

  it('opens SQLite in WAL mode with a busy timeout, creating its folder', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ds-')), 'nested', 'data');
    const options = buildDataSourceOptions(databaseOf(`sqlite:${dir}/app.db`));
    expect(options).toMatchObject({
      type: 'better-sqlite3',
      database: `${dir}/app.db`,
      enableWAL: true,
      timeout: 10_000,
    });
    const pragmas: string[] = [];
    (options as { prepareDatabase(db: { pragma(s: string): void }): void }).prepareDatabase({
      pragma: (s) => pragmas.push(s),
    });
    expect(pragmas).toEqual(['busy_timeout = 10000']);
    expect(require('node:fs').existsSync(dir)).toBe(true);
  });
});
