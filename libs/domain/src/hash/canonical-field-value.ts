import { CONTACT_FIELD_KINDS, type SyncedContactField } from '../contact/contact-fields';
import { PHYSICAL_ADDRESS_PARTS } from '../contact/physical-address';
import { cleanNotes, cleanText } from '../normalize/clean-text';
import { canonicalJson, type CanonicalValue } from './canonical-json';

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? cleanText(value) : undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sorted case-insensitively, one spelling per name (the first in sort order), so input order is irrelevant. */
export function canonicalCategories(values: readonly unknown[]): string[] {
  const cleaned = values.map(text).filter((v): v is string => v !== undefined);
  cleaned.sort((a, b) => {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  const seen = new Set<string>();
  return cleaned.filter((c) => {
    const key = c.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The comparable form of one field's value, for the content hash, the field hashes and "did it
 * change" checks against what the mailbox holds. Tolerant of what a mailbox hands back (extra
 * whitespace, `\r\n`, upper-case e-mail, categories in another order or case); `undefined` = empty.
 * Order stays meaningful for e-mails and phones (Email 1 vs Email 2, Business vs Business 2).
 */
export function canonicalFieldValue(
  field: SyncedContactField,
  value: unknown,
): CanonicalValue | undefined {
  switch (CONTACT_FIELD_KINDS[field]) {
    case 'text':
    case 'date':
    case 'phone':
      return text(value);
    case 'notes':
      return typeof value === 'string' ? cleanNotes(value) : undefined;
    case 'phones': {
      const list = Array.isArray(value) ? value.map(text).filter((v) => v !== undefined) : [];
      return list.length > 0 ? (list as string[]) : undefined;
    }
    case 'categories': {
      // Outlook matches category names case-insensitively (against the master list).
      const list = Array.isArray(value)
        ? canonicalCategories(value).map((c) => c.toLowerCase())
        : [];
      return list.length > 0 ? list : undefined;
    }
    case 'emails': {
      const list: { address: string; name?: string }[] = [];
      for (const entry of Array.isArray(value) ? value : []) {
        if (!isRecord(entry)) continue;
        const address = text(entry['address'])?.toLowerCase();
        if (address === undefined) continue;
        const name = text(entry['name']);
        list.push(name === undefined ? { address } : { address, name });
      }
      return list.length > 0 ? list : undefined;
    }
    case 'address': {
      if (!isRecord(value)) return undefined;
      const parts: Record<string, string> = {};
      for (const part of PHYSICAL_ADDRESS_PARTS) {
        const v = text(value[part]);
        if (v !== undefined) parts[part] = v;
      }
      return Object.keys(parts).length > 0 ? parts : undefined;
    }
  }
}

/** True when the field's value is empty once cleaned. */
export function isEmptyFieldValue(field: SyncedContactField, value: unknown): boolean {
  return canonicalFieldValue(field, value) === undefined;
}

/** Equality of two values of one field, by their canonical forms. */
export function fieldValuesEqual(field: SyncedContactField, a: unknown, b: unknown): boolean {
  return (
    canonicalJson(canonicalFieldValue(field, a)) === canonicalJson(canonicalFieldValue(field, b))
  );
}
