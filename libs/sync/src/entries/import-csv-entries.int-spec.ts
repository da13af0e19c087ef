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
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CsvImportError } from './csv-import-error';
import { ImportCsvEntriesUseCase } from './import-csv-entries.use-case';

const ring = new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: randomBytes(32) }] });

const GOOD = `displayName,emailAddresses,businessPhones,mobilePhone,businessAddress.city
Ada Lovelace,ada@example.com,+44 20 7946 0958,,London
"Hopper, Grace",grace@example.com,(425) 555-0100,425 555 0101,Arlington
Reception,reception@example.com,+1 425 555 0199,,
`;

describe.each(TEST_DATABASES)('CSV import on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let importer: ImportCsvEntriesUseCase;
  let rows: RowCipher;
  let tenantId: string;
  let listId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    rows = new RowCipher(new FieldCipher(ring));
    importer = new ImportCsvEntriesUseCase(
      new ListEntryRepository(dataSource, rows),
      new ContactListRepository(dataSource.manager),
      new BlindIndex(ring),
    );
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

  const stored = async () => {
    const entries = await dataSource
      .getRepository(ListEntryEntity)
      .find({ where: { tenantId, listId }, order: { sourceKey: 'ASC' } });
    return entries.map((e) => ({
      key: e.sourceKey,
      fields: JSON.parse(rows.open(ListEntryEntity, e, 'dataEncrypted')!) as Record<string, string>,
      raw: e.dataEncrypted,
    }));
  };

  it('imports a clean file, encrypted, keyed by e-mail', async () => {
    expect(await importer.execute(tenantId, listId, GOOD)).toEqual({
      mode: 'replace',
      imported: 3,
      replaced: 0,
      kept: 0,
    });
    const entries = await stored();
    // Keys are the tenant's blind index of the address, never the address (ADR 0002).
    const index = new BlindIndex(ring);
    expect(entries.map((e) => e.key)).toEqual(
      ['ada@example.com', 'grace@example.com', 'reception@example.com']
        .map((a) => `csvh:${index.compute(tenantId, a)}`)
        .sort(),
    );
    expect(entries.find((e) => e.fields.displayName === 'Hopper, Grace')?.fields).toEqual({
      displayName: 'Hopper, Grace',
      emailAddresses: 'grace@example.com',
      businessPhones: '(425) 555-0100',
      mobilePhone: '425 555 0101',
      'businessAddress.city': 'Arlington',
    });
    for (const e of entries) expect(e.raw).not.toContain('@example.com');
    // A scan of the whole table: no source key holds an address or any part of one.
    const keys = await dataSource.getRepository(ListEntryEntity).find();
    for (const { sourceKey } of keys) {
      expect(sourceKey).not.toContain('@');
      // A keyed hash in hex, nothing else: no room for an address or a part of one ('ada' is
      // itself hex, so a substring check would fail at random).
      expect(sourceKey).toMatch(/^csvh:[0-9a-f]{64}$/);
      for (const local of ['grace', 'reception']) expect(sourceKey).not.toContain(local);
    }
  });

  it('refuses a file with any bad row, names every problem by line and column, and changes nothing', async () => {
    const before = await stored();
    const bad = `displayName,emailAddresses,businessPhones,birthday
Ada Lovelace,ada@example.com,+44 20 7946 0958,
Broken Mail,not-an-email,,
,,,
Grace Hopper,grace@example.com,(425) 555-0100,1906-13-45
Ada Again,ADA@example.com,,
`;
    let error: CsvImportError | undefined;
    try {
      await importer.execute(tenantId, listId, bad);
    } catch (e) {
      error = e as CsvImportError;
    }
    expect(error).toBeInstanceOf(CsvImportError);
    expect(error!.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'emailAddresses'],
      [3, 'key'],
      [4, 'displayName'],
      [4, 'key'],
      [5, 'birthday'],
      [6, 'emailAddresses'],
    ]);
    expect(await stored()).toEqual(before);
  });

  it('refuses unknown columns and unparseable files', async () => {
    await expect(
      importer.execute(tenantId, listId, 'displayName,shoeSize\nAda,38\n'),
    ).rejects.toMatchObject({
      problems: [{ row: 1, field: 'shoeSize', message: 'not a contact field' }],
    });
    await expect(
      importer.execute(tenantId, listId, 'displayName,emailAddresses\n"Ada,ada@x.com\n'),
    ).rejects.toBeInstanceOf(CsvImportError);
    await expect(importer.execute(tenantId, listId, 'displayName\n')).rejects.toMatchObject({
      problems: [{ message: 'no rows below the header' }],
    });
  });

  it('replaces the entries with a new clean file', async () => {
    const result = await importer.execute(
      tenantId,
      listId,
      'key,displayName\nfront-desk,Front Desk\n',
    );
    expect(result).toEqual({ mode: 'replace', imported: 1, replaced: 3, kept: 0 });
    expect((await stored()).map((e) => e.key)).toEqual([
      `csvh:${new BlindIndex(ring).compute(tenantId, 'front-desk')}`,
    ]);
  });
  it('an import interrupted while writing leaves the old entries current; its retry completes', async () => {
    const repo = dataSource.getRepository(ListEntryEntity);
    const current = async () => {
      const list = await dataSource
        .getRepository(ContactListEntity)
        .findOneByOrFail({ id: listId });
      return repo.count({ where: { listId, generation: list.entryGeneration } });
    };
    expect(await current()).toBe(1);
    const csv =
      'displayName,emailAddresses\n' +
      Array.from({ length: 1_200 }, (_, i) => `Person ${i},p${i}@example.com`).join('\n');
    const generation = randomUUID();
    await expect(
      importer.execute(tenantId, listId, csv, {
        generation,
        progress: (phase, done) => {
          if (phase === 'writing' && done >= 500) throw new Error('worker killed');
          return Promise.resolve();
        },
      }),
    ).rejects.toThrow('worker killed');
    // Staged rows exist, but the list still shows its one old entry.
    expect(await repo.count({ where: { listId, generation } })).toBeGreaterThan(0);
    expect(await current()).toBe(1);
    expect(await importer.execute(tenantId, listId, csv, { generation })).toEqual({
      mode: 'replace',
      imported: 1_200,
      replaced: 1,
      kept: 0,
    });
    expect(await current()).toBe(1_200);
    expect(await repo.count({ where: { listId } })).toBe(1_200);
  });

  it('merges a file into the entries: its rows add or update, the others stay as they were', async () => {
    await importer.execute(
      tenantId,
      listId,
      'displayName,emailAddresses,jobTitle\nAda,ada@example.com,Analyst\nGrace,grace@example.com,Admiral\n',
    );
    const before = await stored();
    const graceBefore = before.find((e) => e.fields.displayName === 'Grace')!;
    const result = await importer.execute(
      tenantId,
      listId,
      'displayName,emailAddresses,jobTitle\nAda Lovelace,ada@example.com,Countess\nAlan,alan@example.com,\n',
      { mode: 'merge' },
    );
    expect(result).toEqual({ mode: 'merge', imported: 2, replaced: 1, kept: 1 });
    const after = await stored();
    expect(after.map((e) => e.fields.displayName).sort()).toEqual([
      'Ada Lovelace',
      'Alan',
      'Grace',
    ]);
    // Ada keeps her key (the sync updates her), Grace is the very same row, still readable.
    const index = new BlindIndex(ring);
    expect(after.find((e) => e.fields.displayName === 'Ada Lovelace')!.key).toBe(
      `csvh:${index.compute(tenantId, 'ada@example.com')}`,
    );
    const grace = after.find((e) => e.fields.displayName === 'Grace')!;
    expect(grace).toEqual(graceBefore);
    // Only the current generation is left.
    expect(await dataSource.getRepository(ListEntryEntity).count({ where: { listId } })).toBe(3);
    // A refused file merges nothing.
    await expect(
      importer.execute(tenantId, listId, 'displayName,emailAddresses\nBad,nope\n', {
        mode: 'merge',
      }),
    ).rejects.toBeInstanceOf(CsvImportError);
    expect(await stored()).toEqual(after);
  });
});
