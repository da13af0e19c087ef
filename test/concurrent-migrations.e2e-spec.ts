import {
  createScratchPostgresDatabase,
  type ScratchDatabase,
} from '@app/persistence/testing/scratch-postgres-database';
import { MIGRATIONS } from '@app/persistence';
import { Client } from 'pg';
import { startService, type ServiceProcess } from './support/service-process';
import { POSTGRES_SERVER_URL, serviceEnv, testKey } from './support/test-env';

describe('the API and two workers starting at once on a fresh PostgreSQL database', () => {
  let database: ScratchDatabase;
  let services: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await createScratchPostgresDatabase(POSTGRES_SERVER_URL);
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop('SIGKILL')));
    await database?.drop();
  });

  it('migrate exactly once, with no error in any process, and all become ready', async () => {
    const key = testKey();
    const env = serviceEnv({ DATABASE_URL: database.url, ENCRYPTION_KEYS: key });
    services = [
      startService('apps/admin-api/src/main.ts', env),
      startService('apps/worker/src/main.ts', env),
      startService('apps/worker/src/main.ts', env),
    ];
    const ports = await Promise.all(services.map((s) => s.listening(60_000)));
    for (const port of ports) {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(res.status).toBe(200);
    }

    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query('SELECT name FROM schema_migrations');
    await client.end();
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));

    const migrationLogs = services
      .flatMap((s) => s.logs())
      .filter((l) => l.context === 'Persistence');
    expect(migrationLogs.filter((l) => l.msg === 'migrations applied')).toHaveLength(1);
    expect(migrationLogs.filter((l) => l.msg === 'schema up to date')).toHaveLength(2);
    for (const service of services) {
      expect(service.logs().filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
    }

    const codes = await Promise.all(services.map((s) => s.stop('SIGTERM')));
    expect(codes).toEqual([0, 0, 0]);
  });
});
