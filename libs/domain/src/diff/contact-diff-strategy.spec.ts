import type { Contact, MailboxContactValues } from '../contact/contact';
import { SYNCED_CONTACT_FIELDS } from '../contact/contact-fields';
import { contactContentHash } from '../hash/contact-content-hash';
import type { ContactPatch, MailboxContactState } from '../policy/compute-contact-patch';
import { DEFAULT_CONTACT_SYNC_POLICY, type ContactSyncPolicy } from '../policy/contact-sync-policy';
import { computeFieldHashes } from '../policy/field-hashes';
import { contact } from '../testing/contact-fixtures';
import { SeededRandom } from '../testing/seeded-random';
import { contactDiffStrategy } from './contact-diff-strategy';
import type { DesiredItem, MailboxItem } from './diff-types';
import { planDiff } from './plan-diff';

const desiredItem = (c: Contact): DesiredItem<Contact> => ({
  sourceKey: c.sourceKey,
  value: c,
  contentHash: contactContentHash(c),
});
const ann = contact({
  sourceKey: 'user:1',
  displayName: 'Ann Lee',
  jobTitle: 'Lead',
  businessPhones: ['+442079460958'],
});

function fieldsOf(c: Contact): MailboxContactValues {
  const out: Record<string, unknown> = {};
  for (const f of SYNCED_CONTACT_FIELDS) if (c[f] !== undefined) out[f] = c[f];
  return out as MailboxContactValues;
}

describe('contactDiffStrategy', () => {
  const strategy = contactDiffStrategy(DEFAULT_CONTACT_SYNC_POLICY);

  it('plans a create with the body and the field hashes to store', () => {
    const [op] = planDiff(
      {
        listId: 'L',
        desired: [desiredItem(ann)],
        actual: [],
        recreateDeleted: true,
        neverDelete: false,
      },
      strategy,
    ).ops;
    expect(op).toMatchObject({
      kind: 'create',
      sourceKey: 'user:1',
      contentHash: contactContentHash(ann),
    });
    if (op?.kind !== 'create') throw new Error('expected a create');
    expect(op.plan.patch).toEqual({
      displayName: 'Ann Lee',
      jobTitle: 'Lead',
      businessPhones: ['+442079460958'],
    });
    expect(op.plan.fieldHashes).toEqual(computeFieldHashes(ann));
  });

  it('plans an update with only the changed fields when current values are known', () => {
    const changed = { ...ann, jobTitle: 'Principal' };
    const item: MailboxItem<MailboxContactState> = {
      itemId: 'i1',
      listId: 'L',
      sourceKey: 'user:1',
      contentHash: contactContentHash(ann),
      current: { values: fieldsOf(ann), fieldHashes: computeFieldHashes(ann) },
    };
    const [op] = planDiff(
      {
        listId: 'L',
        desired: [desiredItem(changed)],
        actual: [item],
        recreateDeleted: true,
        neverDelete: false,
      },
      strategy,
    ).ops;
    if (op?.kind !== 'update') throw new Error('expected an update');
    expect(op.plan.patch).toEqual({ jobTitle: 'Principal' });
    expect(op.contentHash).toBe(contactContentHash(changed));
  });

  it('plans a tags-only update when the hash changed but no field needs writing', () => {
    const item: MailboxItem<MailboxContactState> = {
      itemId: 'i1',
      listId: 'L',
      sourceKey: 'user:1',
      contentHash: 'from-an-older-hash-version',
      current: { values: fieldsOf(ann) },
    };
    const [op] = planDiff(
      {
        listId: 'L',
        desired: [desiredItem(ann)],
        actual: [item],
        recreateDeleted: true,
        neverDelete: false,
      },
      strategy,
    ).ops;
    if (op?.kind !== 'update') throw new Error('expected an update');
    expect(op.plan.changedFields).toEqual([]);
    expect(op.contentHash).toBe(contactContentHash(ann));
  });

  it('ignores drift without current values, repairs it when seen, keeps it with keepUserEdits', () => {
    const edited = { ...fieldsOf(ann), jobTitle: 'My title' };
    const base = {
      itemId: 'i1',
      listId: 'L',
      sourceKey: 'user:1',
      contentHash: contactContentHash(ann),
    };
    const run = (
      current: MailboxContactState | undefined,
      policy: ContactSyncPolicy = DEFAULT_CONTACT_SYNC_POLICY,
    ) =>
      planDiff(
        {
          listId: 'L',
          desired: [desiredItem(ann)],
          actual: [{ ...base, current }],
          recreateDeleted: true,
          neverDelete: false,
        },
        contactDiffStrategy(policy),
      ).ops;
    expect(run(undefined)).toEqual([]);
    expect(run({ fieldHashes: computeFieldHashes(ann) })).toEqual([]);
    const [repair] = run({ values: edited, fieldHashes: computeFieldHashes(ann) });
    expect(repair?.kind === 'update' && repair.plan.patch).toEqual({ jobTitle: 'Lead' });
    expect(
      run(
        { values: edited, fieldHashes: computeFieldHashes(ann) },
        { ...DEFAULT_CONTACT_SYNC_POLICY, keepUserEdits: true },
      ),
    ).toEqual([]);
  });

  it('converges with real contacts and policies: a second plan after applying the first is empty (seeded property)', () => {
    const random = new SeededRandom(99);
    const apply = (values: MailboxContactValues, patch: ContactPatch): MailboxContactValues => {
      const out: Record<string, unknown> = { ...values };
      for (const [f, v] of Object.entries(patch)) {
        if (v === null || (Array.isArray(v) && v.length === 0)) delete out[f];
        else out[f] = v;
      }
      return out as MailboxContactValues;
    };
    for (let round = 0; round < 100; round++) {
      const policy: ContactSyncPolicy = {
        defaultFieldPolicy: random.pick(['write', 'overwrite', 'clear'] as const),
        keepUserEdits: random.chance(0.5),
      };
      const strategy = contactDiffStrategy(policy);
      const desired = random.subset(['user:1', 'user:2', 'user:3', 'user:4'], 0.7).map((key) =>
        desiredItem(
          contact({
            sourceKey: key,
            displayName: random.pick(['A', 'B']),
            jobTitle: random.pick([undefined, 'T1', 'T2']),
            businessPhones: random.pick([[], ['+1'], ['+1', '+2']]),
            personalNotes: random.pick([undefined, 'CC-1']),
          }),
        ),
      );
      type Stored = { item: MailboxItem<MailboxContactState>; values: MailboxContactValues };
      const mailbox = new Map<string, Stored>();
      let n = 0;
      for (const key of random.subset(['user:1', 'user:2', 'user:5', 'user:1'], 0.5)) {
        const itemId = `i${++n}`;
        const values: MailboxContactValues = {
          displayName: random.pick(['A', 'user edit']),
          personalNotes: random.pick([undefined, 'Mine']),
        };
        mailbox.set(itemId, {
          item: { itemId, listId: 'L', sourceKey: key, contentHash: 'stale' },
          values,
        });
      }
      const actual = () =>
        [...mailbox.values()].map(({ item, values }) => ({
          ...item,
          current: { ...item.current, values },
        }));
      const plan = () =>
        planDiff(
          { listId: 'L', desired, actual: actual(), recreateDeleted: true, neverDelete: false },
          strategy,
        );
      for (const op of plan().ops) {
        if (op.kind === 'delete') mailbox.delete(op.itemId);
        else if (op.kind === 'create') {
          const itemId = `i${++n}`;
          mailbox.set(itemId, {
            item: {
              itemId,
              listId: 'L',
              sourceKey: op.sourceKey,
              contentHash: op.contentHash,
              current: { fieldHashes: op.plan.fieldHashes },
            },
            values: apply({}, op.plan.patch),
          });
        } else {
          const stored = mailbox.get(op.itemId)!;
          mailbox.set(op.itemId, {
            item: {
              ...stored.item,
              sourceKey: op.sourceKey,
              contentHash: op.contentHash,
              current: { fieldHashes: op.plan.fieldHashes },
            },
            values: apply(stored.values, op.plan.patch),
          });
        }
      }
      expect(plan().ops).toEqual([]);
      expect([...mailbox.values()].map((s) => s.item.sourceKey).sort()).toEqual(
        desired.map((d) => d.sourceKey).sort(),
      );
    }
  });
});
