import { DOMParser } from '@xmldom/xmldom';
import {
  ewsDirectoryId,
  personaOrgContact,
  personasOf,
  personaUser,
  readPersona,
} from './ews-persona';

const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const people = (personas: string) =>
  new DOMParser().parseFromString(
    `<m:People xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="${T}">${personas}</m:People>`,
    'text/xml',
  ).documentElement as unknown as Element;
const attributed = '<t:Attributions><t:Attribution>0</t:Attribution></t:Attributions>';
const persona = (mail: string, type: string, extra = '') =>
  `<t:Persona><t:PersonaId Id="x"/><t:DisplayName>Bo Ek</t:DisplayName><t:GivenName>Bo</t:GivenName>${extra}<t:EmailAddress><t:EmailAddress>${mail}</t:EmailAddress><t:MailboxType>${type}</t:MailboxType></t:EmailAddress>` +
  `<t:BusinessPhoneNumbers><t:PhoneNumberAttributedValue><t:Value><t:Number>+46 8 123</t:Number><t:Type>Business</t:Type></t:Value>${attributed}</t:PhoneNumberAttributedValue></t:BusinessPhoneNumbers>` +
  `<t:BusinessAddresses><t:PostalAddressAttributedValue><t:Value><t:City>Lund</t:City><t:Country>Sweden</t:Country></t:Value>${attributed}</t:PostalAddressAttributedValue></t:BusinessAddresses>` +
  `<t:Departments><t:StringAttributedValue><t:Value>Sales</t:Value>${attributed}</t:StringAttributedValue></t:Departments></t:Persona>`;

describe('GAL personas as directory records', () => {
  it('a mailbox is a user (Graph field names, no licences: hasMailbox), a mail contact an organisational contact', () => {
    const [mailbox, contact, list] = personasOf(
      people(
        persona('Bo.Ek@Contoso.example', 'Mailbox', '<t:Title>Rep</t:Title>') +
          persona('ext@partner.example', 'Contact') +
          persona('all@contoso.example', 'PublicDL'),
      ),
    ).map(readPersona);
    expect(personaUser(mailbox)).toMatchObject({
      id: ewsDirectoryId('bo.ek@contoso.example'),
      mail: 'bo.ek@contoso.example',
      givenName: 'Bo',
      jobTitle: 'Rep',
      department: 'Sales',
      businessPhones: ['+46 8 123'],
      city: 'Lund',
      country: 'Sweden',
      hasMailbox: true,
    });
    expect(personaUser(contact)).toBeUndefined();
    expect(personaOrgContact(contact)).toMatchObject({
      mail: 'ext@partner.example',
      phones: [{ type: 'business', number: '+46 8 123' }],
      addresses: [{ city: 'Lund', countryOrRegion: 'Sweden' }],
    });
    expect(personaUser(list)).toBeUndefined();
    expect(personaOrgContact(list)).toBeUndefined();
  });

  it('ids are UUIDs (version 5 form) of the address, whatever its case', () => {
    const id = ewsDirectoryId('Bo.Ek@Contoso.example');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ewsDirectoryId('bo.ek@contoso.example')).toBe(id);
    expect(ewsDirectoryId('other@contoso.example')).not.toBe(id);
  });
});
