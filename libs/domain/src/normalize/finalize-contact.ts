import type { Contact } from '../contact/contact';
import { CONTACT_LIMITS } from '../contact/contact-fields';
import type { ContactIssue } from '../contact/contact-issue';
import { canonicalCategories } from '../hash/canonical-field-value';
import { cleanText } from './clean-text';

/** Issues de-duplicated and sorted, so merged contacts compare and hash independently of input order. */
export function sortIssues(issues: readonly ContactIssue[]): ContactIssue[] {
  const byKey = new Map<string, ContactIssue>();
  for (const issue of issues)
    byKey.set(`${issue.field}\u0000${issue.reason}\u0000${issue.value}`, issue);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, i]) => i);
}

/**
 * The last step before hashing (run by `mergeContacts` on every result, or by hand on a contact
 * that is not merged):
 * - display name: as given, else "given surname", else the first e-mail, else the company;
 * - each e-mail without a name is shown under the display name (as Outlook does);
 * - a number appears once: mobile first, then business, then home phones;
 * - Outlook's slots: 3 e-mails, 2 business and 2 home phones; the rest is flagged `over-limit`.
 */
export function finalizeContact(contact: Contact): Contact {
  const phoneIssues = [...contact.phoneIssues];
  const fieldIssues = [...contact.fieldIssues];

  const displayName =
    contact.displayName ??
    cleanText([contact.givenName, contact.surname].filter(Boolean).join(' ')) ??
    contact.emailAddresses[0]?.address ??
    contact.companyName;

  const emails = contact.emailAddresses.slice(0, CONTACT_LIMITS.emailAddresses);
  for (const dropped of contact.emailAddresses.slice(CONTACT_LIMITS.emailAddresses)) {
    fieldIssues.push({ field: 'emailAddresses', value: dropped.address, reason: 'over-limit' });
  }
  const emailAddresses = emails.map((e) =>
    e.name === undefined && displayName !== undefined ? { ...e, name: displayName } : e,
  );

  const seen = new Set<string>(contact.mobilePhone === undefined ? [] : [contact.mobilePhone]);
  const limit = (field: 'businessPhones' | 'homePhones'): string[] => {
    const unique = contact[field].filter((n) => !seen.has(n) && (seen.add(n), true));
    for (const dropped of unique.slice(CONTACT_LIMITS[field])) {
      phoneIssues.push({ field, value: dropped, reason: 'over-limit' });
    }
    return unique.slice(0, CONTACT_LIMITS[field]);
  };
  const businessPhones = limit('businessPhones');
  const homePhones = limit('homePhones');

  return {
    ...contact,
    ...(displayName !== undefined && { displayName }),
    emailAddresses,
    businessPhones,
    homePhones,
    categories: canonicalCategories(contact.categories),
    phoneIssues: sortIssues(phoneIssues),
    fieldIssues: sortIssues(fieldIssues),
  };
}
