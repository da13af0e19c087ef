import type { ContactFields } from './contact';

export type SyncedContactField = keyof ContactFields;

/** How a field's values are cleaned, compared and hashed. */
export type ContactFieldKind =
  'text' | 'notes' | 'date' | 'emails' | 'phone' | 'phones' | 'address' | 'categories';

/**
 * Every field we sync, in a fixed order. The order is part of the field-hash encoding
 * (`encodeFieldHashes`): adding a field means bumping FIELD_HASHES_VERSION.
 */
export const CONTACT_FIELD_KINDS = {
  givenName: 'text',
  middleName: 'text',
  surname: 'text',
  displayName: 'text',
  fileAs: 'text',
  nickName: 'text',
  initials: 'text',
  companyName: 'text',
  department: 'text',
  jobTitle: 'text',
  officeLocation: 'text',
  profession: 'text',
  manager: 'text',
  assistantName: 'text',
  emailAddresses: 'emails',
  businessPhones: 'phones',
  mobilePhone: 'phone',
  homePhones: 'phones',
  businessAddress: 'address',
  homeAddress: 'address',
  otherAddress: 'address',
  businessHomePage: 'text',
  birthday: 'date',
  personalNotes: 'notes',
  categories: 'categories',
  photoHash: 'text',
} as const satisfies Record<SyncedContactField, ContactFieldKind>;

export const SYNCED_CONTACT_FIELDS = Object.keys(CONTACT_FIELD_KINDS) as SyncedContactField[];

/** Fields holding a collection (empty = `[]`). */
export type ContactListField = 'emailAddresses' | 'businessPhones' | 'homePhones' | 'categories';
export type ContactAddressField = 'businessAddress' | 'homeAddress' | 'otherAddress';
/** Fields holding one string. */
export type ContactTextField = Exclude<SyncedContactField, ContactListField | ContactAddressField>;

export const CONTACT_ADDRESS_FIELDS: readonly ContactAddressField[] = [
  'businessAddress',
  'homeAddress',
  'otherAddress',
];

export const CONTACT_PHONE_FIELDS = ['businessPhones', 'mobilePhone', 'homePhones'] as const;
export type ContactPhoneField = (typeof CONTACT_PHONE_FIELDS)[number];

/**
 * Outlook's slots: Email/Email 2/Email 3, Business Phone/Business Phone 2, Home Phone/Home
 * Phone 2. Writing more is lost by Exchange, and a value we write but cannot read back would
 * look like a change on every sync.
 */
export const CONTACT_LIMITS = {
  emailAddresses: 3,
  businessPhones: 2,
  homePhones: 2,
} as const;

export function isSyncedContactField(name: string): name is SyncedContactField {
  return Object.prototype.hasOwnProperty.call(CONTACT_FIELD_KINDS, name);
}
