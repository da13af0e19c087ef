import type { ContactFields, MailboxContactValues } from '@app/domain';

/** Graph contact properties we write; the names match ContactFields one to one. */
const SCALARS = [
  'givenName',
  'middleName',
  'surname',
  'displayName',
  'fileAs',
  'nickName',
  'initials',
  'companyName',
  'department',
  'jobTitle',
  'officeLocation',
  'profession',
  'manager',
  'assistantName',
  'mobilePhone',
  'businessHomePage',
  'personalNotes',
] as const;
const LISTS = ['businessPhones', 'homePhones', 'categories'] as const;
const ADDRESSES = ['businessAddress', 'homeAddress', 'otherAddress'] as const;

export const CONTACT_SELECT = [
  ...SCALARS,
  ...LISTS,
  ...ADDRESSES,
  'emailAddresses',
  'birthday',
  'changeKey',
].join(',');

/**
 * The Graph JSON for a set of contact fields. An absent value is sent as null (or [] / an empty
 * address), so a PATCH clears what the policy decided to clear.
 */
export function toGraphContact(fields: {
  readonly [K in keyof ContactFields]?: ContactFields[K] | null;
}): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of SCALARS) if (key in fields) body[key] = fields[key] ?? null;
  for (const key of LISTS) if (key in fields) body[key] = fields[key] ?? [];
  for (const key of ADDRESSES) if (key in fields) body[key] = fields[key] ?? {};
  if ('emailAddresses' in fields) {
    body.emailAddresses = (fields.emailAddresses ?? []).map((e) => ({
      address: e.address,
      name: e.name ?? e.address,
    }));
  }
  if ('birthday' in fields) body.birthday = fields.birthday ? `${fields.birthday}T11:59:00Z` : null;
  return body;
}

/** A Graph contact's values in the domain's terms (for WRITE policy and kept notes). */
export function fromGraphContact(item: Record<string, unknown>): MailboxContactValues {
  const values: Record<string, unknown> = {};
  for (const key of SCALARS) {
    const v = item[key];
    if (typeof v === 'string' && v !== '') values[key] = v;
  }
  for (const key of LISTS) {
    const v = item[key];
    if (Array.isArray(v) && v.length > 0) values[key] = v.filter((x) => typeof x === 'string');
  }
  for (const key of ADDRESSES) {
    const v = item[key] as Record<string, unknown> | undefined;
    if (v && Object.values(v).some((x) => typeof x === 'string' && x !== '')) values[key] = v;
  }
  const emails = item.emailAddresses;
  if (Array.isArray(emails) && emails.length > 0) values.emailAddresses = emails;
  if (typeof item.birthday === 'string' && item.birthday)
    values.birthday = item.birthday.slice(0, 10);
  return values as MailboxContactValues;
}
