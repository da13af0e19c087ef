import { loadConfig, type DatabaseConfig, TEST_SERVERS } from '@app/config';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { openDataSource } from './open-data-source';
import { runMigrations } from './run-migrations';
import { describeSchema, type PortableTable } from './testing/describe-schema';
import {
  createScratchPostgresDatabase,
  type ScratchDatabase,
} from './testing/scratch-postgres-database';

const POSTGRES_SERVER = TEST_SERVERS.postgresUrl;
const EXPECTED_TABLES = [
  'admin_user',
  'alert_cursor',
  'alert_delivery',
  'alert_settings',
  'api_token',
  'audit_event',
  'billing_usage_day',
  'calendar_entry',
  'calendar_list',
  'contact_list',
  'ews_connection',
  'import_job',
  'list_entry',
  'list_tombstone',
  'mailbox_state',
  'operator_grant',
  'run_mailbox',
  'schedule',
  'source_state',
  'stripe_event',
  'subscription',
  'sync_run',
  'target',
  'tenant',
  'tenant_cleanup',
];

function databaseConfig(url: string): DatabaseConfig {
  return loadConfig({
    DATABASE_URL: url,
    ENCRYPTION_KEYS: `k:${Buffer.alloc(32).toString('base64')}`,
    DATA_DIR: tmpdir(),
  }).config.database;
}

describe.each([
  [
    'sqlite',
    async () => ({
      url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'mig-')), 'db.sqlite')}`,
      drop: async () => undefined,
    }),
  ],
  ['postgres', () => createScratchPostgresDatabase(POSTGRES_SERVER)],
] as const)('migrations on %s', (_kind, makeDatabase) => {
  let scratch: ScratchDatabase;
  let dataSource: DataSource;
  let config: DatabaseConfig;

  beforeAll(async () => {
    scratch = await makeDatabase();
    config = databaseConfig(scratch.url);
    dataSource = await openDataSource(config);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await scratch?.drop();
  });

  it('go up, down and up again, ending with the same schema', async () => {
    const first = await runMigrations(dataSource, config, { lockTimeoutMs: 10_000 });
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.name));
    const afterUp = await describeSchema(dataSource);
    expect(afterUp.map((t) => t.name)).toEqual(EXPECTED_TABLES);

    for (let i = 0; i < MIGRATIONS.length; i++)
      await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await describeSchema(dataSource)).toEqual([]);

    const second = await runMigrations(dataSource, config, { lockTimeoutMs: 10_000 });
    expect(second.applied).toHaveLength(MIGRATIONS.length);
    expect(await describeSchema(dataSource)).toEqual(afterUp);

    expect((await runMigrations(dataSource, config, { lockTimeoutMs: 10_000 })).applied).toEqual(
      [],
    );
  });

  it('has a table column for every entity column, with the same nullability', async () => {
    const schema = new Map((await describeSchema(dataSource)).map((t) => [t.name, t]));
    for (const metadata of dataSource.entityMetadatas) {
      const table = schema.get(metadata.tableName);
      expect(table).toBeDefined();
      for (const column of metadata.columns) {
        const actual = table!.columns.find((c) => c.name === column.databaseName);
        expect({
          table: metadata.tableName,
          column: column.databaseName,
          nullable: actual?.nullable,
        }).toEqual({
          table: metadata.tableName,
          column: column.databaseName,
          nullable: column.isNullable,
        });
      }
      for (const index of metadata.indices) {
        expect(table!.indices.some((i) => i.startsWith(`${index.name}(`))).toBe(true);
      }
    }
    expect(dataSource.entityMetadatas).toHaveLength(ENTITIES.length);
  });

  it('EWS-only organisations: the tenant rebuild keeps every row below it; no Entra id for many, each Entra id once', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    const tenants = dataSource.getRepository('TenantEntity');
    const lists = dataSource.getRepository('ContactListEntity');
    const before = await tenants.save(tenants.create({ azureTenantId: crypto.randomUUID() }));
    await lists.save(
      lists.create({ tenantId: before.id, name: 'Kept', nameKey: 'kept', settings: '{}' }),
    );
    expect((await runMigrations(dataSource, config, { lockTimeoutMs: 10_000 })).applied).toEqual([
      MIGRATIONS.at(-1)!.name,
    ]);
    expect(await lists.count({ where: { tenantId: before.id } })).toBe(1);
    expect(await tenants.findOneByOrFail({ id: before.id })).toMatchObject({
      azureTenantId: before.azureTenantId,
    });
    await tenants.save([
      tenants.create({ azureTenantId: null, status: 'active' }),
      tenants.create({ azureTenantId: null, status: 'active' }),
    ]);
    await expect(
      tenants.save(tenants.create({ azureTenantId: before.azureTenantId })),
    ).rejects.toThrow();
  });

  it('allows one active run per list and any number of finished ones', async () => {
    const repo = dataSource.getRepository('TenantEntity');
    const tenant = await repo.save(
      repo.create({ azureTenantId: crypto.randomUUID(), status: 'active' }),
    );
    const runs = dataSource.getRepository('SyncRunEntity');
    const listId = crypto.randomUUID();
    const run = (active: boolean) =>
      runs.create({
        tenantId: tenant.id,
        listKind: 'contacts',
        listId,
        activeListId: active ? listId : null,
        trigger: 'manual',
        status: active ? 'running' : 'succeeded',
        startedAt: new Date(),
      });
    await runs.save([run(false), run(false), run(true)]);
    await expect(runs.save(run(true))).rejects.toThrow();
    expect(await runs.count({ where: { listId } })).toBe(3);
  });

  it('deletes a tenant with everything below it through the single cascade path', async () => {
    const tenants = dataSource.getRepository('TenantEntity');
    const tenant = await tenants.save(tenants.create({ azureTenantId: crypto.randomUUID() }));
    const lists = dataSource.getRepository('ContactListEntity');
    const list = await lists.save(
      lists.create({ tenantId: tenant.id, name: 'Staff', nameKey: 'staff', settings: '{}' }),
    );
    const entries = dataSource.getRepository('ListEntryEntity');
    await entries.save(
      entries.create({
        tenantId: tenant.id,
        listId: list.id,
        sourceKey: 'a',
        dataEncrypted: 'v1.x',
      }),
    );
    await tenants.delete({ id: tenant.id });
    expect(await lists.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await entries.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it('holds one operator grant per tenant and operator, an operator audit id, and cascades', async () => {
    const tenants = dataSource.getRepository('TenantEntity');
    const tenant = await tenants.save(tenants.create({ azureTenantId: crypto.randomUUID() }));
    const grants = dataSource.getRepository('OperatorGrantEntity');
    const grant = (role: string) =>
      grants.create({
        tenantId: tenant.id,
        operatorTenantId: 'aaaaaaaa-0000-4000-8000-000000000001',
        operatorObjectId: 'bbbbbbbb-0000-4000-8000-000000000002',
        role,
        label: null,
        grantedBy: 'cccccccc-0000-4000-8000-000000000003',
      });
    await grants.save(grant('viewer'));
    await expect(grants.save(grant('admin'))).rejects.toThrow();
    const operatorId = 'aaaaaaaa-0000-4000-8000-000000000001/bbbbbbbb-0000-4000-8000-000000000002';
    const events = dataSource.getRepository('AuditEventEntity');
    await events.save(
      events.create({
        tenantId: tenant.id,
        actorType: 'operator',
        actorId: operatorId,
        action: 'x',
      }),
    );
    expect((await events.findOneByOrFail({ tenantId: tenant.id })).actorId).toBe(operatorId);
    await tenants.delete({ id: tenant.id });
    expect(await grants.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});

describe('SQLite and PostgreSQL schemas', () => {
  it('are equivalent after migrating', async () => {
    const schemas: PortableTable[][] = [];
    const pg = await createScratchPostgresDatabase(POSTGRES_SERVER);
    const sqliteUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'mig-')), 'db.sqlite')}`;
    try {
      for (const url of [sqliteUrl, pg.url]) {
        const config = databaseConfig(url);
        const ds = await openDataSource(config);
        await runMigrations(ds, config, { lockTimeoutMs: 10_000 });
        schemas.push(await describeSchema(ds));
        await ds.destroy();
      }
    } finally {
      await pg.drop();
    }
    expect(schemas[0].length).toBe(EXPECTED_TABLES.length);
    expect(schemas[1]).toEqual(schemas[0]);
  });
});
