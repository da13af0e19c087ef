import {
  DIRECTORY_USER_MAPPING,
  MANUAL_ENTRY_MAPPING,
  ORG_CONTACT_MAPPING,
  OUTLOOK_CONTACT_MAPPING,
} from '../mapping/default-mappings';
import type { ContactDraft } from '../mapping/contact-draft';
import { mapSourceRecord } from '../mapping/map-source-record';
import { csvRow, graphOrgContact, graphUser, outlookContact } from '../testing/source-records';
import { normalizeContact } from './normalize-contact';

function draft(values: ContactDraft['values']): ContactDraft {
  return { sourceKey: 'manual:1', sourceKind: 'manual', sourceId: 'csv', values };
}

describe('normalizeContact', () => {
  it('normalises a directory user (UK numbers read with the record region, not the list default)', () => {
    const d = mapSourceRecord(graphUser, {
      sourceId: 'dir',
      sourceKind: 'directory',
      mapping: DIRECTORY_USER_MAPPING,
    })!;
    expect(normalizeContact(d, { defaultRegion: 'US' })).toEqual({
      sourceKey: 'user:6f1c2a3b-0000-4d5e-8f90-abcdef012345',
      sourceKind: 'directory',
      sourceIds: ['dir'],
      mergedKeys: ['user:6f1c2a3b-0000-4d5e-8f90-abcdef012345'],
      givenName: 'Adele',
      surname: 'Vance',
      displayName: 'Adele Vance',
      companyName: 'Contoso',
      department: 'Retail',
      jobTitle: 'Retail Manager',
      officeLocation: '18/2111',
      emailAddresses: [{ address: 'adelev@contoso.com' }],
      businessPhones: ['+442079460958'],
      mobilePhone: '+447700900123',
      homePhones: [],
      businessAddress: {
        street: '1 Main Street',
        city: 'London',
        postalCode: 'EC1A 1BB',
        countryOrRegion: 'United Kingdom',
      },
      categories: [],
      phoneIssues: [],
      fieldIssues: [],
    });
  });

  it('normalises an org contact: SMTP proxies become e-mails, X500 is skipped, German number in E.164', () => {
    const d = mapSourceRecord(graphOrgContact, {
      sourceId: 'oc',
      sourceKind: 'org-contact',
      mapping: ORG_CONTACT_MAPPING,
    })!;
    const c = normalizeContact(d, { defaultRegion: 'US' });
    expect(c.emailAddresses).toEqual([
      { address: 'partner@coho.example' },
      { address: 'partner.alias@coho.example' },
    ]);
    expect(c.businessPhones).toEqual(['+493012345678']);
    expect(c.mobilePhone).toBeUndefined();
    expect(c.businessAddress).toEqual({
      street: 'Hauptstr. 1',
      city: 'Berlin',
      postalCode: '10115',
      countryOrRegion: 'Germany',
    });
    expect(c.phoneIssues).toEqual([]);
  });

  it('normalises an Outlook contact: birthday as a date, empty address parts dropped, notes kept', () => {
    const d = mapSourceRecord(outlookContact, {
      sourceId: 'mbx',
      sourceKind: 'mailbox-folder',
      mapping: OUTLOOK_CONTACT_MAPPING,
    })!;
    const c = normalizeContact(d, { defaultRegion: 'GB' });
    expect(c.birthday).toBe('1980-05-01');
    expect(c.businessAddress).toEqual({
      city: 'Redmond',
      state: 'WA',
      postalCode: '98052',
      countryOrRegion: 'United States',
    });
    expect(c.emailAddresses).toEqual([{ address: 'one@supplier.example', name: 'Supplier One' }]);
    expect(c.businessPhones).toEqual(['+14255550100']);
    expect(c.personalNotes).toBe('Prefers e-mail');
    expect(c.categories).toEqual(['Suppliers']);
  });

  it('normalises a CSV row: split cells, de-duplicated e-mails, extension kept, invalid e-mail flagged', () => {
    const d = mapSourceRecord(csvRow, {
      sourceId: 'csv',
      sourceKind: 'manual',
      mapping: MANUAL_ENTRY_MAPPING,
    })!;
    const c = normalizeContact(d, { defaultRegion: 'GB' });
    expect(c.givenName).toBe('Reception');
    expect(c.surname).toBeUndefined();
    expect(c.displayName).toBeUndefined(); // the fallback is finalizeContact's job, after merging
    expect(c.emailAddresses).toEqual([{ address: 'front.desk@contoso.com' }]);
    expect(c.fieldIssues).toEqual([
      { field: 'emailAddresses', value: 'not-an-address', reason: 'invalid-email' },
    ]);
    expect(c.businessPhones).toEqual(['+14255550100;ext=12', '+14255550101']);
    expect(c.categories).toEqual(['Building', 'Front office']);
  });

  it('keeps invalid phone numbers as written and lists them in phoneIssues', () => {
    const c = normalizeContact(
      draft({
        businessPhones: ['555-0100 ext. 12', '(425) 555-0100'],
        homePhones: ['ask reception'],
        mobilePhone: ['12'],
      }),
      { defaultRegion: 'US' },
    );
    expect(c.businessPhones).toEqual(['555-0100 ext. 12', '+14255550100']);
    expect(c.homePhones).toEqual(['ask reception']);
    expect(c.mobilePhone).toBe('12');
    expect(c.phoneIssues).toEqual([
      { field: 'businessPhones', value: '555-0100 ext. 12', reason: 'invalid-phone' },
      { field: 'homePhones', value: 'ask reception', reason: 'invalid-phone' },
      { field: 'mobilePhone', value: '12', reason: 'invalid-phone' },
    ]);
  });

  it('de-duplicates phones written differently once in E.164', () => {
    const c = normalizeContact(
      draft({ businessPhones: ['(425) 555-0100', '+1 425 555 0100', '425.555.0100'] }),
      { defaultRegion: 'US' },
    );
    expect(c.businessPhones).toEqual(['+14255550100']);
  });

  it('takes the first mobile number and flags the others', () => {
    const c = normalizeContact(draft({ mobilePhone: ['+44 7700 900123', '+44 7700 900456'] }), {
      defaultRegion: 'GB',
    });
    expect(c.mobilePhone).toBe('+447700900123');
    expect(c.phoneIssues).toEqual([
      { field: 'mobilePhone', value: '+447700900456', reason: 'over-limit' },
    ]);
  });

  it('uses the first resolvable phone region and falls back to the list default', () => {
    const withRegion = normalizeContact(
      draft({ businessPhones: ['030 123456-78'], phoneRegion: ['Atlantis', 'de'] }),
      {
        defaultRegion: 'US',
      },
    );
    expect(withRegion.businessPhones).toEqual(['+493012345678']);
    const withoutRegion = normalizeContact(draft({ businessPhones: ['030 123456-78'] }), {
      defaultRegion: 'US',
    });
    expect(withoutRegion.phoneIssues).toHaveLength(1);
  });

  it('trims names, collapses inner whitespace, takes the first non-empty of several paths', () => {
    const c = normalizeContact(
      draft({
        givenName: ['', '   ', '  Jean \t Luc '],
        surname: [null, 'Picard'],
        jobTitle: [42],
      }),
      { defaultRegion: 'US' },
    );
    expect(c.givenName).toBe('Jean Luc');
    expect(c.surname).toBe('Picard');
    expect(c.jobTitle).toBe('42');
  });

  it('flags values that are not text instead of inventing text for them', () => {
    const c = normalizeContact(
      draft({ department: [{ name: 'Sales' }], businessPhones: [{ number: '1' }] }),
      {
        defaultRegion: 'US',
      },
    );
    expect(c.department).toBeUndefined();
    expect(c.fieldIssues).toEqual([
      { field: 'department', value: '{"name":"Sales"}', reason: 'not-text' },
      { field: 'businessPhones', value: '{"number":"1"}', reason: 'not-text' },
    ]);
  });

  it('flags an invalid birthday and keeps the first valid one', () => {
    const c = normalizeContact(draft({ birthday: ['31/12/1999', '1999-12-31'] }), {
      defaultRegion: 'US',
    });
    expect(c.birthday).toBe('1999-12-31');
    expect(c.fieldIssues).toEqual([
      { field: 'birthday', value: '31/12/1999', reason: 'invalid-birthday' },
    ]);
  });

  it('keeps multi-line notes and drops an all-blank address', () => {
    const c = normalizeContact(
      draft({ personalNotes: ['  line one  \r\nline two\r\n'], 'homeAddress.city': ['  '] }),
      { defaultRegion: 'US' },
    );
    expect(c.personalNotes).toBe('  line one\nline two');
    expect(c.homeAddress).toBeUndefined();
  });

  it('produces empty collections, not missing ones, for an empty draft', () => {
    const c = normalizeContact(draft({}), { defaultRegion: 'US' });
    expect(c).toEqual({
      sourceKey: 'manual:1',
      sourceKind: 'manual',
      sourceIds: ['csv'],
      mergedKeys: ['manual:1'],
      emailAddresses: [],
      businessPhones: [],
      homePhones: [],
      categories: [],
      phoneIssues: [],
      fieldIssues: [],
    });
  });
});
