import { createHash } from 'node:crypto';
import type { ContactFields } from '../contact/contact';
import { SYNCED_CONTACT_FIELDS } from '../contact/contact-fields';
import { canonicalJson, type CanonicalValue } from './canonical-json';
import { canonicalFieldValue } from './canonical-field-value';

/**
 * Part of every hash. Bump it when the canonical form changes: every item's stored hash then
 * differs once, the planner emits one update per item (a tag-only one where nothing else
 * changed), and the fleet is back to no-op syncs.
 */
export const CONTACT_HASH_VERSION = 1;

/** 27 base64url characters = 162 bits: collisions are not a practical concern. */
export const CONTENT_HASH_LENGTH = 27;

export interface ContentHashOptions {
  /**
   * Mixed into the hash; pass `contactPolicyFingerprint(policy)` (plus anything else that
   * changes what we write, e.g. the list's category) so changing it re-reconciles every item.
   */
  readonly salt?: string;
}

/**
 * The content hash stored on each item (the `ContentHash` tag). Covers every synced field in its
 * canonical form, so it is stable across key order, category order, whitespace and e-mail case,
 * and changes when any synced value changes. Source metadata (keys, issues) is not covered.
 */
export function contactContentHash(
  fields: ContactFields,
  options: ContentHashOptions = {},
): string {
  const canonical: Record<string, CanonicalValue> = {};
  for (const field of SYNCED_CONTACT_FIELDS) {
    const value = canonicalFieldValue(field, fields[field]);
    if (value !== undefined) canonical[field] = value;
  }
  const input = canonicalJson({
    v: CONTACT_HASH_VERSION,
    salt: options.salt ?? '',
    fields: canonical,
  });
  return createHash('sha256')
    .update(input, 'utf8')
    .digest('base64url')
    .slice(0, CONTENT_HASH_LENGTH);
}
