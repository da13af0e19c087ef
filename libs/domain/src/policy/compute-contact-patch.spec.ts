import type { ContactFields, MailboxContactValues } from '../contact/contact';
import { SYNCED_CONTACT_FIELDS } from '../contact/contact-fields';
import { SeededRandom } from '../testing/seeded-random';
import {
  computeContactPatch,
  type ContactPatch,
  type MailboxContactState,
} from './compute-contact-patch';
import {
  DEFAULT_NOTES_MARKERS as M,
  type ContactSyncPolicy,
  type FieldPolicy,
} from './contact-sync-policy';
import { computeFieldHashes, fieldHash } from './field-hashes';
import { composeManagedNotes } from './managed-notes';

const empty: ContactFields = {
  emailAddresses: [],
  businessPhones: [],
  homePhones: [],
  categories: [],
};
const desired: ContactFields = {
  ...empty,
  displayName: 'Ann Lee',
  givenName: 'Ann',
  jobTitle: 'Lead',
  businessPhones: ['+442079460958'],
  emailAddresses: [{ address: 'ann@x.example', name: 'Ann Lee' }],
};
const policy = (defaultFieldPolicy: FieldPolicy, keepUserEdits = false): ContactSyncPolicy => ({
  defaultFieldPolicy,
  keepUserEdits,
});

/** What the mailbox holds after the patch is applied (as Graph would). */
function apply(values: MailboxContactValues, patch: ContactPatch): MailboxContactValues {
  const out: Record<string, unknown> = { ...values };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null || (Array.isArray(value) && value.length === 0)) delete out[field];
    else out[field] = value;
  }
  return out as MailboxContactValues;
}

describe('computeContactPatch', () => {
  describe('create (no item yet)', () => {
    it('sends every non-empty field, under any policy', () => {
      for (const rule of ['write', 'overwrite', 'clear'] as const) {
        const result = computeContactPatch(desired, undefined, policy(rule));
        expect(result.patch).toEqual({
          givenName: 'Ann',
          displayName: 'Ann Lee',
          jobTitle: 'Lead',
          emailAddresses: desired.emailAddresses,
          businessPhones: desired.businessPhones,
        });
        expect(result.changedFields).toEqual([
          'givenName',
          'displayName',
          'jobTitle',
          'emailAddresses',
          'businessPhones',
        ]);
        expect(result.fieldHashes).toEqual(computeFieldHashes(desired));
        expect(result.needsCurrentValues).toBe(false);
      }
    });

    it('wraps our notes in the markers', () => {
      const result = computeContactPatch(
        { ...desired, personalNotes: 'CC-100' },
        undefined,
        policy('clear'),
      );
      expect(result.patch.personalNotes).toBe(`${M.start}\nCC-100\n${M.end}`);
    });
  });

  describe('per-field policies on an existing item', () => {
    const mailbox: MailboxContactValues = {
      displayName: 'Ann Lee',
      givenName: 'Ann',
      jobTitle: 'Old title', // differs from the source
      department: 'Mine', // the source has none
      emailAddresses: [{ address: 'ANN@x.example', name: 'Ann Lee' }], // same, other case
      businessPhones: [], // empty in the mailbox
    };
    const state: MailboxContactState = { values: mailbox };

    it('write fills only empty mailbox fields', () => {
      const result = computeContactPatch(desired, state, policy('write'));
      expect(result.patch).toEqual({ businessPhones: ['+442079460958'] });
      expect(result.skipped).toEqual([
        { field: 'department', reason: 'mailbox-value-kept' },
        { field: 'jobTitle', reason: 'mailbox-value-kept' },
      ]);
    });

    it('overwrite sets the source value; an empty source leaves the mailbox value', () => {
      const result = computeContactPatch(desired, state, policy('overwrite'));
      expect(result.patch).toEqual({ jobTitle: 'Lead', businessPhones: ['+442079460958'] });
      expect(result.skipped).toEqual([{ field: 'department', reason: 'source-empty' }]);
    });

    it('clear mirrors the source, clearing what the source no longer has', () => {
      const result = computeContactPatch(desired, state, policy('clear'));
      expect(result.patch).toEqual({
        jobTitle: 'Lead',
        department: null,
        businessPhones: ['+442079460958'],
      });
      expect(result.skipped).toEqual([]);
    });

    it('clears collections with [] and addresses with null', () => {
      const result = computeContactPatch(
        empty,
        { values: { categories: ['x'], homePhones: ['+1'], homeAddress: { city: 'Kent' } } },
        policy('clear'),
      );
      expect(result.patch).toEqual({ homePhones: [], homeAddress: null, categories: [] });
    });

    it('mixes policies per field', () => {
      const result = computeContactPatch(desired, state, {
        defaultFieldPolicy: 'clear',
        keepUserEdits: false,
        fieldPolicies: { jobTitle: 'write', department: 'overwrite' },
      });
      expect(result.patch).toEqual({ businessPhones: ['+442079460958'] });
    });

    it('sends nothing when the mailbox already matches (whitespace, case and order aside)', () => {
      const same: MailboxContactValues = {
        ...desired,
        displayName: ' Ann  Lee ',
        emailAddresses: [{ address: 'Ann@X.example', name: 'Ann Lee' }],
      };
      for (const rule of ['write', 'overwrite', 'clear'] as const) {
        expect(computeContactPatch(desired, { values: same }, policy(rule)).changedFields).toEqual(
          [],
        );
      }
    });
  });

  describe('keep user edits', () => {
    // We wrote `desired` earlier; then the user changed the job title and cleared the phones.
    const written = computeFieldHashes({ ...desired, jobTitle: 'Lead' });
    const edited: MailboxContactValues = {
      ...desired,
      jobTitle: 'My own title',
      businessPhones: [],
    };
    const next: ContactFields = {
      ...desired,
      jobTitle: 'Principal',
      businessPhones: ['+442079460000'],
      surname: 'Lee',
    };

    it('leaves fields the user changed alone, and updates the others', () => {
      for (const rule of ['write', 'overwrite', 'clear'] as const) {
        const result = computeContactPatch(
          next,
          { values: edited, fieldHashes: written },
          policy(rule, true),
        );
        expect(result.patch).toEqual({ surname: 'Lee' });
        expect(result.skipped).toEqual([
          { field: 'jobTitle', reason: 'user-edited' },
          { field: 'businessPhones', reason: 'user-edited' },
        ]);
        // The stored hashes still describe our last write, so the edit stays detected next time.
        expect(result.fieldHashes.jobTitle).toBe(written.jobTitle);
        expect(result.fieldHashes.surname).toBe(fieldHash('surname', 'Lee'));
      }
    });

    it('overwrites the same edits when keepUserEdits is off', () => {
      const result = computeContactPatch(
        next,
        { values: edited, fieldHashes: written },
        policy('clear', false),
      );
      expect(result.patch).toEqual({
        surname: 'Lee',
        jobTitle: 'Principal',
        businessPhones: ['+442079460000'],
      });
    });

    it('applies the policy as usual when our last write is unknown', () => {
      const result = computeContactPatch(next, { values: edited }, policy('clear', true));
      expect(result.patch).toEqual({
        surname: 'Lee',
        jobTitle: 'Principal',
        businessPhones: ['+442079460000'],
      });
    });

    it('tracks a field again once the source agrees with the user', () => {
      const agree = { ...next, jobTitle: 'My own title' };
      const result = computeContactPatch(
        agree,
        { values: edited, fieldHashes: written },
        policy('clear', true),
      );
      expect(result.fieldHashes.jobTitle).toBe(fieldHash('jobTitle', 'My own title'));
    });
  });

  describe('current values unknown (only tags read)', () => {
    it('decides blind only where the current value does not matter, and says so', () => {
      const clear = computeContactPatch(desired, {}, policy('clear'));
      expect(clear.patch.jobTitle).toBe('Lead');
      expect(clear.patch.department).toBeNull();
      expect(clear.skipped).toEqual([{ field: 'personalNotes', reason: 'current-unknown' }]);
      expect(clear.needsCurrentValues).toBe(true);

      const overwrite = computeContactPatch(desired, {}, policy('overwrite'));
      expect(overwrite.patch.jobTitle).toBe('Lead');
      expect('department' in overwrite.patch).toBe(false);

      const write = computeContactPatch(desired, {}, policy('write'));
      expect(write.patch).toEqual({});
      expect(write.skipped.every((s) => s.reason === 'current-unknown')).toBe(true);

      const keep = computeContactPatch(desired, {}, policy('clear', true));
      expect(keep.patch).toEqual({});
    });
  });

  describe('personal notes', () => {
    it("keeps the user's notes and replaces only our section", () => {
      const current = `Call after 5pm\n\n${M.start}\nCC-100\n${M.end}`;
      const result = computeContactPatch(
        { ...desired, personalNotes: 'CC-200' },
        { values: { ...desired, personalNotes: current } },
        policy('clear'),
      );
      expect(result.patch).toEqual({
        personalNotes: `Call after 5pm\n\n${M.start}\nCC-200\n${M.end}`,
      });
    });

    it('writes nothing when our section is already right (line endings aside)', () => {
      const current = `Mine\r\n\r\n${M.start}\r\nCC-100\r\n${M.end}\r\n`;
      const result = computeContactPatch(
        { ...desired, personalNotes: 'CC-100' },
        { values: { ...desired, personalNotes: current } },
        policy('write'),
      );
      expect(result.changedFields).toEqual([]);
    });

    it('never touches notes without our section when we have no notes', () => {
      const result = computeContactPatch(
        desired,
        { values: { ...desired, personalNotes: 'Mine only' } },
        policy('clear'),
      );
      expect(result.changedFields).toEqual([]);
    });

    it('removes our section and clears notes that were only ours', () => {
      const result = computeContactPatch(
        desired,
        { values: { ...desired, personalNotes: `${M.start}\nold\n${M.end}` } },
        policy('overwrite'),
      );
      expect(result.patch).toEqual({ personalNotes: null });
    });
  });

  describe('photo (Graph cannot show it: the stored field hash tells what is there)', () => {
    const withPhoto: ContactFields = { ...desired, photoHash: 'photo-v2' };

    it('uploads when the photo we last wrote differs, and not when it is the same', () => {
      const old = {
        values: { ...desired },
        fieldHashes: { photoHash: fieldHash('photoHash', 'photo-v1') },
      };
      expect(computeContactPatch(withPhoto, old, policy('clear')).patch).toEqual({
        photoHash: 'photo-v2',
      });
      const same = {
        values: { ...desired },
        fieldHashes: { photoHash: fieldHash('photoHash', 'photo-v2') },
      };
      expect(computeContactPatch(withPhoto, same, policy('clear')).changedFields).toEqual([]);
    });

    it('counts an item without a stored photo hash as having no photo of ours', () => {
      expect(
        computeContactPatch(withPhoto, { values: { ...desired } }, policy('write')).patch,
      ).toEqual({ photoHash: 'photo-v2' });
      expect(
        computeContactPatch(desired, { values: { ...desired } }, policy('clear')).changedFields,
      ).toEqual([]);
    });

    it('removes our photo under clear, keeps it under overwrite, and write never replaces one', () => {
      const old = {
        values: { ...desired },
        fieldHashes: { photoHash: fieldHash('photoHash', 'photo-v1') },
      };
      expect(computeContactPatch(desired, old, policy('clear')).patch).toEqual({ photoHash: null });
      expect(computeContactPatch(desired, old, policy('overwrite')).changedFields).toEqual([]);
      expect(computeContactPatch(withPhoto, old, policy('write')).changedFields).toEqual([]);
      const none = {
        values: { ...desired },
        fieldHashes: { photoHash: fieldHash('photoHash', undefined) },
      };
      expect(computeContactPatch(withPhoto, none, policy('write')).patch).toEqual({
        photoHash: 'photo-v2',
      });
    });
  });

  it('converges: applying the patch and recomputing gives nothing more to do (seeded property)', () => {
    const random = new SeededRandom(11);
    const values = {
      text: ['A', 'B', ' B ', undefined],
      phones: [[], ['+1'], ['+1', '+2'], ['+2']],
      emails: [[], [{ address: 'a@x.example', name: 'A' }], [{ address: 'B@x.example' }]],
      notes: [undefined, 'ours', 'ours\nmore'],
      mailboxNotes: [undefined, 'Mine', `Mine\n\n${M.start}\nold\n${M.end}`],
    };
    const fields = ['givenName', 'jobTitle', 'department', 'mobilePhone', 'photoHash'] as const;
    for (let round = 0; round < 400; round++) {
      const make = (notes: string | undefined): ContactFields => {
        const c: Record<string, unknown> = { ...empty };
        for (const f of fields) c[f] = random.pick(values.text);
        c['businessPhones'] = random.pick(values.phones);
        c['emailAddresses'] = random.pick(values.emails);
        c['personalNotes'] = notes;
        return c as unknown as ContactFields;
      };
      const want = make(random.pick(values.notes));
      let mailbox: MailboxContactValues = make(random.pick(values.mailboxNotes));
      const rule = random.pick(['write', 'overwrite', 'clear'] as const);
      const p: ContactSyncPolicy = {
        defaultFieldPolicy: rule,
        keepUserEdits: random.chance(0.5),
        fieldPolicies: { jobTitle: random.pick(['write', 'overwrite', 'clear'] as const) },
      };
      let hashes = random.chance(0.5) ? computeFieldHashes(make(undefined)) : undefined;
      for (let pass = 0; pass < 2; pass++) {
        const result = computeContactPatch(want, { values: mailbox, fieldHashes: hashes }, p);
        if (pass === 1) expect(result.changedFields).toEqual([]);
        mailbox = apply(mailbox, result.patch);
        hashes = result.fieldHashes;
      }
      if (rule === 'clear' && !p.keepUserEdits) {
        for (const f of SYNCED_CONTACT_FIELDS.filter(
          (x) => x !== 'jobTitle' && x !== 'personalNotes' && x !== 'photoHash',
        )) {
          expect(
            computeContactPatch(
              want,
              { values: mailbox },
              { defaultFieldPolicy: 'clear', keepUserEdits: false },
            ).patch[f],
          ).toBeUndefined();
        }
      }
      expect(composeManagedNotes(mailbox.personalNotes, want.personalNotes, M)).toBe(
        mailbox.personalNotes,
      );
    }
  });
});
