import type { ContactPatch, MailboxContactValues, PhysicalAddress } from '@app/domain';
import {
  BodyType,
  type Contact,
  EmailAddress,
  EmailAddressKey,
  MessageBody,
  PhoneNumberKey,
  PhysicalAddressEntry,
  PhysicalAddressKey,
  StringList,
} from 'ews-javascript-api';

/** Contact scalar fields and their EWS Contact property names. */
const SCALARS = {
  givenName: 'GivenName',
  middleName: 'MiddleName',
  surname: 'Surname',
  displayName: 'DisplayName',
  fileAs: 'FileAs',
  nickName: 'NickName',
  initials: 'Initials',
  companyName: 'CompanyName',
  department: 'Department',
  jobTitle: 'JobTitle',
  officeLocation: 'OfficeLocation',
  profession: 'Profession',
  manager: 'Manager',
  assistantName: 'AssistantName',
  businessHomePage: 'BusinessHomePage',
} as const;
type Scalar = keyof typeof SCALARS;

const BUSINESS_PHONES = [PhoneNumberKey.BusinessPhone, PhoneNumberKey.BusinessPhone2];
const HOME_PHONES = [PhoneNumberKey.HomePhone, PhoneNumberKey.HomePhone2];
const EMAILS = [
  EmailAddressKey.EmailAddress1,
  EmailAddressKey.EmailAddress2,
  EmailAddressKey.EmailAddress3,
];
const ADDRESSES = {
  businessAddress: PhysicalAddressKey.Business,
  homeAddress: PhysicalAddressKey.Home,
  otherAddress: PhysicalAddressKey.Other,
} as const;

type Bag = Record<string, unknown>;

/**
 * Writes a domain patch onto an EWS Contact (new, or an existing one to update): a null or empty
 * value clears the field (an update then sends DeleteItemField), so the CLEAR policy holds.
 */
export function applyContactPatch(contact: Contact, patch: ContactPatch, isNew: boolean): void {
  const c = contact as unknown as Bag;
  for (const [field, prop] of Object.entries(SCALARS) as [Scalar, string][]) {
    if (!(field in patch)) continue;
    const v = patch[field];
    if (v) c[prop] = v;
    else if (!isNew) c[prop] = null;
  }
  if ('personalNotes' in patch) {
    if (patch.personalNotes) contact.Body = new MessageBody(BodyType.Text, patch.personalNotes);
    else if (!isNew) (c as { Body: unknown }).Body = null;
  }
  if ('categories' in patch) {
    const cats = patch.categories ?? [];
    if (cats.length > 0) contact.Categories = new StringList([...cats]);
    else if (!isNew) (c as { Categories: unknown }).Categories = null;
  }
  const phones = (keys: PhoneNumberKey[], values: readonly string[] | null | undefined) => {
    keys.forEach((key, i) => {
      const v = values?.[i];
      if (v) contact.PhoneNumbers._setItem(key, v);
      else if (!isNew) contact.PhoneNumbers._setItem(key, null as unknown as string);
    });
  };
  if ('businessPhones' in patch) phones(BUSINESS_PHONES, patch.businessPhones);
  if ('homePhones' in patch) phones(HOME_PHONES, patch.homePhones);
  if ('mobilePhone' in patch)
    phones([PhoneNumberKey.MobilePhone], patch.mobilePhone ? [patch.mobilePhone] : []);
  if ('emailAddresses' in patch) {
    EMAILS.forEach((key, i) => {
      const e = patch.emailAddresses?.[i];
      if (e) contact.EmailAddresses._setItem(key, new EmailAddress(e.name ?? e.address, e.address));
      else if (!isNew) contact.EmailAddresses._setItem(key, null as unknown as EmailAddress);
    });
  }
  for (const [field, key] of Object.entries(ADDRESSES) as [
    keyof typeof ADDRESSES,
    PhysicalAddressKey,
  ][]) {
    if (!(field in patch)) continue;
    const a = patch[field] as PhysicalAddress | null | undefined;
    if (a && Object.values(a).some((x) => x)) {
      const entry = new PhysicalAddressEntry();
      if (a.street) entry.Street = a.street;
      if (a.city) entry.City = a.city;
      if (a.state) entry.State = a.state;
      if (a.postalCode) entry.PostalCode = a.postalCode;
      if (a.countryOrRegion) entry.CountryOrRegion = a.countryOrRegion;
      contact.PhysicalAddresses._setItem(key, entry);
    } else if (!isNew)
      contact.PhysicalAddresses._setItem(key, null as unknown as PhysicalAddressEntry);
  }
}

function tryGet<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** An EWS Contact's values in the domain's terms (for the WRITE policy and kept notes). */
export function contactValuesOf(contact: Contact): MailboxContactValues {
  const c = contact as unknown as Bag;
  const values: Bag = {};
  for (const [field, prop] of Object.entries(SCALARS)) {
    const v = tryGet(() => c[prop]);
    if (typeof v === 'string' && v !== '') values[field] = v;
  }
  const notes = tryGet(() => contact.Body?.Text);
  if (notes) values.personalNotes = notes;
  const cats = tryGet(() => contact.Categories?.GetEnumerator?.() ?? []);
  if (cats && cats.length > 0) values.categories = [...cats];
  const phone = (key: PhoneNumberKey) => {
    const out = { outValue: null as unknown as string };
    return (
      tryGet(() => (contact.PhoneNumbers?.TryGetValue(key, out) ? out.outValue : null)) ?? null
    );
  };
  const business = BUSINESS_PHONES.map(phone).filter((x): x is string => !!x);
  const home = HOME_PHONES.map(phone).filter((x): x is string => !!x);
  if (business.length) values.businessPhones = business;
  if (home.length) values.homePhones = home;
  const mobile = phone(PhoneNumberKey.MobilePhone);
  if (mobile) values.mobilePhone = mobile;
  const emails = EMAILS.map((key) => {
    const out = { outValue: null as unknown as EmailAddress };
    return (
      tryGet(() => (contact.EmailAddresses?.TryGetValue(key, out) ? out.outValue : null)) ?? null
    );
  })
    .filter((e): e is EmailAddress => !!e?.Address)
    .map((e) => ({ address: e.Address, name: e.Name || e.Address }));
  if (emails.length) values.emailAddresses = emails;
  return values as MailboxContactValues;
}
