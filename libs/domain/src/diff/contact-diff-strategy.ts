import type { Contact } from '../contact/contact';
import {
  computeContactPatch,
  type ContactPatchResult,
  type MailboxContactState,
} from '../policy/compute-contact-patch';
import type { ContactSyncPolicy } from '../policy/contact-sync-policy';
import type { ItemDiffStrategy } from './diff-types';

export type ContactDiffStrategy = ItemDiffStrategy<
  Contact,
  MailboxContactState,
  ContactPatchResult
>;

/**
 * Contacts for `planDiff`: creates and updates carry `computeContactPatch` results (the body,
 * the field hashes to store, and whether the item's current values are needed to finish it).
 * Drift (hash unchanged, values read because the item changed) is repaired only when the
 * policy actually wants a field back.
 */
export function contactDiffStrategy(policy: ContactSyncPolicy): ContactDiffStrategy {
  // A create body depends only on the contact and the policy: computed once per run, not once
  // per mailbox (the same desired objects are planned against every targeted mailbox).
  const creates = new WeakMap<Contact, ContactPatchResult>();
  return {
    planCreate: (desired) => {
      let result = creates.get(desired.value);
      if (!result) {
        result = computeContactPatch(desired.value, undefined, policy);
        creates.set(desired.value, result);
      }
      return result;
    },
    planUpdate: (desired, item) => computeContactPatch(desired.value, item.current ?? {}, policy),
    planDrift: (desired, item) => {
      if (item.current?.values === undefined) return undefined;
      const result = computeContactPatch(desired.value, item.current, policy);
      return result.changedFields.length > 0 ? result : undefined;
    },
  };
}
