import { BlindIndex, FieldCipher, KeyRing } from '@app/crypto';
import {
  ContactListEntity,
  ContactListRepository,
  ListEntryEntity,
  ListEntryRepository,
  RowCipher,
} from '@app/persistence';
import {
  openMigratedScratch,
  type MigratedScratch,
} from '@app/persistence/testing/migrated-scratch';
import { saveTenant } from '@app/persistence/testing/save-tenant';
import { TEST_DATABASES } from '@app/persistence/testing/test-databases';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ImportCsvEntriesUseCase } from './import-csv-entries.use-case';
import { RekeyCsvSourceKeys } from './rekey-csv-source-keys';

const ring = new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: randomBytes(32) }] });
const index = new BlindIndex(ring);

describe.each(TEST_DATABASES)('CSV source key rewrite on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let tenantId: string;
  let listId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    tenantId = await saveTenant(dataSource);
    const list = Object.assign(new ContactListEntity(), {
      tenantId,
      name: 'CSV',
      nameKey: 'csv',
      settings: '{}',
      defaultRegion: 'US',
    });
    listId = (await dataSource.getRepository(ContactListEntity).save(list)).id;
  });
  afterAll(() => scratch?.close());

  it('rewrites legacy csv:<address> keys to the blind index, idempotently, across batches', async () => {
    const rows = new RowCipher(new FieldCipher(ring));
    const csv =
      'displayName,emailAddresses\n' +
      Array.from({ length: 450 }, (_, i) => `Person ${i},p${i}@example.com`).join('\n');
    await new ImportCsvEntriesUseCase(
      new ListEntryRepository(dataSource, rows),
      new ContactListRepository(dataSource.manager),
      index,
    ).execute(tenantId, listId, csv);
    const repo = dataSource.getRepository(ListEntryEntity);
    // Put the rows back as a release before ADR 0002 stored them.
    for (const entry of await repo.find({ where: { listId } })) {
      const fields = JSON.parse(rows.open(ListEntryEntity, entry, 'dataEncrypted')!) as {
        emailAddresses: string;
      };
      await repo.update({ id: entry.id }, { sourceKey: `csv:${fields.emailAddresses}` });
    }
    expect(await repo.count({ where: { listId } })).toBe(450);
    expect(
      (await repo.findOneByOrFail({ listId, sourceKey: 'csv:p7@example.com' })).id,
    ).toBeTruthy();

    const rekey = new RekeyCsvSourceKeys(new ListEntryRepository(dataSource, rows), index);
    expect(await rekey.execute()).toEqual({ rewritten: 450 });
    const after = await repo.find({ where: { listId } });
    expect(after).toHaveLength(450);
    for (const { sourceKey } of after) {
      expect(sourceKey).toMatch(/^csvh:[0-9a-f]{64}$/);
      expect(sourceKey).not.toContain('@');
    }
    expect(after.map((e) => e.sourceKey)).toContain(
      `csvh:${index.compute(tenantId, 'p7@example.com')}`,
    );
    // The keys equal what a fresh import computes, so a re-import updates rather than re-creates.
    expect(await rekey.execute()).toEqual({ rewritten: 0 });
  });
});
