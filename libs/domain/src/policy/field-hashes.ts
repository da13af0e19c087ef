import { createHash } from 'node:crypto';
import type { ContactFields } from '../contact/contact';
import { SYNCED_CONTACT_FIELDS, type SyncedContactField } from '../contact/contact-fields';
import { canonicalJson } from '../hash/canonical-json';
import { canonicalFieldValue } from '../hash/canonical-field-value';

/**
 * Short hash per field of what we last wrote, for "keep user edits": a field whose current
 * mailbox value no longer hashes to what we wrote was changed by the user. A missing entry
 * means "not known" (edits to that field cannot be detected, the policy applies as usual).
 */
export type FieldHashes = Partial<Record<SyncedContactField, string>>;

/** Version of the encoding below; bump when SYNCED_CONTACT_FIELDS or the hash changes. */
export const FIELD_HASHES_VERSION = 1;
const PREFIX = `fh${FIELD_HASHES_VERSION}:`;
/** 8 base64url chars = 48 bits per field: a missed user edit needs a 1 in 2^48 collision. */
const FIELD_HASH_LENGTH = 8;
/** Placeholder for an unknown entry; `.` is not in the base64url alphabet. */
const UNKNOWN = '.'.repeat(FIELD_HASH_LENGTH);

/** Hash of one field's value (its canonical form, so whitespace/case noise is not an edit). */
export function fieldHash(field: SyncedContactField, value: unknown): string {
  const canonical = canonicalJson(canonicalFieldValue(field, value));
  return createHash('sha256')
    .update(`${field}\u0000${canonical}`, 'utf8')
    .digest('base64url')
    .slice(0, FIELD_HASH_LENGTH);
}

/** Field hashes of a whole set of values (what we store after a create). */
export function computeFieldHashes(fields: Partial<ContactFields>): FieldHashes {
  const hashes: FieldHashes = {};
  for (const field of SYNCED_CONTACT_FIELDS) hashes[field] = fieldHash(field, fields[field]);
  return hashes;
}

/**
 * Compact text for an extended property or the map cache: `fh1:` then 8 chars per field in
 * SYNCED_CONTACT_FIELDS order (about 210 characters).
 */
export function encodeFieldHashes(hashes: FieldHashes): string {
  return PREFIX + SYNCED_CONTACT_FIELDS.map((f) => hashes[f] ?? UNKNOWN).join('');
}

/** Inverse of `encodeFieldHashes`; another version or a damaged value gives `undefined` (= unknown). */
export function decodeFieldHashes(encoded: string | undefined): FieldHashes | undefined {
  if (encoded === undefined || !encoded.startsWith(PREFIX)) return undefined;
  const body = encoded.slice(PREFIX.length);
  if (body.length !== SYNCED_CONTACT_FIELDS.length * FIELD_HASH_LENGTH) return undefined;
  const hashes: FieldHashes = {};
  SYNCED_CONTACT_FIELDS.forEach((field, i) => {
    const chunk = body.slice(i * FIELD_HASH_LENGTH, (i + 1) * FIELD_HASH_LENGTH);
    if (chunk !== UNKNOWN) hashes[field] = chunk;
  });
  return hashes;
}
