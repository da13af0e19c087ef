import { Fleet, tag, type SimContact } from './support/fleet';

/**
 * Acceptance 1 of the contact engine at full size: 300 directory users whose phones are written
 * in ten national and international styles, 12 of them duplicated by CSV entries, pushed to 100+
 * mailboxes. The expected contacts come from the hand-written table below, not from the code.
 */
const PHONE_STYLES = [
  { written: '(425) 555-0100', location: 'US', country: 'United States', e164: '+14255550100' },
  { written: '+1 425 555 0101', location: 'US', country: 'United States', e164: '+14255550101' },
  { written: '425.555.0102', location: 'US', country: 'United States', e164: '+14255550102' },
  { written: '+44 20 7946 0958', location: 'GB', country: 'United Kingdom', e164: '+442079460958' },
  { written: '020 7946 0959', location: 'GB', country: 'United Kingdom', e164: '+442079460959' },
  {
    written: '0044 20 7946 0960',
    location: 'GB',
    country: 'United Kingdom',
    e164: '+442079460960',
  },
  { written: '01 42 68 53 00', location: 'FR', country: 'France', e164: '+33142685300' },
  { written: '+33 1 42 68 53 01', location: 'FR', country: 'France', e164: '+33142685301' },
  { written: '030 901820', location: 'DE', country: 'Germany', e164: '+4930901820' },
  { written: '+49 30 901821', location: 'DE', country: 'Germany', e164: '+4930901821' },
];
const PEOPLE = 300;
const isDuplicated = (i: number) => i % 25 === 0;
const DUPLICATE_HOME_PHONE = { written: '+1 (206) 555-0142', e164: '+12065550142' };

interface Expected {
  displayName: string;
  emails: string[];
  businessPhones: string[];
  homePhones: string[];
}

const expected: Expected[] = Array.from({ length: PEOPLE }, (_, i) => ({
  displayName: `Bulk${i} Person`,
  emails: [`bulk${i}@fixture.example`],
  businessPhones: [PHONE_STYLES[i % PHONE_STYLES.length].e164],
  homePhones: isDuplicated(i) ? [DUPLICATE_HOME_PHONE.e164] : [],
})).sort((a, b) => a.displayName.localeCompare(b.displayName));

const project = (c: SimContact): Expected => ({
  displayName: c.displayName ?? '',
  emails: (c.emailAddresses ?? []).map((e) => e.address.toLowerCase()),
  businessPhones: c.businessPhones ?? [],
  homePhones: c.homePhones ?? [],
});

describe('300 directory users with duplicates across two sources, pushed to 100+ mailboxes', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 150, seed: 9 } });
    for (let i = 0; i < PEOPLE; i++) {
      const style = PHONE_STYLES[i % PHONE_STYLES.length];
      await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users`, {
        method: 'POST',
        body: {
          displayName: `Bulk${i} Person`,
          givenName: `Bulk${i}`,
          surname: 'Person',
          mailNickname: `bulk${i}`,
          mail: `bulk${i}@fixture.example`,
          userPrincipalName: `bulk${i}@fixture.example`,
          businessPhones: [style.written],
          usageLocation: style.location,
          country: style.country,
          onPremisesExtensionAttributes: { extensionAttribute2: 'bulk' },
          // Directory entries only: these people do not receive the list.
          assignedLicenses: [],
        },
      });
    }
  }, 120_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('every mailbox holds exactly the 300 expected contacts, once each', async () => {
    const bulk = {
      include: [
        {
          when: [
            {
              type: 'attribute',
              path: 'onPremisesExtensionAttributes.extensionAttribute2',
              operator: 'equals',
              value: 'bulk',
            },
          ],
        },
      ],
    };
    const listId = await fleet.createList(
      'Bulk fixture',
      {
        sources: [
          { id: 'dir', kind: 'directory', filter: bulk },
          { id: 'csv', kind: 'manual' },
        ],
      },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    await fleet.addManualEntries(
      listId,
      Array.from({ length: PEOPLE }, (_, i) => i)
        .filter(isDuplicated)
        .map((i) => ({
          key: `dup-${i}`,
          displayName: `B. Person ${i}`,
          emailAddresses: `BULK${i}@FIXTURE.EXAMPLE`,
          homePhones: DUPLICATE_HOME_PHONE.written,
        })),
    );
    const run = await fleet.runNow(listId, 'sync', 300_000);
    expect(run.status).toBe('succeeded');
    const synced = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    expect(synced.length).toBeGreaterThanOrEqual(100);
    expect(run.itemsCreated).toBe(synced.length * PEOPLE);
    for (const { mailbox_id } of synced) {
      const ours = (await fleet.contacts(mailbox_id)).filter((c) => tag(c, 'CsListId') === listId);
      expect(ours.map(project).sort((a, b) => a.displayName.localeCompare(b.displayName))).toEqual(
        expected,
      );
    }
  }, 300_000);
});
