import type { Contact } from '../contact/contact';
import type { ContactSourceKind } from '../contact/contact-source-kind';
import { isOrgContactRecord } from '../contact/source-key';
import type { DesiredItem } from '../diff/diff-types';
import { evaluateFilterRules } from '../filter/evaluate-filter-rules';
import type { FilterRules } from '../filter/filter-rules';
import { canonicalCategories } from '../hash/canonical-field-value';
import { contactContentHash } from '../hash/contact-content-hash';
import { ORG_CONTACT_MAPPING } from '../mapping/default-mappings';
import type { FieldMapping } from '../mapping/field-mapping';
import { mapSourceRecord } from '../mapping/map-source-record';
import { mergeContacts } from '../merge/merge-contacts';
import { normalizeContact } from '../normalize/normalize-contact';
import { parseDefaultPhoneRegion } from '../normalize/normalize-phone-number';

/** One source of a list, as configured. */
export interface ContactSourceConfig {
  /** Unique within the list; used for priority and reported in `sourceIds`. */
  readonly id: string;
  readonly kind: ContactSourceKind;
  readonly mapping: FieldMapping;
  /** For `group` sources: the mapping of members that are org contacts (default ORG_CONTACT_MAPPING). */
  readonly orgContactMapping?: FieldMapping;
  readonly filter?: FilterRules;
}

export interface SourceRecords {
  readonly source: ContactSourceConfig;
  readonly records: readonly Readonly<Record<string, unknown>>[];
}

export interface BuildDesiredContactsInput {
  readonly sources: readonly SourceRecords[];
  /** ISO code of the list's default phone region. */
  readonly defaultRegion: string;
  /** Source ids, highest priority first; defaults to the order of `sources`. */
  readonly sourcePriority?: readonly string[];
  /** Group id → transitive member ids, for `memberOf` filter conditions. */
  readonly groupMembers?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Categories every contact of the list carries (e.g. the list's category in the default folder). */
  readonly listCategories?: readonly string[];
  /** Mixed into every content hash; pass `contactPolicyFingerprint(policy)`. */
  readonly hashSalt?: string;
}

export interface SourceReport {
  readonly sourceId: string;
  readonly records: number;
  readonly excludedByFilter: number;
  /** Records without an identity at the mapping's `keyPath`. */
  readonly withoutKey: number;
}

export interface DesiredContacts {
  /** Sorted by source key; ready for `planDiff`. */
  readonly items: readonly DesiredItem<Contact>[];
  readonly sources: readonly SourceReport[];
}

/**
 * The whole pure half of `plan-run` for contacts: filter each source's records, map, normalise,
 * merge across sources by priority, add the list's categories, hash. Throws INVALID_PHONE_REGION
 * for a bad default region and FILTER_GROUP_MEMBERS_MISSING when a filter needs a group's
 * members that were not passed.
 */
export function buildDesiredContacts(input: BuildDesiredContactsInput): DesiredContacts {
  const defaultRegion = parseDefaultPhoneRegion(input.defaultRegion);
  const contacts: Contact[] = [];
  const reports: SourceReport[] = [];
  for (const { source, records } of input.sources) {
    let excludedByFilter = 0;
    let withoutKey = 0;
    for (const record of records) {
      const mapping =
        source.kind === 'group' && isOrgContactRecord(record)
          ? (source.orgContactMapping ?? ORG_CONTACT_MAPPING)
          : source.mapping;
      const decision = evaluateFilterRules(record, source.filter, {
        mapping,
        groupMembers: input.groupMembers,
      });
      if (!decision.included) {
        excludedByFilter++;
        continue;
      }
      const draft = mapSourceRecord(record, {
        sourceId: source.id,
        sourceKind: source.kind,
        mapping,
      });
      if (!draft) {
        withoutKey++;
        continue;
      }
      contacts.push(normalizeContact(draft, { defaultRegion }));
    }
    reports.push({ sourceId: source.id, records: records.length, excludedByFilter, withoutKey });
  }
  const priority = input.sourcePriority ?? input.sources.map((s) => s.source.id);
  const merged = mergeContacts(contacts, { sourcePriority: priority });
  const items = merged.map((merged): DesiredItem<Contact> => {
    const contact: Contact = input.listCategories?.length
      ? {
          ...merged,
          categories: canonicalCategories([...merged.categories, ...input.listCategories]),
        }
      : merged;
    return {
      sourceKey: contact.sourceKey,
      value: contact,
      contentHash: contactContentHash(contact, { salt: input.hashSalt }),
      alternateKeys: contact.mergedKeys.filter((k) => k !== contact.sourceKey),
    };
  });
  return { items, sources: reports };
}
