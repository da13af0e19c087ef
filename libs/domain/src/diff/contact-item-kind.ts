import type { Contact, MailboxContactValues } from '../contact/contact';
import type { ItemKindStrategy } from '../mailbox/item-kind-strategy';
import {
  computeContactPatch,
  type ContactPatch,
  type ContactPatchResult,
  type MailboxContactState,
} from '../policy/compute-contact-patch';
import type { ContactSyncPolicy } from '../policy/contact-sync-policy';
import { decodeFieldHashes, encodeFieldHashes } from '../policy/field-hashes';
import { contactDiffStrategy } from './contact-diff-strategy';

export type ContactItemKind = ItemKindStrategy<
  Contact,
  MailboxContactState,
  ContactPatchResult,
  ContactPatch,
  MailboxContactValues,
  ContactSyncPolicy
>;

/**
 * Contacts as an item kind: plans are `computeContactPatch` results; the map keeps the notes
 * hash of each item, because the notes section is the one field whose current value a plan
 * needs (our section is kept apart from the user's text) and reading every item is too dear.
 */
export const contactItemKind: ContactItemKind = {
  kind: 'contact',
  diff: (policy) => contactDiffStrategy(policy),
  patchOf: (plan) => plan.patch,
  fieldHashesOf: (plan) => encodeFieldHashes(plan.fieldHashes),
  currentOf: (item) => ({ values: item.values, fieldHashes: decodeFieldHashes(item.fieldHashes) }),
  mapHashOf: (encoded) => decodeFieldHashes(encoded)?.personalNotes,
  currentFromMapHash: (notesHash) => ({ fieldHashes: { personalNotes: notesHash } }),
  needsCurrent: (plan) => plan.needsCurrentValues,
  replan: (desired, current, policy) => computeContactPatch(desired, current, policy),
  nameOf: (value) => value.displayName,
  nameOfValues: (values) => values?.displayName,
  fieldsOf: (plan) => plan.changedFields,
};
