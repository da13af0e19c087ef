import type { Contact } from '../contact/contact';

/** Test helper: a normalized contact with only the given fields set. */
export function contact(fields: Partial<Contact> & { sourceKey: string }): Contact {
  return {
    sourceKind: 'manual',
    sourceIds: ['manual'],
    mergedKeys: [fields.sourceKey],
    emailAddresses: [],
    businessPhones: [],
    homePhones: [],
    categories: [],
    phoneIssues: [],
    fieldIssues: [],
    ...fields,
  };
}
