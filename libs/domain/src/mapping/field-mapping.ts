import {
  CONTACT_ADDRESS_FIELDS,
  SYNCED_CONTACT_FIELDS,
  type ContactAddressField,
  type SyncedContactField,
} from '../contact/contact-fields';
import { PHYSICAL_ADDRESS_PARTS, type PhysicalAddressPart } from '../contact/physical-address';

/**
 * What a mapping can fill: a contact field, one part of an address (`businessAddress.city`), or
 * `phoneRegion` — not a contact field, but the country (ISO code or English name) used to read
 * phone numbers written without `+` for this record, ahead of the list's default region.
 */
export type MappingTarget =
  | Exclude<SyncedContactField, ContactAddressField>
  | `${ContactAddressField}.${PhysicalAddressPart}`
  | 'phoneRegion';

export const MAPPING_TARGETS: readonly MappingTarget[] = [
  ...SYNCED_CONTACT_FIELDS.filter(
    (f): f is Exclude<SyncedContactField, ContactAddressField> =>
      !(CONTACT_ADDRESS_FIELDS as readonly string[]).includes(f),
  ),
  ...CONTACT_ADDRESS_FIELDS.flatMap((a) => PHYSICAL_ADDRESS_PARTS.map((p) => `${a}.${p}` as const)),
  'phoneRegion',
];

export function isMappingTarget(name: string): name is MappingTarget {
  return (MAPPING_TARGETS as readonly string[]).includes(name);
}

/**
 * Which source attribute fills which contact field, for one source of a list. Several paths for
 * one target are read in order: a single-value target takes the first non-empty value, a
 * collection target (e-mails, phones, categories) takes them all.
 */
export interface FieldMapping {
  /** Path of the record's identity; becomes the source key. */
  readonly keyPath: string;
  readonly fields: Readonly<Partial<Record<MappingTarget, string | readonly string[]>>>;
}

/** The paths mapped to a target, always as a list. */
export function pathsFor(mapping: FieldMapping, target: MappingTarget): readonly string[] {
  const paths = mapping.fields[target];
  return paths === undefined ? [] : typeof paths === 'string' ? [paths] : paths;
}
