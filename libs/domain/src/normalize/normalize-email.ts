import type { EmailAddress } from '../contact/email-address';
import { cleanText } from './clean-text';

export type EmailNormalization =
  | { readonly kind: 'ok'; readonly email: EmailAddress }
  /** Looks like nothing we can send; flagged and left out. */
  | { readonly kind: 'invalid'; readonly value: string }
  /** A proxy address of another type (X500:, SIP:, EUM:…): not mail, silently skipped. */
  | { readonly kind: 'not-mail' };

const ADDRESS = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:".]+(\.[^\s@<>()[\],;:".]+)+$/;
const NAMED = /^(.*?)\s*<([^<>]+)>$/;

/**
 * One e-mail value from a source: a plain address, `Name <address>`, a proxy address
 * (`SMTP:`/`smtp:` prefix stripped, other types skipped), `mailto:…`, or a Graph
 * `{address, name}` object. The address is lower-cased: Exchange matches SMTP addresses
 * case-insensitively, and one spelling keeps keys and hashes stable.
 * Returns `undefined` for an empty value.
 */
export function normalizeEmailValue(value: unknown): EmailNormalization | undefined {
  let rawAddress: unknown = value;
  let rawName: unknown;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    rawAddress = (value as Record<string, unknown>)['address'];
    rawName = (value as Record<string, unknown>)['name'];
  }
  if (typeof rawAddress !== 'string') return undefined;
  let text = cleanText(rawAddress);
  if (text === undefined) return undefined;
  const named = NAMED.exec(text);
  if (named) {
    rawName ??= named[1]?.replace(/^"|"$/g, '');
    text = named[2]!.trim();
  }
  const prefix = /^([a-z0-9]+):/i.exec(text);
  if (prefix) {
    const type = prefix[1]!.toLowerCase();
    if (type !== 'smtp' && type !== 'mailto') return { kind: 'not-mail' };
    text = text.slice(prefix[0].length).trim();
  }
  const address = text.toLowerCase();
  if (!ADDRESS.test(address)) return { kind: 'invalid', value: cleanText(rawAddress) ?? text };
  const name = typeof rawName === 'string' ? cleanText(rawName) : undefined;
  return { kind: 'ok', email: name === undefined ? { address } : { address, name } };
}
