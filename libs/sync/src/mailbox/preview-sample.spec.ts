import {
  contactContentHash,
  contactItemKind,
  DEFAULT_CONTACT_SYNC_POLICY,
  planDiff,
  type Contact,
  type ContactPatch,
  type DesiredItem,
  type MailboxContactValues,
  type MailboxSession,
  type StoredItem,
} from '@app/domain';
import type { ContactKindTypes } from './item-kind-types';
import { PREVIEW_SAMPLE_LIMIT } from './mailbox-preview';
import { previewOfCleanup, previewOfCreates, previewOfMove, previewOfOps } from './preview-sample';

type Session = MailboxSession<ContactPatch, MailboxContactValues>;

const key = (i: number) => `user:${String(i).padStart(4, '0')}`;

function person(i: number): Contact {
  return {
    sourceKey: key(i),
    sourceKind: 'manual',
    sourceIds: ['manual'],
    mergedKeys: [key(i)],
    displayName: `Person ${i}`,
    jobTitle: 'Engineer',
    emailAddresses: [],
    businessPhones: [],
    homePhones: [],
    categories: [],
    phoneIssues: [],
    fieldIssues: [],
  };
}

const desired = (n: number): DesiredItem<Contact>[] =>
  // Given in reverse: a sample is in the run's order, not the caller's.
  Array.from({ length: n }, (_, i) => person(n - 1 - i)).map((value) => ({
    sourceKey: value.sourceKey,
    value,
    contentHash: contactContentHash(value),
  }));

/** A mailbox session that only answers readItems (what naming deletes needs), and records it. */
function namingSession(names: Map<string, string>): { session: Session; asked: string[][] } {
  const asked: string[][] = [];
  const readItems = (ids: readonly string[]) => {
    asked.push([...ids]);
    return Promise.resolve(
      new Map<string, StoredItem<MailboxContactValues> | null>(
        ids.map((id) => [id, { itemId: id, values: { displayName: names.get(id) } }]),
      ),
    );
  };
  const session = new Proxy({ readItems } as Partial<Session>, {
    get(target, prop: string) {
      if (prop in target) return target[prop as keyof Session];
      throw new Error(`a preview sample must not call ${prop}`);
    },
  }) as Session;
  return { session, asked };
}

/** Issue #19: a preview's per-mailbox sample is bounded; the counts (elsewhere) cover everything. */
describe('preview samples are bounded', () => {
  it('a new mailbox: the first PREVIEW_SAMPLE_LIMIT creates by source key, then truncated', () => {
    const over = previewOfCreates(
      contactItemKind,
      DEFAULT_CONTACT_SYNC_POLICY,
      desired(PREVIEW_SAMPLE_LIMIT + 7),
    );
    expect(over.truncated).toBe(true);
    expect(over.changes).toHaveLength(PREVIEW_SAMPLE_LIMIT);
    expect(over.changes.map((c) => c.sourceKey)).toEqual(
      Array.from({ length: PREVIEW_SAMPLE_LIMIT }, (_, i) => key(i)),
    );
    expect(over.changes[0]).toMatchObject({ action: 'create', name: 'Person 0' });
    expect(over.changes[0].fields).toEqual(expect.arrayContaining(['displayName', 'jobTitle']));

    const exact = previewOfCreates(
      contactItemKind,
      DEFAULT_CONTACT_SYNC_POLICY,
      desired(PREVIEW_SAMPLE_LIMIT),
    );
    expect(exact.truncated).toBe(false);
    expect(exact.changes).toHaveLength(PREVIEW_SAMPLE_LIMIT);
  });

  it('planned ops: the sample is the run’s first ops, and reads nothing for creates', async () => {
    const plan = planDiff(
      {
        listId: 'L',
        desired: desired(PREVIEW_SAMPLE_LIMIT + 1),
        actual: [],
        recreateDeleted: true,
        neverDelete: false,
      },
      contactItemKind.diff(DEFAULT_CONTACT_SYNC_POLICY),
    );
    const { session, asked } = namingSession(new Map());
    const sample = await previewOfOps<ContactKindTypes>(
      contactItemKind,
      session,
      plan.ops,
      new Set(),
    );
    expect(sample.truncated).toBe(true);
    expect(sample.changes.map((c) => c.sourceKey)).toEqual(
      plan.ops.slice(0, PREVIEW_SAMPLE_LIMIT).map((op) => op.sourceKey),
    );
    expect(asked).toEqual([]);
  });

  it('a clean-up and a folder move name at most PREVIEW_SAMPLE_LIMIT changes, deletes read once', async () => {
    const items = Array.from({ length: PREVIEW_SAMPLE_LIMIT * 2 }, (_, i) => ({
      itemId: `item-${i}`,
      sourceKey: key(i),
    }));
    const { session, asked } = namingSession(
      new Map(items.map((it, i) => [it.itemId, `Person ${i}`])),
    );
    const sample = await previewOfCleanup<ContactKindTypes>(contactItemKind, session, items);
    expect(sample.truncated).toBe(true);
    expect(sample.changes).toHaveLength(PREVIEW_SAMPLE_LIMIT);
    expect(sample.changes[3]).toEqual({
      action: 'delete',
      sourceKey: key(3),
      itemId: 'item-3',
      reason: 'not-targeted',
      name: 'Person 3',
    });
    expect(asked).toEqual([items.slice(0, PREVIEW_SAMPLE_LIMIT).map((i) => i.itemId)]);

    // A folder change: the creates first (the run's order), then the deletes from the old folder.
    const move = await previewOfMove<ContactKindTypes>(
      contactItemKind,
      session,
      DEFAULT_CONTACT_SYNC_POLICY,
      desired(PREVIEW_SAMPLE_LIMIT - 2),
      items,
    );
    expect(move.truncated).toBe(true);
    expect(move.changes.map((c) => c.action)).toEqual([
      ...Array.from({ length: PREVIEW_SAMPLE_LIMIT - 2 }, () => 'create'),
      'delete',
      'delete',
    ]);
    expect(move.changes.at(-1)).toEqual({
      action: 'delete',
      sourceKey: key(1),
      itemId: 'item-1',
      reason: 'moved',
      name: 'Person 1',
    });
    expect(asked.at(-1)).toEqual(['item-0', 'item-1']);
    const smallMove = await previewOfMove<ContactKindTypes>(
      contactItemKind,
      session,
      DEFAULT_CONTACT_SYNC_POLICY,
      desired(1),
      items.slice(0, 1),
    );
    expect(smallMove).toMatchObject({
      truncated: false,
      changes: [{ action: 'create' }, { action: 'delete', reason: 'moved' }],
    });

    const few = await previewOfCleanup<ContactKindTypes>(
      contactItemKind,
      session,
      items.slice(0, 2),
    );
    expect(few).toMatchObject({
      truncated: false,
      changes: [{ name: 'Person 0' }, { name: 'Person 1' }],
    });
  });
});
