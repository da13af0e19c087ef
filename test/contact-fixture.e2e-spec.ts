import { Fleet, tag, type SimContact } from './support/fleet';

/**
 * Acceptance 1 of the contact engine: a list from a slice of the directory (phones written in
 * national and international styles) plus manual entries that duplicate two of its people,
 * pushed to 100+ mailboxes. The expected contacts below are written by hand, not computed.
 */
const FIXTURE_USERS = [
  {
    mailNickname: 'ada',
    displayName: 'Ada Lovelace',
    givenName: 'Ada',
    surname: 'Lovelace',
    mail: 'ada.lovelace@fixture.example',
    jobTitle: 'Analyst',
    department: 'Research',
    businessPhones: ['+44 20 7946 0958'],
    mobilePhone: '07700 900123',
    usageLocation: 'GB',
    country: 'United Kingdom',
  },
  {
    mailNickname: 'grace',
    displayName: 'Grace Hopper',
    givenName: 'Grace',
    surname: 'Hopper',
    mail: 'Grace.Hopper@Fixture.example',
    jobTitle: 'Rear Admiral',
    department: 'Engineering',
    businessPhones: ['(425) 555-0100'],
    mobilePhone: '425.555.0101',
    usageLocation: 'US',
    country: 'United States',
  },
  {
    mailNickname: 'marie',
    displayName: 'Marie Curie',
    givenName: 'Marie',
    surname: 'Curie',
    mail: 'marie.curie@fixture.example',
    jobTitle: 'Physicist',
    department: 'Research',
    businessPhones: ['01 42 68 53 00'],
    usageLocation: 'FR',
    country: 'France',
  },
  {
    mailNickname: 'emmy',
    displayName: 'Emmy Noether',
    givenName: 'Emmy',
    surname: 'Noether',
    mail: 'emmy.noether@fixture.example',
    jobTitle: 'Mathematician',
    department: 'Research',
    businessPhones: ['0049 30 901820'],
    usageLocation: 'DE',
    country: 'Germany',
  },
  {
    mailNickname: 'alan',
    displayName: '  Alan   Turing ',
    givenName: 'Alan',
    surname: 'Turing',
    mail: 'alan.turing@fixture.example',
    jobTitle: 'Cryptanalyst',
    department: 'Engineering',
    businessPhones: ['+1 (206) 555-0142'],
    usageLocation: 'GB',
    country: 'United Kingdom',
  },
  {
    mailNickname: 'katherine',
    displayName: 'Katherine Johnson',
    givenName: 'Katherine',
    surname: 'Johnson',
    mail: 'katherine.johnson@fixture.example',
    jobTitle: 'Mathematician',
    department: 'Flight Research',
    businessPhones: [],
    mobilePhone: '+1 757 555 0133',
    usageLocation: 'US',
    country: 'United States',
  },
];

/** Manual entries: two duplicate directory people by e-mail (and add a home phone), one is new. */
const MANUAL_ENTRIES = [
  {
    key: 'ada-dup',
    displayName: 'A. Lovelace',
    emailAddresses: 'ADA.LOVELACE@fixture.example',
    homePhones: '020 7946 0999',
    phoneRegion: 'GB',
  },
  {
    key: 'grace-dup',
    displayName: 'Amazing Grace',
    emailAddresses: 'grace.hopper@fixture.example',
    jobTitle: 'Admiral (ret.)',
  },
  {
    key: 'reception',
    displayName: 'Reception Desk',
    businessPhones: '+1 425 555 0199',
    companyName: 'Fixture Ltd',
  },
];

interface Expected {
  displayName: string;
  emails: string[];
  businessPhones: string[];
  mobilePhone: string | null;
  homePhones: string[];
  jobTitle: string | null;
}

const EXPECTED: Expected[] = [
  {
    displayName: 'Ada Lovelace',
    emails: ['ada.lovelace@fixture.example'],
    businessPhones: ['+442079460958'],
    mobilePhone: '+447700900123',
    homePhones: ['+442079460999'],
    jobTitle: 'Analyst',
  },
  {
    displayName: 'Alan Turing',
    emails: ['alan.turing@fixture.example'],
    businessPhones: ['+12065550142'],
    mobilePhone: null,
    homePhones: [],
    jobTitle: 'Cryptanalyst',
  },
  {
    displayName: 'Emmy Noether',
    emails: ['emmy.noether@fixture.example'],
    businessPhones: ['+4930901820'],
    mobilePhone: null,
    homePhones: [],
    jobTitle: 'Mathematician',
  },
  {
    displayName: 'Grace Hopper',
    emails: ['grace.hopper@fixture.example'],
    businessPhones: ['+14255550100'],
    mobilePhone: '+14255550101',
    homePhones: [],
    jobTitle: 'Rear Admiral',
  },
  {
    displayName: 'Katherine Johnson',
    emails: ['katherine.johnson@fixture.example'],
    businessPhones: [],
    mobilePhone: '+17575550133',
    homePhones: [],
    jobTitle: 'Mathematician',
  },
  {
    displayName: 'Marie Curie',
    emails: ['marie.curie@fixture.example'],
    businessPhones: ['+33142685300'],
    mobilePhone: null,
    homePhones: [],
    jobTitle: 'Physicist',
  },
  {
    displayName: 'Reception Desk',
    emails: [],
    businessPhones: ['+14255550199'],
    mobilePhone: null,
    homePhones: [],
    jobTitle: null,
  },
];

function project(c: SimContact): Expected {
  return {
    displayName: c.displayName ?? '',
    emails: (c.emailAddresses ?? []).map((e) => e.address.toLowerCase()),
    businessPhones: c.businessPhones ?? [],
    mobilePhone: c.mobilePhone ?? null,
    homePhones: c.homePhones ?? [],
    jobTitle: c.jobTitle ?? null,
  };
}

describe('a list pushed to 100+ mailboxes matches the hand-written fixture', () => {
  let fleet: Fleet;
  let listId: string;
  const lookAlikes = new Map<string, SimContact>();

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 150, seed: 5 } });
    for (const user of FIXTURE_USERS) {
      await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/users`, {
        method: 'POST',
        body: {
          ...user,
          userPrincipalName: `${user.mailNickname}@fixture.example`,
          onPremisesExtensionAttributes: { extensionAttribute1: 'fixture' },
        },
      });
    }
    listId = await fleet.createList(
      'Fixture list',
      {
        sources: [
          {
            id: 'dir',
            kind: 'directory',
            filter: {
              include: [
                {
                  when: [
                    {
                      type: 'attribute',
                      path: 'onPremisesExtensionAttributes.extensionAttribute1',
                      operator: 'equals',
                      value: 'fixture',
                    },
                  ],
                },
              ],
            },
          },
          { id: 'manual', kind: 'manual' },
        ],
      },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    await fleet.addManualEntries(listId, MANUAL_ENTRIES);
  }, 120_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('every mailbox holds exactly the fixture, and users’ own look-alike contacts are untouched', async () => {
    const users = (await fleet.users()).filter(
      (u) => u.mailbox === 'cloud' && u.licensed !== false && u.purpose === 'user',
    );
    // A user's own contact with the same name and e-mail as one of ours, in a few mailboxes.
    for (const user of users.slice(0, 5)) {
      const created = await fleet.graph<SimContact>('POST', `/users/${user.id}/contacts`, {
        displayName: 'Ada Lovelace',
        emailAddresses: [{ address: 'ada.lovelace@fixture.example', name: 'Ada Lovelace' }],
        businessPhones: ['+44 20 7946 0958'],
      });
      expect(created.status).toBe(201);
      lookAlikes.set(user.id, created.body);
    }

    const run = await fleet.runNow(listId, 'sync', 240_000);
    expect(run.status).toBe('succeeded');
    const synced = await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    );
    expect(synced.length).toBeGreaterThanOrEqual(100);
    expect(run.itemsCreated).toBe(synced.length * EXPECTED.length);

    for (const { mailbox_id: mailboxId } of synced as Array<{ mailbox_id: string }>) {
      const contacts = await fleet.contacts(mailboxId);
      const ours = contacts.filter((c) => tag(c, 'CsListId') === listId);
      expect(ours.map(project).sort((a, b) => a.displayName.localeCompare(b.displayName))).toEqual(
        EXPECTED,
      );
      for (const c of ours) expect(c.categories).toEqual(['Fixture list']);
      const own = lookAlikes.get(mailboxId);
      if (own) {
        const still = contacts.find((c) => c.id === own.id)!;
        expect(still).toBeDefined();
        expect(still.singleValueExtendedProperties).toEqual([]);
        expect(still.changeKey).toBe((own as SimContact & { changeKey: string }).changeKey);
        expect(contacts.filter((c) => c.displayName === 'Ada Lovelace')).toHaveLength(2);
      }
    }
  });
});
