import { BlindIndex, FieldCipher, KeyRing } from '@app/crypto';
import {
  ContactListRepository,
  ListEntryEntity,
  ListEntryRepository,
  RowCipher,
} from '@app/persistence';
import { ImportCsvEntriesUseCase } from '@app/sync';
import { Fleet, tag } from './support/fleet';

const PEOPLE = [
  ['Ada Lovelace', 'ada@suppliers.example'],
  ['Grace Hopper', 'grace@suppliers.example'],
  ['Katherine Johnson', 'katherine@suppliers.example'],
];

/**
 * Issue #16, finding 8: CSV source keys held the address. A row stored by an older release
 * (`csv:<address>`) is rewritten to its blind index when a worker starts, and the next sync
 * replaces the mailbox item tagged with the old key: each contact stays exactly once.
 */
describe('CSV source keys: the blind index, never the address', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 6, seed: 61 } });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  async function ours(listId: string): Promise<Map<string, string[]>> {
    const synced = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    const byMailbox = new Map<string, string[]>();
    for (const { mailbox_id } of synced) {
      const items = (await fleet.contacts(mailbox_id)).filter((c) => tag(c, 'CsListId') === listId);
      byMailbox.set(
        mailbox_id,
        items.map((c) => `${c.displayName}|${tag(c, 'CsSourceKey')}`),
      );
    }
    return byMailbox;
  }

  it('rewrites a legacy csv:<address> key at worker start and the next sync does not duplicate the contact', async () => {
    const listId = await fleet.createList('Suppliers', { sources: [{ id: 'm', kind: 'manual' }] }, [
      { kind: 'all', mode: 'include', value: null },
    ]);
    const ring = new KeyRing(fleet.config.encryption);
    const index = new BlindIndex(ring);
    const rows = new RowCipher(new FieldCipher(ring));
    const csv =
      'displayName,emailAddresses\n' + PEOPLE.map(([n, a]) => `${n},${a}`).join('\n') + '\n';
    await new ImportCsvEntriesUseCase(
      new ListEntryRepository(fleet.dataSource, rows),
      new ContactListRepository(fleet.dataSource.manager),
      index,
    ).execute(fleet.tenantId, listId, csv);
    const repo = fleet.dataSource.getRepository(ListEntryEntity);
    // After an import no source key holds an address (a scan of the whole table).
    const scan = async () => {
      for (const { sourceKey } of await repo.find()) {
        expect(sourceKey).not.toContain('@');
        // A keyed hash in hex, nothing else ('ada' is itself hex: a substring check is random).
        expect(sourceKey).toMatch(/^csvh:[0-9a-f]{64}$/);
      }
    };
    await scan();

    // Store the rows as the release before ADR 0002 did, and sync them into the mailboxes.
    for (const entry of await repo.find({ where: { listId } })) {
      const fields = JSON.parse(rows.open(ListEntryEntity, entry, 'dataEncrypted')!) as {
        emailAddresses: string;
      };
      await repo.update({ id: entry.id }, { sourceKey: `csv:${fields.emailAddresses}` });
    }
    expect((await fleet.runNow(listId)).status).toBe('succeeded');
    const before = await ours(listId);
    expect(before.size).toBeGreaterThan(0);
    for (const items of before.values()) {
      expect(items).toHaveLength(PEOPLE.length);
      expect(items.every((i) => i.includes('@'))).toBe(true);
    }

    // A worker restart rewrites the keys (CsvSourceKeyBootstrap).
    await fleet.stopWorker();
    await fleet.startWorker();
    const keys = (await repo.find({ where: { listId } })).map((e) => e.sourceKey).sort();
    expect(keys).toEqual(PEOPLE.map(([, a]) => `csvh:${index.compute(fleet.tenantId, a)}`).sort());
    await scan();

    expect((await fleet.runNow(listId)).status).toBe('succeeded');
    const after = await ours(listId);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const items of after.values()) {
      // Each contact exactly once, under its new key; the old item is gone.
      expect(items.map((i) => i.split('|')[0]).sort()).toEqual(PEOPLE.map(([n]) => n).sort());
      for (const item of items) {
        expect(item).not.toContain('@');
        expect(item).toMatch(/\|manual:csvh:[0-9a-f]{64}$/);
      }
    }
  }, 120_000);
});
