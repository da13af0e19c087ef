import { DomainValidationError } from '../errors/domain-validation-error';
import { contactContentHash } from '../hash/contact-content-hash';
import {
  DIRECTORY_USER_MAPPING,
  MANUAL_ENTRY_MAPPING,
  ORG_CONTACT_MAPPING,
} from '../mapping/default-mappings';
import { permutations } from '../testing/seeded-random';
import { graphOrgContact } from '../testing/source-records';
import {
  buildDesiredContacts,
  type ContactSourceConfig,
  type SourceRecords,
} from './build-desired-contacts';

const user = (id: string, fields: Record<string, unknown>) => ({
  id,
  accountEnabled: true,
  userType: 'Member',
  assignedLicenses: [{ skuId: 's' }],
  businessPhones: [],
  mobilePhone: null,
  ...fields,
});

const directory: ContactSourceConfig = {
  id: 'dir',
  kind: 'directory',
  mapping: DIRECTORY_USER_MAPPING,
  filter: {
    include: [{ when: [{ type: 'licensed' }, { type: 'enabled' }] }],
    exclude: [
      { when: [{ type: 'userType', values: ['Guest'] }] },
      {
        when: [
          {
            type: 'attribute',
            path: 'onPremisesExtensionAttributes.extensionAttribute15',
            operator: 'equals',
            value: 'HideFromSync',
          },
        ],
      },
    ],
  },
};
const csv: ContactSourceConfig = { id: 'csv', kind: 'manual', mapping: MANUAL_ENTRY_MAPPING };
const orgContacts: ContactSourceConfig = {
  id: 'oc',
  kind: 'org-contact',
  mapping: ORG_CONTACT_MAPPING,
};

const directoryRecords = [
  user('AAAAAAAA-0000-0000-0000-000000000001', {
    displayName: 'Adele Vance',
    givenName: 'Adele',
    surname: 'Vance',
    mail: 'AdeleV@contoso.com',
    businessPhones: ['+1 (425) 555-0100'],
    mobilePhone: '206-555-0111',
    usageLocation: 'US',
    country: 'United States',
    jobTitle: 'Retail Manager',
  }),
  user('AAAAAAAA-0000-0000-0000-000000000002', {
    displayName: 'Megan Bowen',
    mail: 'meganb@contoso.com',
    businessPhones: ['020 7946 0123'],
    mobilePhone: '+44 (0)7700 900456',
    usageLocation: 'GB',
  }),
  user('AAAAAAAA-0000-0000-0000-000000000003', {
    displayName: 'Disabled',
    mail: 'x@contoso.com',
    accountEnabled: false,
  }),
  user('AAAAAAAA-0000-0000-0000-000000000004', {
    displayName: 'Guest',
    mail: 'g@fabrikam.example',
    userType: 'Guest',
  }),
  user('AAAAAAAA-0000-0000-0000-000000000005', {
    displayName: 'Hidden',
    mail: 'h@contoso.com',
    onPremisesExtensionAttributes: { extensionAttribute15: 'HideFromSync' },
  }),
  user('AAAAAAAA-0000-0000-0000-000000000006', { displayName: 'Unlicensed', assignedLicenses: [] }),
];
const csvRecords = [
  // The same Adele, by e-mail: fills her nick name and adds a home number.
  {
    id: 'row-1',
    emailAddresses: 'adelev@CONTOSO.com',
    nickName: 'Dell',
    homePhones: '(425) 555-0199',
    jobTitle: 'Ignored: lower priority',
  },
  {
    id: 'row-2',
    displayName: 'Front desk',
    businessPhones: '555-0100 ext. 12',
    categories: 'Reception',
  },
];

const sources = (): SourceRecords[] => [
  { source: directory, records: directoryRecords },
  { source: csv, records: csvRecords },
  { source: orgContacts, records: [graphOrgContact] },
];

describe('buildDesiredContacts', () => {
  const result = buildDesiredContacts({
    sources: sources(),
    defaultRegion: 'US',
    listCategories: ['Company'],
  });

  it('filters, maps, normalises and merges into the expected contacts', () => {
    expect(result.items.map((i) => i.value)).toEqual([
      {
        sourceKey: 'manual:row-2',
        sourceKind: 'manual',
        sourceIds: ['csv'],
        mergedKeys: ['manual:row-2'],
        displayName: 'Front desk',
        emailAddresses: [],
        businessPhones: ['555-0100 ext. 12'],
        homePhones: [],
        categories: ['Company', 'Reception'],
        phoneIssues: [
          { field: 'businessPhones', value: '555-0100 ext. 12', reason: 'invalid-phone' },
        ],
        fieldIssues: [],
      },
      {
        sourceKey: 'orgcontact:0a1b2c3d-1111-2222-3333-444455556666',
        sourceKind: 'org-contact',
        sourceIds: ['oc'],
        mergedKeys: ['orgcontact:0a1b2c3d-1111-2222-3333-444455556666'],
        givenName: 'Coho',
        surname: 'Partner',
        displayName: 'Coho Partner',
        companyName: 'Coho Winery',
        jobTitle: 'Supplier contact',
        emailAddresses: [
          { address: 'partner@coho.example', name: 'Coho Partner' },
          { address: 'partner.alias@coho.example', name: 'Coho Partner' },
        ],
        businessPhones: ['+493012345678'],
        homePhones: [],
        businessAddress: {
          street: 'Hauptstr. 1',
          city: 'Berlin',
          postalCode: '10115',
          countryOrRegion: 'Germany',
        },
        categories: ['Company'],
        phoneIssues: [],
        fieldIssues: [],
      },
      {
        sourceKey: 'user:aaaaaaaa-0000-0000-0000-000000000001',
        sourceKind: 'directory',
        sourceIds: ['dir', 'csv'],
        mergedKeys: ['user:aaaaaaaa-0000-0000-0000-000000000001', 'manual:row-1'],
        givenName: 'Adele',
        surname: 'Vance',
        displayName: 'Adele Vance',
        nickName: 'Dell',
        jobTitle: 'Retail Manager',
        emailAddresses: [{ address: 'adelev@contoso.com', name: 'Adele Vance' }],
        businessPhones: ['+14255550100'],
        mobilePhone: '+12065550111',
        homePhones: ['+14255550199'],
        businessAddress: { countryOrRegion: 'United States' },
        categories: ['Company'],
        phoneIssues: [],
        fieldIssues: [],
      },
      {
        sourceKey: 'user:aaaaaaaa-0000-0000-0000-000000000002',
        sourceKind: 'directory',
        sourceIds: ['dir'],
        mergedKeys: ['user:aaaaaaaa-0000-0000-0000-000000000002'],
        displayName: 'Megan Bowen',
        emailAddresses: [{ address: 'meganb@contoso.com', name: 'Megan Bowen' }],
        businessPhones: ['+442079460123'],
        mobilePhone: '+447700900456',
        homePhones: [],
        categories: ['Company'],
        phoneIssues: [],
        fieldIssues: [],
      },
    ]);
  });

  it('hashes each contact and lists the keys merged into it', () => {
    for (const item of result.items) {
      expect(item.sourceKey).toBe(item.value.sourceKey);
      expect(item.contentHash).toBe(contactContentHash(item.value));
    }
    expect(result.items.map((i) => i.alternateKeys)).toEqual([[], [], ['manual:row-1'], []]);
  });

  it('reports per source what was read, filtered out and unusable', () => {
    expect(result.sources).toEqual([
      { sourceId: 'dir', records: 6, excludedByFilter: 4, withoutKey: 0 },
      { sourceId: 'csv', records: 2, excludedByFilter: 0, withoutKey: 0 },
      { sourceId: 'oc', records: 1, excludedByFilter: 0, withoutKey: 0 },
    ]);
    const withoutId = buildDesiredContacts({
      sources: [{ source: csv, records: [{ displayName: 'No id' }] }],
      defaultRegion: 'US',
    });
    expect(withoutId.items).toEqual([]);
    expect(withoutId.sources).toEqual([
      { sourceId: 'csv', records: 1, excludedByFilter: 0, withoutKey: 1 },
    ]);
  });

  it('does not depend on the order of sources when the priority is explicit', () => {
    const expected = buildDesiredContacts({
      sources: sources(),
      defaultRegion: 'US',
      sourcePriority: ['dir', 'csv', 'oc'],
    });
    for (const order of permutations(sources())) {
      expect(
        buildDesiredContacts({
          sources: order,
          defaultRegion: 'US',
          sourcePriority: ['dir', 'csv', 'oc'],
        }),
      ).toEqual({
        ...expected,
        sources: order.map((s) => expected.sources.find((r) => r.sourceId === s.source.id)),
      });
    }
  });

  it('lets the CSV win when it has the higher priority', () => {
    const csvFirst = buildDesiredContacts({
      sources: sources(),
      defaultRegion: 'US',
      sourcePriority: ['csv', 'dir', 'oc'],
    });
    const adele = csvFirst.items.find((i) => i.value.nickName === 'Dell')!;
    expect(adele.sourceKey).toBe('manual:row-1');
    expect(adele.value.jobTitle).toBe('Ignored: lower priority');
    expect(adele.alternateKeys).toEqual(['user:aaaaaaaa-0000-0000-0000-000000000001']);
  });

  it('reads org contacts among group members with the org contact mapping', () => {
    const group: ContactSourceConfig = {
      id: 'grp',
      kind: 'group',
      mapping: DIRECTORY_USER_MAPPING,
    };
    const built = buildDesiredContacts({
      sources: [{ source: group, records: [directoryRecords[1]!, graphOrgContact] }],
      defaultRegion: 'US',
    });
    expect(built.items.map((i) => i.sourceKey)).toEqual([
      'orgcontact:0a1b2c3d-1111-2222-3333-444455556666',
      'user:aaaaaaaa-0000-0000-0000-000000000002',
    ]);
    expect(built.items[0]!.value.businessPhones).toEqual(['+493012345678']);
  });

  it('applies member-of filters with the members passed in, and refuses to guess without them', () => {
    const members: ContactSourceConfig = {
      ...directory,
      filter: { include: [{ when: [{ type: 'memberOf', groupId: 'g1' }] }] },
    };
    const input = {
      sources: [{ source: members, records: directoryRecords }],
      defaultRegion: 'US',
    };
    const built = buildDesiredContacts({
      ...input,
      groupMembers: new Map([['g1', new Set(['aaaaaaaa-0000-0000-0000-000000000002'])]]),
    });
    expect(built.items.map((i) => i.value.displayName)).toEqual(['Megan Bowen']);
    expect(() => buildDesiredContacts(input)).toThrow(DomainValidationError);
  });

  it('mixes the salt into every hash', () => {
    const salted = buildDesiredContacts({
      sources: sources(),
      defaultRegion: 'US',
      listCategories: ['Company'],
      hashSalt: 'policy-2',
    });
    salted.items.forEach((item, i) => {
      expect(item.value).toEqual(result.items[i]!.value);
      expect(item.contentHash).not.toBe(result.items[i]!.contentHash);
    });
  });

  it('rejects an unknown default region', () => {
    expect(() => buildDesiredContacts({ sources: sources(), defaultRegion: 'ZZ' })).toThrow(
      /INVALID_PHONE_REGION/,
    );
  });
});
