import fc from 'fast-check';
import type { ContactFields, MailboxContactValues } from '../contact/contact';
import {
  CONTACT_FIELD_KINDS,
  SYNCED_CONTACT_FIELDS,
  type SyncedContactField,
} from '../contact/contact-fields';
import { fieldValuesEqual, isEmptyFieldValue } from '../hash/canonical-field-value';
import { cleanNotes } from '../normalize/clean-text';
import {
  computeContactPatch,
  type ContactPatch,
  type ContactPatchResult,
} from './compute-contact-patch';
import {
  DEFAULT_NOTES_MARKERS as M,
  FIELD_POLICIES,
  fieldPolicyFor,
  type ContactSyncPolicy,
  type FieldPolicy,
  type PolicyField,
} from './contact-sync-policy';
import { computeFieldHashes, fieldHash, type FieldHashes } from './field-hashes';
import { extractManagedNotes, userNotesOf } from './managed-notes';

/**
 * Property-based tests of `computeContactPatch` (fast-check, fixed seeds). Values come from
 * tiny pools that overlap between source and mailbox (and differ only by whitespace or case
 * now and then), so equal, different and empty values all meet every policy.
 *
 * The mailbox is modelled as Graph shows it: values without the photo; what photo of ours is
 * there is known from the stored field hashes only.
 */

type Mutable = Record<string, unknown>;
const POLICY_FIELDS = SYNCED_CONTACT_FIELDS.filter((f): f is PolicyField => f !== 'personalNotes');
const PHOTOS = [undefined, 'p1', 'p2'] as const;

const POOLS = {
  text: [undefined, 'A', 'B', ' B ', ''],
  date: [undefined, '1980-01-31', '1990-02-28'],
  phone: [undefined, '+1', '+2', ' +2'],
  phones: [[], ['+1'], ['+1', '+2'], ['+2', '+1'], [' +1 ']],
  emails: [
    [],
    [{ address: 'a@x.example', name: 'A' }],
    [{ address: 'A@X.example', name: 'A' }],
    [{ address: 'b@x.example' }],
  ],
  address: [
    undefined,
    { city: 'London' },
    { city: ' London ' },
    { street: '1 Main', city: 'Paris' },
    { city: '' },
  ],
  categories: [[], ['Blue'], ['blue', 'Work'], ['Work', 'Blue']],
} as const;
const SOURCE_NOTES = [undefined, 'ours', 'ours\nmore', ' ', 'ours  \r\nmore'];
const MAILBOX_NOTES = [
  undefined,
  'Mine',
  `Mine\n\n${M.start}\nold\n${M.end}`,
  `${M.start}\nours\n${M.end}`,
  `Mine\r\n\r\n${M.start}\r\nours\r\n${M.end}\r\n`,
  `${M.start}\nunclosed, the user's`,
  `a\n${M.start}\nx\n${M.end}\nb\n${M.start}\ny\n${M.end}\nc`,
];

function poolArb(field: SyncedContactField): fc.Arbitrary<unknown> {
  const kind = CONTACT_FIELD_KINDS[field];
  if (kind === 'notes') return fc.constantFrom(...SOURCE_NOTES);
  if (field === 'photoHash') return fc.constantFrom(...PHOTOS);
  return fc.constantFrom<unknown>(...POOLS[kind]);
}

function fieldsArb(fields: readonly SyncedContactField[]): fc.Arbitrary<Mutable> {
  return fc
    .record(
      Object.fromEntries(fields.map((f) => [f, poolArb(f)])) as Record<
        string,
        fc.Arbitrary<unknown>
      >,
    )
    .map((record) => {
      const out: Mutable = {};
      for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
      return out;
    });
}

const desiredArb = fieldsArb(SYNCED_CONTACT_FIELDS).map((f) => ({
  emailAddresses: [],
  businessPhones: [],
  homePhones: [],
  categories: [],
  ...f,
})) as fc.Arbitrary<ContactFields>;

/** What Graph shows of an item: no photo; notes with or without our section. */
const mailboxArb = fc
  .tuple(
    fieldsArb(SYNCED_CONTACT_FIELDS.filter((f) => f !== 'photoHash' && f !== 'personalNotes')),
    fc.constantFrom(...MAILBOX_NOTES),
  )
  .map(
    ([values, notes]) =>
      (notes === undefined ? values : { ...values, personalNotes: notes }) as MailboxContactValues,
  );

interface Scenario {
  readonly desired: ContactFields;
  readonly values: MailboxContactValues;
  /** Stored at our last write; `undefined` = unknown. Its `photoHash` tells the photo. */
  readonly fieldHashes: FieldHashes | undefined;
  readonly policy: ContactSyncPolicy;
}

const policyArb: fc.Arbitrary<ContactSyncPolicy> = fc.record({
  defaultFieldPolicy: fc.constantFrom(...FIELD_POLICIES),
  fieldPolicies: fc.dictionary(
    fc.constantFrom(...POLICY_FIELDS),
    fc.constantFrom(...FIELD_POLICIES),
    {
      maxKeys: 6,
    },
  ),
  keepUserEdits: fc.boolean(),
}) as fc.Arbitrary<ContactSyncPolicy>;

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    desired: desiredArb,
    values: mailboxArb,
    policy: policyArb,
    // What we wrote last: unknown, an earlier source version (the mailbox may differ from it:
    // user edits), or exactly what the mailbox holds; some entries may be unknown.
    written: fc.oneof(
      fc.constant({ kind: 'unknown' as const }),
      desiredArb.map((fields) => ({ kind: 'earlier' as const, fields })),
      fc.constantFrom(...PHOTOS).map((photo) => ({ kind: 'as-is' as const, photo })),
    ),
    unknown: fc.subarray([...SYNCED_CONTACT_FIELDS], { maxLength: 4 }),
  })
  .map(({ desired, values, policy, written, unknown }) => {
    if (written.kind === 'unknown') return { desired, values, policy, fieldHashes: undefined };
    const wrote =
      written.kind === 'earlier' ? written.fields : { ...values, photoHash: written.photo };
    const hashes: FieldHashes = computeFieldHashes(wrote);
    for (const f of unknown) delete hashes[f];
    return { desired, values, policy, fieldHashes: hashes };
  });

/** The photo of ours the mailbox holds, as the stored hash tells it (no hash = none). */
function photoOf(hashes: FieldHashes | undefined): string | undefined {
  const stored = hashes?.photoHash;
  if (stored === undefined) return undefined;
  const photo = PHOTOS.find((p) => fieldHash('photoHash', p) === stored);
  if (photo === undefined && stored !== fieldHash('photoHash', undefined)) {
    throw new Error('unknown photo hash');
  }
  return photo;
}

/** What the mailbox holds after the patch (as Graph applies it; the photo goes separately). */
function apply(values: MailboxContactValues, patch: ContactPatch): MailboxContactValues {
  const out: Mutable = { ...values };
  for (const [field, value] of Object.entries(patch)) {
    if (field === 'photoHash') continue;
    if (value === null || (Array.isArray(value) && value.length === 0)) delete out[field];
    else out[field] = value;
  }
  return out as MailboxContactValues;
}

const compute = (s: Scenario, values = s.values, fieldHashes = s.fieldHashes) =>
  computeContactPatch(s.desired, { values, fieldHashes }, s.policy);

/** Current value of a field before and after the patch (the photo from the stored hashes). */
function beforeAfter(s: Scenario, result: ContactPatchResult, field: PolicyField) {
  if (field === 'photoHash') {
    const before = photoOf(s.fieldHashes);
    const after = 'photoHash' in result.patch ? (result.patch.photoHash ?? undefined) : before;
    return { before, after };
  }
  return { before: s.values[field], after: apply(s.values, result.patch)[field] };
}

const RUNS = 150;

describe('computeContactPatch (fast-check properties)', () => {
  it('reaches a fixpoint: applying the patch and recomputing gives no further change', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const first = compute(s);
        expect(first.needsCurrentValues).toBe(false);
        const values = apply(s.values, first.patch);
        const second = compute(s, values, first.fieldHashes);
        expect(second.changedFields).toEqual([]);
        expect(second.patch).toEqual({});
        // The stored hashes are stable too (nothing to re-store).
        expect(second.fieldHashes).toEqual(first.fieldHashes);
        // The photo we now hold is the one the hashes say.
        if ('photoHash' in first.patch) {
          expect(photoOf(first.fieldHashes)).toBe(first.patch.photoHash ?? undefined);
        }
      }),
      { seed: 0xf1c5, numRuns: RUNS },
    );
  });

  it('reaches a fixpoint from a create', () => {
    fc.assert(
      fc.property(desiredArb, policyArb, (desired, policy) => {
        const created = computeContactPatch(desired, undefined, policy);
        expect(created.fieldHashes).toEqual(computeFieldHashes(desired));
        // Every non-empty field is in the body, nothing else.
        for (const f of SYNCED_CONTACT_FIELDS) {
          if (f === 'personalNotes') continue;
          expect(f in created.patch).toBe(!isEmptyFieldValue(f, desired[f]));
        }
        const values = apply({}, created.patch);
        const again = computeContactPatch(
          desired,
          { values, fieldHashes: created.fieldHashes },
          policy,
        );
        expect(again.changedFields).toEqual([]);
      }),
      { seed: 0xc7ea7e, numRuns: RUNS },
    );
  });

  it('follows each field policy: write fills only empty fields, overwrite skips empty sources, clear mirrors', () => {
    const seen: Record<FieldPolicy, number> = { write: 0, overwrite: 0, clear: 0 };
    let userEdits = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = compute(s);
        for (const field of POLICY_FIELDS) {
          const rule = fieldPolicyFor(s.policy, field);
          const { before, after } = beforeAfter(s, result, field);
          const wanted = s.desired[field];
          const stored = s.fieldHashes?.[field];
          const mirrors = fieldValuesEqual(field, after, wanted);
          const unchanged = !(field in result.patch);

          // Nothing is sent for a field that already holds the source value.
          if (fieldValuesEqual(field, before, wanted)) {
            expect(unchanged).toBe(true);
            continue;
          }
          seen[rule]++;
          // keepUserEdits: a field whose value no longer hashes to what we wrote is the user's.
          // (Graph cannot show the photo, so a photo edit is never detected.)
          const edited =
            s.policy.keepUserEdits &&
            field !== 'photoHash' &&
            stored !== undefined &&
            stored !== fieldHash(field, before);
          if (edited) {
            userEdits++;
            expect(unchanged).toBe(true);
            expect(result.skipped).toContainEqual({ field, reason: 'user-edited' });
            expect(result.fieldHashes[field]).toBe(stored); // still detected next time
            continue;
          }
          if (rule === 'write') {
            // Never overwrites a non-empty mailbox value; fills an empty one.
            if (!isEmptyFieldValue(field, before)) expect(unchanged).toBe(true);
            else expect(mirrors).toBe(true);
          } else if (rule === 'overwrite') {
            if (isEmptyFieldValue(field, wanted)) expect(unchanged).toBe(true);
            else expect(mirrors).toBe(true);
          } else {
            // clear mirrors the source, clearing included.
            expect(mirrors).toBe(true);
          }
        }
      }),
      { seed: 0x9011c7, numRuns: RUNS },
    );
    for (const n of [...Object.values(seen), userEdits]) expect(n).toBeGreaterThan(RUNS);
  });

  it("keeps the user's notes and puts exactly our text between the markers", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = compute(s);
        const notes = apply(s.values, result.patch).personalNotes;
        expect(userNotesOf(notes, M)).toBe(userNotesOf(s.values.personalNotes, M));
        expect(extractManagedNotes(notes, M)).toBe(cleanNotes(s.desired.personalNotes ?? ''));
      }),
      { seed: 0x707e5, numRuns: RUNS },
    );
  });

  it('decides blind (current values unknown) only what it would decide knowing them', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const blind = computeContactPatch(s.desired, { fieldHashes: s.fieldHashes }, s.policy);
        const informed = compute(s);
        expect(blind.needsCurrentValues).toBe(
          blind.skipped.some((x) => x.reason === 'current-unknown'),
        );
        expect('personalNotes' in blind.patch).toBe(false);
        for (const field of blind.changedFields) {
          const target =
            field in informed.patch
              ? informed.patch[field]
              : beforeAfter(s, informed, field as PolicyField).before;
          expect(fieldValuesEqual(field, blind.patch[field], target)).toBe(true);
        }
      }),
      { seed: 0xb11d, numRuns: RUNS },
    );
  });
});
