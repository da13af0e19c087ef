import { createHash } from 'node:crypto';
import type { ContactSourceKind } from './contact-source-kind';

/** What kind of object a source key names; a user met through a group is still a `user`. */
export type SourceKeyNamespace = 'user' | 'orgcontact' | 'contact' | 'manual';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PLAIN_ID_LENGTH = 100;

/**
 * A stable, lower-case key for a source object: `<namespace>:<id>`.
 * Directory and manual ids are GUIDs (case-insensitive): lower-cased as they are. Outlook item
 * ids are case-sensitive base64, so lower-casing could make two ids equal; such ids (and very
 * long ones) become `h` + 32 hex chars of their SHA-256 instead. Returns `undefined` for an
 * empty id (a record without identity cannot be synced).
 */
export function makeSourceKey(namespace: SourceKeyNamespace, rawId: unknown): string | undefined {
  const id =
    typeof rawId === 'number' ? String(rawId) : typeof rawId === 'string' ? rawId.trim() : '';
  if (id === '') return undefined;
  const safe =
    GUID.test(id) ||
    (id === id.toLowerCase() && id.length <= MAX_PLAIN_ID_LENGTH && !/\s/.test(id));
  const part = safe
    ? id.toLowerCase()
    : 'h' + createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 32);
  return `${namespace}:${part}`;
}

/**
 * The namespace for a record of a source kind. Group members can be users or org contacts
 * (Graph marks them with `@odata.type`), and the same user reached through the directory and
 * through a group must get the same key so the two merge.
 */
export function sourceKeyNamespaceFor(
  kind: ContactSourceKind,
  record?: Readonly<Record<string, unknown>>,
): SourceKeyNamespace {
  switch (kind) {
    case 'directory':
      return 'user';
    case 'group':
      return isOrgContactRecord(record) ? 'orgcontact' : 'user';
    case 'org-contact':
      return 'orgcontact';
    case 'mailbox-folder':
      return 'contact';
    case 'manual':
      return 'manual';
  }
}

/** True for a Graph directory object typed `#microsoft.graph.orgContact`. */
export function isOrgContactRecord(record?: Readonly<Record<string, unknown>>): boolean {
  const type = record?.['@odata.type'];
  return typeof type === 'string' && type.toLowerCase() === '#microsoft.graph.orgcontact';
}
