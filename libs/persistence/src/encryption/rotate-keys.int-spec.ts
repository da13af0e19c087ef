import { loadConfig, TEST_SERVERS } from '@app/config';
import { FieldCipher, KeyRing, keyIdOf } from '@app/crypto';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ContactListEntity, EwsConnectionEntity, ListEntryEntity, TenantEntity } from '../entities';
import { openDataSource } from '../open-data-source';
import { runMigrations } from '../run-migrations';
import {
  createScratchPostgresDatabase,
  type ScratchDatabase,
} from '../testing/scratch-postgres-database';
import { rotateKeys } from './rotate-keys';

const POSTGRES_SERVER = TEST_SERVERS.postgresUrl;
const oldKey = { id: 'old', material: randomBytes(32) };
const newKey = { id: 'new', material: randomBytes(32) };
const ENTRIES_PER_TENANT = 550;

describe.each([
  [
    'sqlite',
    async () => ({
      url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'rot-')), 'db.sqlite')}`,
      drop: async () => undefined,
    }),
  ],
  ['postgres', () => createScratchPostgresDatabase(POSTGRES_SERVER)],
] as const)('key rotation on %s', (_kind, makeDatabase) => {
  let scratch: ScratchDatabase;
  let dataSource: DataSource;
  const plaintexts = new Map<string, string>();

  beforeAll(async () => {
    scratch = await makeDatabase();
    const { config } = loadConfig({
      DATABASE_URL: scratch.url,
      ENCRYPTION_KEYS: `old:${oldKey.material.toString('base64')}`,
      DATA_DIR: tmpdir(),
    });
    dataSource = await openDataSource(config.database);
    await runMigrations(dataSource, config.database, { lockTimeoutMs: 10_000 });

    // Seed 1,100 contact rows and 2 passwords across two tenants, all under the old key.
    const cipher = new FieldCipher(new KeyRing({ activeKeyId: 'old', keys: [oldKey] }));
    for (const n of [1, 2]) {
      const tenant = await dataSource
        .getRepository(TenantEntity)
        .save(Object.assign(new TenantEntity(), { azureTenantId: randomUUID(), status: 'active' }));
      const list = Object.assign(new ContactListEntity(), {
        tenantId: tenant.id,
        name: `L${n}`,
        nameKey: `l${n}`,
        settings: '{}',
      });
      await dataSource.getRepository(ContactListEntity).save(list);
      const entries = Array.from({ length: ENTRIES_PER_TENANT }, (_, i) => {
        const entry = Object.assign(new ListEntryEntity(), {
          tenantId: tenant.id,
          listId: list.id,
          sourceKey: `k${i}`,
        });
        const plain = JSON.stringify({ name: `Person ${n}-${i}`, phone: `+4420${i}` });
        entry.dataEncrypted = cipher.encrypt(plain, {
          tenantId: tenant.id,
          table: 'list_entry',
          rowId: entry.id,
          column: 'data_encrypted',
        });
        plaintexts.set(entry.id, plain);
        return entry;
      });
      await dataSource.getRepository(ListEntryEntity).save(entries, { chunk: 200 });
      const ews = Object.assign(new EwsConnectionEntity(), {
        tenantId: tenant.id,
        serverUrl: 'https://mail.example/EWS/Exchange.asmx',
        username: 'svc',
      });
      ews.passwordEncrypted = cipher.encrypt(`secret-${n}`, {
        tenantId: tenant.id,
        table: 'ews_connection',
        rowId: ews.id,
        column: 'password_encrypted',
      });
      plaintexts.set(ews.id, `secret-${n}`);
      await dataSource.getRepository(EwsConnectionEntity).save(ews);
    }
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await scratch?.drop();
  });

  it('re-encrypts every value with the active key, resumably, after which the old key can go', async () => {
    const rotating = new FieldCipher(new KeyRing({ activeKeyId: 'new', keys: [oldKey, newKey] }));

    // An interrupted run (two batches) leaves a mix; the next run finishes the rest.
    // Tables go in ENCRYPTED_COLUMNS order: ews_connection's one batch, then one of list_entry.
    const partial = await rotateKeys(dataSource, rotating, { batchSize: 100, maxBatches: 2 });
    const count = (results: typeof partial, table: string) =>
      results.find((p) => p.table === table)!.reencrypted;
    expect(count(partial, 'ews_connection')).toBe(2);
    expect(count(partial, 'list_entry')).toBe(100);
    const rest = await rotateKeys(dataSource, rotating, { batchSize: 100 });
    expect(count(rest, 'ews_connection')).toBe(0);
    expect(count(rest, 'list_entry')).toBe(2 * ENTRIES_PER_TENANT - 100);

    // A third run has nothing left to do.
    const again = await rotateKeys(dataSource, rotating);
    expect(again.reduce((n, p) => n + p.reencrypted, 0)).toBe(0);

    // Only the new key now: every value still decrypts to what was stored.
    const onlyNew = new FieldCipher(new KeyRing({ activeKeyId: 'new', keys: [newKey] }));
    const entries = await dataSource.getRepository(ListEntryEntity).find();
    expect(entries).toHaveLength(2 * ENTRIES_PER_TENANT);
    for (const e of entries) {
      expect(keyIdOf(e.dataEncrypted)).toBe('new');
      expect(
        onlyNew.decrypt(e.dataEncrypted, {
          tenantId: e.tenantId,
          table: 'list_entry',
          rowId: e.id,
          column: 'data_encrypted',
        }),
      ).toBe(plaintexts.get(e.id));
    }
    for (const c of await dataSource.getRepository(EwsConnectionEntity).find()) {
      expect(
        onlyNew.decrypt(c.passwordEncrypted, {
          tenantId: c.tenantId,
          table: 'ews_connection',
          rowId: c.id,
          column: 'password_encrypted',
        }),
      ).toBe(plaintexts.get(c.id));
    }
  });
});
