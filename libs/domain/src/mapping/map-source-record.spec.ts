import { csvRow, graphOrgContact, graphUser, outlookContact } from '../testing/source-records';
import {
  DIRECTORY_USER_MAPPING,
  MANUAL_ENTRY_MAPPING,
  ORG_CONTACT_MAPPING,
  OUTLOOK_CONTACT_MAPPING,
} from './default-mappings';
import { mapSourceRecord } from './map-source-record';

describe('mapSourceRecord', () => {
  it('reads a directory user with the default mapping (otherMails left out)', () => {
    const draft = mapSourceRecord(graphUser, {
      sourceId: 'dir',
      sourceKind: 'directory',
      mapping: DIRECTORY_USER_MAPPING,
    });
    expect(draft).toEqual({
      sourceKey: 'user:6f1c2a3b-0000-4d5e-8f90-abcdef012345',
      sourceKind: 'directory',
      sourceId: 'dir',
      values: {
        givenName: ['Adele'],
        surname: ['Vance'],
        displayName: ['  Adele   Vance '],
        companyName: ['Contoso'],
        department: ['Retail'],
        jobTitle: ['Retail Manager'],
        officeLocation: ['18/2111'],
        emailAddresses: ['AdeleV@Contoso.com'],
        businessPhones: ['020 7946 0958'],
        mobilePhone: ['+44 7700 900123'],
        'businessAddress.street': ['1 Main Street'],
        'businessAddress.city': ['London'],
        'businessAddress.postalCode': ['EC1A 1BB'],
        'businessAddress.countryOrRegion': ['United Kingdom'],
        phoneRegion: ['GB', 'United Kingdom'],
      },
    });
  });

  it('maps extension attributes when the list asks for them', () => {
    const mapping = {
      ...DIRECTORY_USER_MAPPING,
      fields: {
        ...DIRECTORY_USER_MAPPING.fields,
        nickName: 'onPremisesExtensionAttributes.extensionAttribute1',
        officeLocation: ['onPremisesExtensionAttributes.extensionAttribute15', 'officeLocation'],
        emailAddresses: ['mail', 'otherMails'],
      },
    };
    const draft = mapSourceRecord(graphUser, {
      sourceId: 'dir',
      sourceKind: 'directory',
      mapping,
    })!;
    expect(draft.values.nickName).toEqual(['CC-100']);
    expect(draft.values.officeLocation).toEqual(['18/2111']);
    expect(draft.values.emailAddresses).toEqual([
      'AdeleV@Contoso.com',
      'adele.private@example.com',
    ]);
  });

  it('reads an org contact: typed phones, first address, mail then proxy addresses', () => {
    const draft = mapSourceRecord(graphOrgContact, {
      sourceId: 'oc',
      sourceKind: 'org-contact',
      mapping: ORG_CONTACT_MAPPING,
    })!;
    expect(draft.sourceKey).toBe('orgcontact:0a1b2c3d-1111-2222-3333-444455556666');
    expect(draft.values.businessPhones).toEqual(['030 123456-78']);
    expect(draft.values.mobilePhone).toBeUndefined();
    expect(draft.values.emailAddresses).toEqual(graphOrgContact.proxyAddresses);
    expect(draft.values['businessAddress.city']).toEqual(['Berlin']);
    expect(draft.values.phoneRegion).toEqual(['Germany']);
  });

  it('reads an Outlook contact through the identity mapping', () => {
    const draft = mapSourceRecord(outlookContact, {
      sourceId: 'mbx',
      sourceKind: 'mailbox-folder',
      mapping: OUTLOOK_CONTACT_MAPPING,
    })!;
    expect(draft.sourceKey).toMatch(/^contact:h[0-9a-f]{32}$/);
    expect(draft.values.emailAddresses).toEqual(outlookContact.emailAddresses);
    expect(draft.values['businessAddress.state']).toEqual(['WA']);
    expect(draft.values.birthday).toEqual(['1980-05-01T00:00:00Z']);
    expect(draft.values.personalNotes).toEqual(['Prefers e-mail']);
    expect(draft.values.phoneRegion).toEqual(['United States']);
  });

  it('reads a CSV row whose columns are contact field names, flat address columns included', () => {
    const draft = mapSourceRecord(csvRow, {
      sourceId: 'csv',
      sourceKind: 'manual',
      mapping: MANUAL_ENTRY_MAPPING,
    })!;
    expect(draft.sourceKey).toBe('manual:b7e1f0a2-5555-4444-3333-222211110000');
    expect(draft.values['businessAddress.city']).toEqual(['Redmond']);
    expect(draft.values.phoneRegion).toEqual(['US']);
    expect(draft.values.categories).toEqual(['Front office;Building']);
  });

  it('gives no draft for a record without identity', () => {
    const { id: _id, ...withoutId } = graphUser;
    expect(
      mapSourceRecord(withoutId, {
        sourceId: 'dir',
        sourceKind: 'directory',
        mapping: DIRECTORY_USER_MAPPING,
      }),
    ).toBeUndefined();
    expect(
      mapSourceRecord(
        { ...graphUser, id: '  ' },
        { sourceId: 'dir', sourceKind: 'directory', mapping: DIRECTORY_USER_MAPPING },
      ),
    ).toBeUndefined();
  });

  it('gives a user reached through a group the same key as through the directory', () => {
    const viaDirectory = mapSourceRecord(graphUser, {
      sourceId: 'dir',
      sourceKind: 'directory',
      mapping: DIRECTORY_USER_MAPPING,
    })!;
    const viaGroup = mapSourceRecord(
      { ...graphUser, '@odata.type': '#microsoft.graph.user' },
      { sourceId: 'grp', sourceKind: 'group', mapping: DIRECTORY_USER_MAPPING },
    )!;
    expect(viaGroup.sourceKey).toBe(viaDirectory.sourceKey);
  });
});
