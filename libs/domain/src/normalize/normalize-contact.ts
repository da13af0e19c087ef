import type { Contact } from '../contact/contact';
import { CONTACT_ADDRESS_FIELDS, type ContactTextField } from '../contact/contact-fields';
import type { ContactIssue } from '../contact/contact-issue';
import type { EmailAddress } from '../contact/email-address';
import { PHYSICAL_ADDRESS_PARTS, type PhysicalAddress } from '../contact/physical-address';
import { canonicalCategories } from '../hash/canonical-field-value';
import type { ContactDraft } from '../mapping/contact-draft';
import type { MappingTarget } from '../mapping/field-mapping';
import { cleanNotes, cleanText } from './clean-text';
import { normalizeEmailValue } from './normalize-email';
import { normalizePhoneNumber } from './normalize-phone-number';
import { resolvePhoneRegion, type PhoneRegion } from './phone-region';
import { parseBirthday } from './parse-birthday';
import { splitListText } from './split-list-text';

export interface NormalizeOptions {
  /** The list's region for numbers written without `+` (after the record's own country). */
  readonly defaultRegion: PhoneRegion;
}

const SINGLE_TEXT_FIELDS = [
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
  'businessHomePage',
  'photoHash',
] as const satisfies readonly ContactTextField[];

function describe(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/**
 * Cleans a mapped record into a contact: names trimmed with inner whitespace collapsed, e-mails
 * lower-cased and de-duplicated, phones in E.164 and de-duplicated per field, categories sorted.
 * Display-name fallback, cross-field phone de-duplication and Outlook's slot limits are applied
 * later by `finalizeContact` (after merging, so that a fallback of one source does not beat a
 * real value of another). Never throws on data: bad values become issues.
 */
export function normalizeContact(draft: ContactDraft, options: NormalizeOptions): Contact {
  const phoneIssues: ContactIssue[] = [];
  const fieldIssues: ContactIssue[] = [];
  const valuesOf = (target: MappingTarget): readonly unknown[] => draft.values[target] ?? [];
  // Collections accept several values per cell (CSV): "a@x; b@y".
  const listValuesOf = (target: MappingTarget): unknown[] =>
    valuesOf(target).flatMap((v) => (typeof v === 'string' ? splitListText(v) : [v]));

  const firstText = (
    target: MappingTarget,
    clean: (s: string) => string | undefined = cleanText,
  ) => {
    for (const value of valuesOf(target)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        const cleaned = clean(String(value));
        if (cleaned !== undefined) return cleaned;
      } else {
        fieldIssues.push({ field: target, value: describe(value), reason: 'not-text' });
      }
    }
    return undefined;
  };

  const text: Partial<Record<(typeof SINGLE_TEXT_FIELDS)[number], string>> = {};
  for (const field of SINGLE_TEXT_FIELDS) {
    const value = firstText(field);
    if (value !== undefined) text[field] = value;
  }

  let birthday: string | undefined;
  for (const value of valuesOf('birthday')) {
    const written = typeof value === 'string' ? cleanText(value) : undefined;
    if (written === undefined) continue;
    birthday = parseBirthday(written);
    if (birthday) break;
    fieldIssues.push({ field: 'birthday', value: written, reason: 'invalid-birthday' });
  }

  const emailAddresses: EmailAddress[] = [];
  for (const value of listValuesOf('emailAddresses')) {
    const result = normalizeEmailValue(value);
    if (result?.kind === 'invalid') {
      fieldIssues.push({ field: 'emailAddresses', value: result.value, reason: 'invalid-email' });
    } else if (
      result?.kind === 'ok' &&
      !emailAddresses.some((e) => e.address === result.email.address)
    ) {
      emailAddresses.push(result.email);
    }
  }

  const recordRegion = valuesOf('phoneRegion')
    .map(resolvePhoneRegion)
    .find((r) => r !== undefined);
  const regions = recordRegion ? [recordRegion, options.defaultRegion] : [options.defaultRegion];
  const phones = (field: 'businessPhones' | 'mobilePhone' | 'homePhones'): string[] => {
    const out: string[] = [];
    for (const value of listValuesOf(field)) {
      if (typeof value !== 'string' && typeof value !== 'number') {
        fieldIssues.push({ field, value: describe(value), reason: 'not-text' });
        continue;
      }
      const result = normalizePhoneNumber(String(value), regions);
      if (!result) continue;
      if (!result.ok) phoneIssues.push({ field, value: result.value, reason: 'invalid-phone' });
      if (!out.includes(result.value)) out.push(result.value);
    }
    return out;
  };
  const businessPhones = phones('businessPhones');
  const homePhones = phones('homePhones');
  const [mobilePhone, ...extraMobiles] = phones('mobilePhone');
  for (const extra of extraMobiles) {
    phoneIssues.push({ field: 'mobilePhone', value: extra, reason: 'over-limit' });
  }

  const addresses: Partial<Record<(typeof CONTACT_ADDRESS_FIELDS)[number], PhysicalAddress>> = {};
  for (const field of CONTACT_ADDRESS_FIELDS) {
    const address: Record<string, string> = {};
    for (const part of PHYSICAL_ADDRESS_PARTS) {
      const value = firstText(`${field}.${part}`);
      if (value !== undefined) address[part] = value;
    }
    if (Object.keys(address).length > 0) addresses[field] = address;
  }

  const categories = canonicalCategories(listValuesOf('categories'));
  const personalNotes = firstText('personalNotes', cleanNotes);

  return {
    sourceKey: draft.sourceKey,
    sourceKind: draft.sourceKind,
    sourceIds: [draft.sourceId],
    mergedKeys: [draft.sourceKey],
    ...text,
    emailAddresses,
    businessPhones,
    ...(mobilePhone !== undefined && { mobilePhone }),
    homePhones,
    ...addresses,
    ...(birthday !== undefined && { birthday }),
    ...(personalNotes !== undefined && { personalNotes }),
    categories,
    phoneIssues,
    fieldIssues,
  };
}
