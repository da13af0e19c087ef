import type { FieldMapping, MappingTarget } from './field-mapping';
import { MAPPING_TARGETS } from './field-mapping';

/**
 * Directory users (Graph `user`). `otherMails` is left out on purpose: it often holds private
 * addresses, which should not land on every colleague's phone; add it per list if wanted.
 * Extension attributes are mapped per list, e.g.
 * `nickName: 'onPremisesExtensionAttributes.extensionAttribute1'`.
 */
export const DIRECTORY_USER_MAPPING: FieldMapping = {
  keyPath: 'id',
  fields: {
    givenName: 'givenName',
    surname: 'surname',
    displayName: 'displayName',
    companyName: 'companyName',
    department: 'department',
    jobTitle: 'jobTitle',
    officeLocation: 'officeLocation',
    emailAddresses: 'mail',
    businessPhones: 'businessPhones',
    mobilePhone: 'mobilePhone',
    'businessAddress.street': 'streetAddress',
    'businessAddress.city': 'city',
    'businessAddress.state': 'state',
    'businessAddress.postalCode': 'postalCode',
    'businessAddress.countryOrRegion': 'country',
    phoneRegion: ['usageLocation', 'country'],
  },
};

/**
 * Org contacts (Graph `orgContact`): typed `phones`, `addresses` (no type: the first is taken as
 * the business address), `mail`, then `proxyAddresses` (`SMTP:`/`smtp:` entries; X500, SIP and
 * other non-mail entries are ignored during normalisation).
 */
export const ORG_CONTACT_MAPPING: FieldMapping = {
  keyPath: 'id',
  fields: {
    givenName: 'givenName',
    surname: 'surname',
    displayName: 'displayName',
    companyName: 'companyName',
    department: 'department',
    jobTitle: 'jobTitle',
    emailAddresses: ['mail', 'proxyAddresses'],
    businessPhones: 'phones[type=business].number',
    mobilePhone: 'phones[type=mobile].number',
    homePhones: 'phones[type=home].number',
    'businessAddress.street': 'addresses[0].street',
    'businessAddress.city': 'addresses[0].city',
    'businessAddress.state': 'addresses[0].state',
    'businessAddress.postalCode': 'addresses[0].postalCode',
    'businessAddress.countryOrRegion': 'addresses[0].countryOrRegion',
    phoneRegion: 'addresses[0].countryOrRegion',
  },
};

function identityFields(): Partial<Record<MappingTarget, string | readonly string[]>> {
  const fields: Partial<Record<MappingTarget, string | readonly string[]>> = {};
  for (const target of MAPPING_TARGETS) {
    if (target !== 'phoneRegion') fields[target] = target;
  }
  fields.phoneRegion = [
    'phoneRegion',
    'businessAddress.countryOrRegion',
    'homeAddress.countryOrRegion',
    'otherAddress.countryOrRegion',
  ];
  return fields;
}

/** Outlook contacts of a source mailbox folder: the Graph `contact` JSON maps to itself. */
export const OUTLOOK_CONTACT_MAPPING: FieldMapping = { keyPath: 'id', fields: identityFields() };

/**
 * Manual and CSV rows: column names are contact field names (`businessAddress.city` as a flat
 * column works too); collection cells may hold several values separated by `;` or new lines.
 * An optional `phoneRegion` column overrides the list's default region for that row.
 */
export const MANUAL_ENTRY_MAPPING: FieldMapping = { keyPath: 'id', fields: identityFields() };
