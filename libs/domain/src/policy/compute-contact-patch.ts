import type { ContactFields, MailboxContactValues } from '../contact/contact';
import {
  CONTACT_FIELD_KINDS,
  SYNCED_CONTACT_FIELDS,
  type SyncedContactField,
} from '../contact/contact-fields';
import { canonicalFieldValue, fieldValuesEqual } from '../hash/canonical-field-value';
import { cleanNotes } from '../normalize/clean-text';
import {
  DEFAULT_NOTES_MARKERS,
  fieldPolicyFor,
  type ContactSyncPolicy,
} from './contact-sync-policy';
import { fieldHash, type FieldHashes } from './field-hashes';
import { composeManagedNotes } from './managed-notes';

/**
 * The fields to send. Clearing: `null` for single values and addresses, `[]` for collections.
 * `personalNotes` is the whole notes text (the user's part kept), `photoHash` null = remove photo.
 */
export type ContactPatch = {
  -readonly [K in SyncedContactField]?: NonNullable<ContactFields[K]> extends readonly unknown[]
    ? NonNullable<ContactFields[K]>
    : NonNullable<ContactFields[K]> | null;
};

/** What we know about the mailbox item (nothing at all for a create). */
export interface MailboxContactState {
  /**
   * The item's current values (a delta page with `$select`, or a GET); `undefined` when not
   * read. Graph cannot return photo content: leave `photoHash` out and the stored field hash
   * decides (no stored hash = no photo of ours).
   */
  readonly values?: MailboxContactValues;
  /** Stored at our last write (`decodeFieldHashes`); `undefined` when unknown. */
  readonly fieldHashes?: FieldHashes;
}

export type PatchSkipReason =
  /** keepUserEdits: the user changed this field since our last write. */
  | 'user-edited'
  /** `write` policy and the mailbox already holds a value. */
  | 'mailbox-value-kept'
  /** `overwrite` policy and the source is empty. */
  | 'source-empty'
  /** The decision needs the item's current value, which was not passed. */
  | 'current-unknown';

export interface ContactPatchResult {
  readonly patch: ContactPatch;
  /** Keys of `patch`, in field order. */
  readonly changedFields: readonly SyncedContactField[];
  /** Fields where source and mailbox differ but the policy kept the mailbox value. */
  readonly skipped: readonly {
    readonly field: SyncedContactField;
    readonly reason: PatchSkipReason;
  }[];
  /** To store with the item once the write succeeded (`encodeFieldHashes`). */
  readonly fieldHashes: FieldHashes;
  /** Some field was skipped as `current-unknown`: read the item and compute again to finish it. */
  readonly needsCurrentValues: boolean;
}

interface CurrentValue {
  readonly value: unknown;
  /** Field hash of the value (for the photo: the stored hash itself). */
  readonly hash: string;
}

function currentValueOf(
  field: SyncedContactField,
  desired: ContactFields,
  state: MailboxContactState,
): CurrentValue | undefined {
  if (field === 'photoHash' && state.values?.photoHash === undefined) {
    // Graph cannot show us the photo: the hash of the one we last uploaded tells what it is.
    // Without a stored hash we never uploaded one that we know of: count it as no photo, or
    // every list without photos would send a photo delete with each update.
    const stored = state.fieldHashes?.photoHash ?? fieldHash('photoHash', undefined);
    if (stored === fieldHash('photoHash', undefined)) return { value: undefined, hash: stored };
    const same = stored === fieldHash('photoHash', desired.photoHash);
    return { value: same ? desired.photoHash : `previous:${stored}`, hash: stored };
  }
  if (state.values === undefined) return undefined;
  const value = state.values[field];
  return { value, hash: fieldHash(field, value) };
}

/** The desired value, or the "clear" value of the field when it is empty. */
function patchValue(field: SyncedContactField, value: unknown): unknown {
  if (canonicalFieldValue(field, value) !== undefined) return value;
  const kind = CONTACT_FIELD_KINDS[field];
  return kind === 'emails' || kind === 'phones' || kind === 'categories' ? [] : null;
}

/**
 * The patch that brings a mailbox contact in line with `desired` under the list's policy.
 * `state` undefined means the item does not exist yet: the result is the create body.
 *
 * Per field (values compared in canonical form, so whitespace or e-mail case is no change):
 * 1. equal → nothing;
 * 2. keepUserEdits and the field's current hash differs from the hash stored at our last write
 *    → the user changed it: left alone (for every policy; unknown stored hash = no edit seen);
 * 3. `write` → set only when the mailbox value is empty; `overwrite` → set unless the source is
 *    empty; `clear` → set, clearing when the source is empty.
 * `personalNotes` is always ours between the markers and the user's outside them.
 *
 * Keep-user-edits design: we store a short hash per field of what we wrote (`fieldHashes`, about
 * 210 characters encoded — an extended property beside ContentHash, or the map cache). Hashes,
 * not values: nothing personal is duplicated, and a changed hash is all we need to know.
 */
export function computeContactPatch(
  desired: ContactFields,
  state: MailboxContactState | undefined,
  policy: ContactSyncPolicy,
): ContactPatchResult {
  const markers = policy.notesMarkers ?? DEFAULT_NOTES_MARKERS;
  const patch: Record<string, unknown> = {};
  const skipped: { field: SyncedContactField; reason: PatchSkipReason }[] = [];
  const hashes: FieldHashes = {};

  for (const field of SYNCED_CONTACT_FIELDS) {
    const wanted = desired[field];
    const wantedHash = fieldHash(field, wanted);
    const stored = state?.fieldHashes?.[field];
    const set = (value: unknown) => {
      patch[field] = value;
      hashes[field] = wantedHash;
    };
    const skip = (reason: PatchSkipReason, keptHash: string | undefined) => {
      skipped.push({ field, reason });
      if (keptHash !== undefined) hashes[field] = keptHash;
    };

    if (field === 'personalNotes') {
      const ours = desired.personalNotes;
      if (state === undefined) {
        const notes = composeManagedNotes(undefined, ours, markers);
        if (notes !== undefined) patch[field] = notes;
        hashes[field] = wantedHash;
      } else if (state.values === undefined) {
        // Our section is what we wrote last time: nothing to write, so no need to read the
        // item (an edit inside our markers is repaired when the item is read for another reason).
        if (stored !== undefined && stored === wantedHash) hashes[field] = stored;
        else skip('current-unknown', stored);
      } else {
        const notes = composeManagedNotes(state.values.personalNotes, ours, markers);
        if (cleanNotes(notes ?? '') !== cleanNotes(state.values.personalNotes ?? '')) {
          patch[field] = notes ?? null;
        }
        hashes[field] = wantedHash;
      }
      continue;
    }

    const wantedEmpty = canonicalFieldValue(field, wanted) === undefined;
    if (state === undefined) {
      if (!wantedEmpty) patch[field] = wanted;
      hashes[field] = wantedHash;
      continue;
    }

    const rule = fieldPolicyFor(policy, field);
    const current = currentValueOf(field, desired, state);
    if (current === undefined) {
      // Decide blind only where the answer does not depend on the current value.
      if (rule === 'write' || policy.keepUserEdits) skip('current-unknown', stored);
      else if (rule === 'overwrite' && wantedEmpty) skip('source-empty', stored);
      else set(patchValue(field, wanted));
      continue;
    }
    if (fieldValuesEqual(field, current.value, wanted)) {
      hashes[field] = wantedHash;
      continue;
    }
    if (policy.keepUserEdits && stored !== undefined && stored !== current.hash) {
      skip('user-edited', stored);
      continue;
    }
    const currentEmpty = canonicalFieldValue(field, current.value) === undefined;
    if (rule === 'write' && !currentEmpty) skip('mailbox-value-kept', stored ?? current.hash);
    else if (rule === 'overwrite' && wantedEmpty) skip('source-empty', stored ?? current.hash);
    else set(patchValue(field, wanted));
  }

  const changedFields = SYNCED_CONTACT_FIELDS.filter((f) => f in patch);
  return {
    patch: patch as ContactPatch,
    changedFields,
    skipped,
    fieldHashes: hashes,
    needsCurrentValues: skipped.some((s) => s.reason === 'current-unknown'),
  };
}
