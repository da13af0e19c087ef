import { contact } from '../testing/contact-fixtures';
import { finalizeContact } from './finalize-contact';

describe('finalizeContact', () => {
  it('keeps a given display name', () => {
    expect(
      finalizeContact(contact({ sourceKey: 'k', displayName: 'Boss', givenName: 'A' })).displayName,
    ).toBe('Boss');
  });

  it('falls back to given + surname, then the first e-mail, then the company', () => {
    expect(
      finalizeContact(contact({ sourceKey: 'k', givenName: 'Ann', surname: 'Lee' })).displayName,
    ).toBe('Ann Lee');
    expect(finalizeContact(contact({ sourceKey: 'k', surname: 'Lee' })).displayName).toBe('Lee');
    expect(
      finalizeContact(
        contact({
          sourceKey: 'k',
          emailAddresses: [{ address: 'info@x.example' }],
          companyName: 'X',
        }),
      ).displayName,
    ).toBe('info@x.example');
    expect(finalizeContact(contact({ sourceKey: 'k', companyName: 'X' })).displayName).toBe('X');
    expect(finalizeContact(contact({ sourceKey: 'k' })).displayName).toBeUndefined();
  });

  it('names each e-mail after the display name unless it has a name', () => {
    const c = finalizeContact(
      contact({
        sourceKey: 'k',
        givenName: 'Ann',
        emailAddresses: [{ address: 'a@x.example' }, { address: 'b@x.example', name: 'Desk' }],
      }),
    );
    expect(c.emailAddresses).toEqual([
      { address: 'a@x.example', name: 'Ann' },
      { address: 'b@x.example', name: 'Desk' },
    ]);
  });

  it("fits Outlook's slots and flags what does not fit", () => {
    const c = finalizeContact(
      contact({
        sourceKey: 'k',
        displayName: 'D',
        emailAddresses: ['a', 'b', 'c', 'd'].map((x) => ({ address: `${x}@x.example` })),
        businessPhones: ['+1', '+2', '+3'],
        homePhones: ['+4', '+5', '+6', '+7'],
      }),
    );
    expect(c.emailAddresses.map((e) => e.address)).toEqual([
      'a@x.example',
      'b@x.example',
      'c@x.example',
    ]);
    expect(c.businessPhones).toEqual(['+1', '+2']);
    expect(c.homePhones).toEqual(['+4', '+5']);
    expect(c.fieldIssues).toEqual([
      { field: 'emailAddresses', value: 'd@x.example', reason: 'over-limit' },
    ]);
    expect(c.phoneIssues).toEqual([
      { field: 'businessPhones', value: '+3', reason: 'over-limit' },
      { field: 'homePhones', value: '+6', reason: 'over-limit' },
      { field: 'homePhones', value: '+7', reason: 'over-limit' },
    ]);
  });

  it('shows a number once: mobile, then business, then home', () => {
    const c = finalizeContact(
      contact({
        sourceKey: 'k',
        mobilePhone: '+1',
        businessPhones: ['+1', '+2'],
        homePhones: ['+2', '+3', '+1'],
      }),
    );
    expect(c.mobilePhone).toBe('+1');
    expect(c.businessPhones).toEqual(['+2']);
    expect(c.homePhones).toEqual(['+3']);
    expect(c.phoneIssues).toEqual([]);
  });

  it('is idempotent', () => {
    const once = finalizeContact(
      contact({
        sourceKey: 'k',
        givenName: 'A',
        emailAddresses: ['a', 'b', 'c', 'd'].map((x) => ({ address: `${x}@x.example` })),
        businessPhones: ['+1', '+2', '+3'],
        categories: ['b', 'A', 'a'],
      }),
    );
    expect(finalizeContact(once)).toEqual(once);
    expect(once.categories).toEqual(['A', 'b']);
  });
});
