/** Where a contact came from. `group` = transitive members of a group (users, or org contacts). */
export type ContactSourceKind = 'directory' | 'group' | 'org-contact' | 'mailbox-folder' | 'manual';

export const CONTACT_SOURCE_KINDS: readonly ContactSourceKind[] = [
  'directory',
  'group',
  'org-contact',
  'mailbox-folder',
  'manual',
];
