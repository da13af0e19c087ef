import {
  isMappingTarget,
  MANUAL_ENTRY_MAPPING,
  mapSourceRecord,
  normalizeContact,
  type parseDefaultPhoneRegion,
} from '@app/domain';

/** Longest value of one field of a manual or CSV entry. */
export const MAX_ENTRY_CELL = 1_024;
const NAME_FIELDS = ['displayName', 'givenName', 'surname', 'companyName', 'emailAddresses'];

/** One problem of an entry: the field (a contact field name, or `key`) and why. */
export interface EntryFieldProblem {
  field: string;
  message: string;
}

/** A checked entry: its key (lower-cased), its fields as given, and its first e-mail address. */
export interface CheckedEntry {
  key: string;
  fields: Record<string, string>;
  email?: string;
}

/** The fields of a record that are not contact fields (a record may also carry `key`). */
export function unknownEntryFields(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((field) => field !== 'key' && !isMappingTarget(field));
}

/**
 * Checks one manual entry (a CSV row or an entry sent to the API) as the sync will read it:
 * the same mapping and normalisation, a name or company or e-mail, and a key (the `key` value,
 * or else the first e-mail). Empty values are left out. Field names must be known already.
 */
export function checkEntryRecord(
  record: Record<string, string>,
  region: ReturnType<typeof parseDefaultPhoneRegion>,
): { entry?: CheckedEntry; key?: string; problems: EntryFieldProblem[] } {
  const problems: EntryFieldProblem[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (value.length > MAX_ENTRY_CELL)
      problems.push({ field, message: `longer than ${MAX_ENTRY_CELL} characters` });
  }
  const { key: explicitKey, ...fields } = Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== ''),
  ) as Record<string, string>;
  const draft = mapSourceRecord(
    { ...fields, id: explicitKey ?? 'pending' },
    { sourceId: 'csv', sourceKind: 'manual', mapping: MANUAL_ENTRY_MAPPING },
  );
  const contact = draft ? normalizeContact(draft, { defaultRegion: region }) : undefined;
  for (const issue of [...(contact?.phoneIssues ?? []), ...(contact?.fieldIssues ?? [])]) {
    problems.push({
      field: issue.field,
      message: `${issue.reason.replace('-', ' ')}: "${issue.value}"`,
    });
  }
  if (!NAME_FIELDS.some((f) => fields[f]))
    problems.push({ field: 'displayName', message: 'a row needs a name, a company or an e-mail' });
  const email = contact?.emailAddresses[0]?.address.toLowerCase();
  const key = (explicitKey ?? email)?.trim().toLowerCase();
  if (!key)
    problems.push({ field: 'key', message: 'needs a key column value or an e-mail address' });
  return problems.length === 0 && key
    ? { entry: { key, fields, email }, key, problems }
    : { key, problems };
}
