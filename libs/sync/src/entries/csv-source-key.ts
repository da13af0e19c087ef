import type { BlindIndex } from '@app/crypto';

/** Namespace of CSV source keys since ADR 0002; `csv:` keys held the key (often an address) in plaintext. */
export const CSV_SOURCE_KEY_PREFIX = 'csvh:';
/** The pre-ADR namespace, rewritten by RekeyCsvSourceKeys. */
export const LEGACY_CSV_SOURCE_KEY_PREFIX = 'csv:';

/**
 * The stored key of a CSV row: the tenant's blind index (keyed HMAC) of its normalised key, so
 * `list_entry.source_key` and the mailbox ownership tag never carry an e-mail address, yet the
 * same row keeps the same key across imports (so the sync updates rather than re-creates).
 */
export function csvSourceKey(blindIndex: BlindIndex, tenantId: string, key: string): string {
  return CSV_SOURCE_KEY_PREFIX + blindIndex.compute(tenantId, key);
}
