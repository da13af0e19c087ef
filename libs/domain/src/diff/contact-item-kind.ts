import type { Contact, MailboxContactValues } from '../contact/contact';
import type { ItemKindStrategy } from '../mailbox/item-kind-strategy';
import {
  computeContactPatch,
  type ContactPatch,
  type ContactPatchResult,
  type MailboxContactState,
} from '../policy/compute-contact-patch';
import type { ContactSyncPolicy } from '../policy/contact-sync-policy';
import { SYNCED_CONTACT_FIELDS } from '../contact/contact-fields';
import { fieldValuesEqual } from '../hash/canonical-field-value';
import { decodeFieldHashes, encodeFieldHashes, fieldHash } from '../policy/field-hashes';
import { contactDiffStrategy } from './contact-diff-strategy';

export type ContactItemKind = ItemKindStrategy<
  Contact,
  MailboxContactState,
  ContactPatchResult,
  ContactPatch,
  MailboxContactValues,
  ContactSyncPolicy
>;

const NO_PHOTO = fieldHash('photoHash', undefined);
/** Separates the photo's hash from the notes hash in a map hash (neither contains it). */
const PHOTO_MARK = '~';

/**
 * The map hash of an item: its notes hash, and the hash of the photo we put on it when there is
 * one (`notes~photo`) — Graph never shows a contact's photo, so the map must remember it for a
 * photo removed at the source to be removed from the item. A map written before kept the notes
 * hash alone, which still reads as "no photo of ours".
 */
function contactMapHash(encoded: string | undefined): string | undefined {
  const hashes = decodeFieldHashes(encoded);
  if (!hashes) return undefined;
  const photo = hashes.photoHash;
  if (photo === undefined || photo === NO_PHOTO) return hashes.personalNotes;
  return `${hashes.personalNotes ?? ''}${PHOTO_MARK}${photo}`;
}

/**
 * Contacts as an item kind: plans are `computeContactPatch` results; the map keeps the notes
 * hash of each item, because the notes section is the one field whose current value a plan
 * needs (our section is kept apart from the user's text) and reading every item is too dear,
 * and the hash of its photo (see contactMapHash).
 */
export const contactItemKind: ContactItemKind = {
  kind: 'contact',
  diff: (policy) => contactDiffStrategy(policy),
  patchOf: (plan) => plan.patch,
  fieldHashesOf: (plan) => encodeFieldHashes(plan.fieldHashes),
  currentOf: (item) => ({ values: item.values, fieldHashes: decodeFieldHashes(item.fieldHashes) }),
  mapHashOf: contactMapHash,
  currentFromMapHash: (mapHash) => {
    const at = mapHash.indexOf(PHOTO_MARK);
    if (at < 0) return { fieldHashes: { personalNotes: mapHash } };
    const notes = mapHash.slice(0, at);
    return {
      fieldHashes: {
        ...(notes ? { personalNotes: notes } : {}),
        photoHash: mapHash.slice(at + 1),
      },
    };
  },
  needsCurrent: (plan) => plan.needsCurrentValues,
  replan: (desired, current, policy) => computeContactPatch(desired, current, policy),
  nameOf: (value) => value.displayName,
  nameOfValues: (values) => values?.displayName,
  fieldsOf: (plan) => plan.changedFields,
  changedFields: (before, after) =>
    SYNCED_CONTACT_FIELDS.filter((f) => !fieldValuesEqual(f, before[f], after[f])),
};
