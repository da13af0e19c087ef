import type { ContactFields } from '../contact/contact';
import { SYNCED_CONTACT_FIELDS } from '../contact/contact-fields';
import { contactContentHash, CONTENT_HASH_LENGTH } from './contact-content-hash';

const base: ContactFields = {
  givenName: 'Ann',
  surname: 'Lee',
  displayName: 'Ann Lee',
  emailAddresses: [{ address: 'ann@x.example', name: 'Ann Lee' }],
  businessPhones: ['+442079460958', '+442079460959'],
  homePhones: [],
  categories: ['Blue', 'Work'],
  businessAddress: { city: 'London', countryOrRegion: 'United Kingdom' },
  personalNotes: 'line 1\nline 2',
};

describe('contactContentHash', () => {
  it('is base64url of the configured length', () => {
    const hash = contactContentHash(base);
    expect(hash).toMatch(new RegExp(`^[A-Za-z0-9_-]{${CONTENT_HASH_LENGTH}}$`));
    expect(CONTENT_HASH_LENGTH).toBeGreaterThanOrEqual(22);
    expect(CONTENT_HASH_LENGTH).toBeLessThanOrEqual(32);
  });

  it('is stable across key order, category order and case, whitespace, e-mail case and empty-vs-missing', () => {
    const shuffled = {
      personalNotes: 'line 1  \r\nline 2\r\n',
      categories: ['work', 'Blue'],
      businessAddress: { countryOrRegion: ' United  Kingdom', city: 'London', street: '' },
      homePhones: [],
      businessPhones: [' +442079460958', '+442079460959 '],
      emailAddresses: [{ name: 'Ann  Lee', address: 'ANN@x.example' }],
      displayName: ' Ann Lee ',
      surname: 'Lee',
      givenName: 'Ann',
      jobTitle: '   ',
    };
    expect(contactContentHash(shuffled)).toBe(contactContentHash(base));
  });

  it('changes when any synced field changes', () => {
    const samples: Record<string, unknown> = {
      text: 'changed',
      emails: [{ address: 'other@x.example' }],
      phones: ['+10000000000'],
      phone: '+10000000001',
      address: { city: 'Elsewhere' },
      date: '2001-01-01',
      notes: 'other notes',
      categories: ['Other'],
    };
    const kinds: Record<string, string> = {
      emailAddresses: 'emails',
      businessPhones: 'phones',
      homePhones: 'phones',
      mobilePhone: 'phone',
      businessAddress: 'address',
      homeAddress: 'address',
      otherAddress: 'address',
      birthday: 'date',
      personalNotes: 'notes',
      categories: 'categories',
    };
    const seen = new Set([contactContentHash(base)]);
    for (const field of SYNCED_CONTACT_FIELDS) {
      const changed = { ...base, [field]: samples[kinds[field] ?? 'text'] } as ContactFields;
      const hash = contactContentHash(changed);
      expect(seen.has(hash)).toBe(false);
      seen.add(hash);
    }
    expect(seen.size).toBe(SYNCED_CONTACT_FIELDS.length + 1);
  });

  it('changes with phone order (Business Phone vs Business Phone 2)', () => {
    expect(
      contactContentHash({ ...base, businessPhones: [...base.businessPhones].reverse() }),
    ).not.toBe(contactContentHash(base));
  });

  it('ignores source metadata (keys, issues), which is not written to the item', () => {
    const withMeta = {
      ...base,
      sourceKey: 'user:1',
      phoneIssues: [{ field: 'x', value: 'y', reason: 'invalid-phone' }],
    };
    expect(contactContentHash(withMeta)).toBe(contactContentHash(base));
  });

  it('changes with the salt (e.g. a policy change forces one re-reconciliation)', () => {
    expect(contactContentHash(base, { salt: 'p1' })).not.toBe(
      contactContentHash(base, { salt: 'p2' }),
    );
    expect(contactContentHash(base, { salt: '' })).toBe(contactContentHash(base));
  });
});
