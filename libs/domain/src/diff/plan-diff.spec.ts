import { DomainValidationError } from '../errors/domain-validation-error';
import { SeededRandom } from '../testing/seeded-random';
import type { DesiredItem, DiffInput, DiffOp, ItemDiffStrategy, MailboxItem } from './diff-types';
import { planDiff } from './plan-diff';

/** A toy item type (think: a calendar event) to show the planner is generic. */
interface Toy {
  readonly title: string;
}
type ToyPlan = { readonly title: string };
const toyStrategy: ItemDiffStrategy<Toy, Toy, ToyPlan> = {
  planCreate: (d) => ({ title: d.value.title }),
  planUpdate: (d) => ({ title: d.value.title }),
  planDrift: (d, item) =>
    item.current?.title === d.value.title ? undefined : { title: d.value.title },
};

const want = (
  sourceKey: string,
  title = sourceKey,
  alternateKeys?: string[],
): DesiredItem<Toy> => ({
  sourceKey,
  value: { title },
  contentHash: `h(${title})`,
  ...(alternateKeys && { alternateKeys }),
});
const item = (
  itemId: string,
  sourceKey: string,
  title = sourceKey,
  extra: Partial<MailboxItem<Toy>> = {},
): MailboxItem<Toy> => ({
  itemId,
  listId: 'L',
  sourceKey,
  contentHash: `h(${title})`,
  ...extra,
});
const plan = (input: Partial<DiffInput<Toy, Toy>>) =>
  planDiff(
    { listId: 'L', desired: [], actual: [], recreateDeleted: true, neverDelete: false, ...input },
    toyStrategy,
  );
const summary = (ops: readonly DiffOp<Toy, ToyPlan>[]) =>
  ops.map((op) =>
    op.kind === 'create'
      ? `create ${op.sourceKey}`
      : op.kind === 'update'
        ? `update ${op.itemId}`
        : `delete ${op.itemId} (${op.reason})`,
  );

describe('planDiff', () => {
  it('creates what is missing, updates what changed, deletes what is no longer wanted', () => {
    const result = plan({
      desired: [want('a'), want('b', 'B v2'), want('c')],
      actual: [item('1', 'b', 'B v1'), item('2', 'c'), item('3', 'gone')],
    });
    expect(summary(result.ops)).toEqual(['update 1', 'create a', 'delete 3 (not-desired)']);
    expect(result.ops[0]).toEqual({
      kind: 'update',
      itemId: '1',
      sourceKey: 'b',
      contentHash: 'h(B v2)',
      desired: { title: 'B v2' },
      plan: { title: 'B v2' },
    });
    expect(result.counts).toEqual({
      creates: 1,
      updates: 1,
      deletes: 1,
      duplicateDeletes: 0,
      noops: 1,
      skippedDeletedByUser: 0,
      keptByNeverDelete: 0,
      ignoredItems: 0,
    });
  });

  it('updates an item without a content hash', () => {
    expect(
      summary(
        plan({ desired: [want('a')], actual: [item('1', 'a', 'a', { contentHash: undefined })] })
          .ops,
      ),
    ).toEqual(['update 1']);
  });

  it('orders duplicate deletes, updates, creates, deletes, each by key then item id', () => {
    const result = plan({
      desired: [want('z'), want('y'), want('m', 'M2'), want('c', 'C2'), want('d')],
      actual: [
        item('9', 'old2'),
        item('8', 'old1'),
        item('7', 'm', 'M1'),
        item('6', 'c', 'C1'),
        item('5', 'd'),
        item('4', 'd'),
      ],
    });
    expect(summary(result.ops)).toEqual([
      'delete 5 (duplicate)',
      'update 6',
      'update 7',
      'create y',
      'create z',
      'delete 8 (not-desired)',
      'delete 9 (not-desired)',
    ]);
  });

  it('keeps the oldest of duplicates, then the lowest item id', () => {
    const byDate = plan({
      desired: [want('a')],
      actual: [
        item('A1', 'a', 'a', { createdAt: '2024-02-01T00:00:00Z' }),
        item('A0', 'a', 'a', { createdAt: '2024-03-01T00:00:00Z' }),
        item('A2', 'a', 'a', { createdAt: '2024-01-01T00:00:00Z' }),
        item('A3', 'a', 'a'),
      ],
    });
    expect(summary(byDate.ops)).toEqual([
      'delete A0 (duplicate)',
      'delete A1 (duplicate)',
      'delete A3 (duplicate)',
    ]);
    expect(byDate.counts.noops).toBe(1);
    const byId = plan({
      desired: [want('a', 'new')],
      actual: [item('b', 'a'), item('a', 'a'), item('c', 'a')],
    });
    expect(summary(byId.ops)).toEqual(['delete b (duplicate)', 'delete c (duplicate)', 'update a']);
  });

  it('removes duplicates of an unwanted key too (one as duplicate, the kept one as not desired)', () => {
    expect(summary(plan({ actual: [item('2', 'x'), item('1', 'x')] }).ops)).toEqual([
      'delete 2 (duplicate)',
      'delete 1 (not-desired)',
    ]);
  });

  it('never deletes for "not desired" with neverDelete, but still removes duplicates', () => {
    const result = plan({
      neverDelete: true,
      desired: [want('a')],
      actual: [item('1', 'a'), item('2', 'a'), item('3', 'gone')],
    });
    expect(summary(result.ops)).toEqual(['delete 2 (duplicate)']);
    expect(result.counts.keptByNeverDelete).toBe(1);
  });

  it('does not re-create what the user deleted unless asked to', () => {
    const input = {
      desired: [want('a'), want('b'), want('c', 'c', ['manual:c'])],
      deletedByUser: new Set(['a', 'manual:c']),
    };
    const skip = plan({ ...input, recreateDeleted: false });
    expect(summary(skip.ops)).toEqual(['create b']);
    expect(skip.counts.skippedDeletedByUser).toBe(2);
    expect(summary(plan({ ...input, recreateDeleted: true }).ops)).toEqual([
      'create a',
      'create b',
      'create c',
    ]);
  });

  it('updates (not skips) a user-deleted key that is back in the mailbox', () => {
    const result = plan({
      desired: [want('a', 'A2')],
      actual: [item('1', 'a', 'A1')],
      deletedByUser: new Set(['a']),
      recreateDeleted: false,
    });
    expect(summary(result.ops)).toEqual(['update 1']);
  });

  it('re-keys an item tagged with an alternate key instead of deleting and re-creating it', () => {
    const result = plan({
      desired: [want('user:1', 'Ann', ['manual:9'])],
      actual: [item('1', 'manual:9', 'Annie')],
    });
    expect(result.ops).toEqual([
      {
        kind: 'update',
        itemId: '1',
        sourceKey: 'user:1',
        previousSourceKey: 'manual:9',
        contentHash: 'h(Ann)',
        desired: { title: 'Ann' },
        plan: { title: 'Ann' },
      },
    ]);
  });

  it('does not re-key an item whose key is itself desired, nor one claimed already', () => {
    const result = plan({
      desired: [
        want('user:1', 'Ann', ['manual:9']),
        want('manual:9'),
        want('user:2', 'Bob', ['manual:8']),
        want('user:3', 'Cy', ['manual:8']),
      ],
      actual: [item('1', 'manual:9'), item('2', 'manual:8')],
    });
    expect(summary(result.ops)).toEqual(['update 2', 'create user:1', 'create user:3']);
    expect(result.ops[0]).toMatchObject({ sourceKey: 'user:2', previousSourceKey: 'manual:8' });
  });

  it('prefers an exact match over a re-key', () => {
    const result = plan({
      desired: [want('user:1', 'Ann', ['manual:9'])],
      actual: [item('1', 'manual:9'), item('2', 'user:1', 'Ann')],
    });
    expect(summary(result.ops)).toEqual(['delete 1 (not-desired)']);
  });

  it('repairs drift when the hash matches but the current values differ', () => {
    const result = plan({
      desired: [want('a', 'A')],
      actual: [item('1', 'a', 'A', { current: { title: 'edited' } })],
    });
    expect(summary(result.ops)).toEqual(['update 1']);
    const clean = plan({
      desired: [want('a', 'A')],
      actual: [item('1', 'a', 'A', { current: { title: 'A' } })],
    });
    expect(clean.ops).toEqual([]);
    expect(clean.counts.noops).toBe(1);
  });

  it('ignores items of another list and items without a source key', () => {
    const result = plan({
      desired: [want('a')],
      actual: [
        item('1', 'a', 'a', { listId: 'OTHER' }),
        item('2', 'b', 'b', { listId: 'OTHER' }),
        item('3', ''),
      ],
    });
    expect(summary(result.ops)).toEqual(['create a']);
    expect(result.counts.ignoredItems).toBe(3);
  });

  it('rejects inconsistent input with INVALID_DIFF_INPUT naming every problem', () => {
    try {
      plan({ desired: [want('a'), want('a')], actual: [item('1', 'x'), item('1', 'y')] });
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainValidationError);
      expect((error as DomainValidationError).code).toBe('INVALID_DIFF_INPUT');
      expect((error as DomainValidationError).problems).toEqual([
        { field: 'desired', message: 'source key "a" appears twice' },
        { field: 'actual', message: 'item "1" appears twice' },
      ]);
    }
  });

  it('does not depend on the order of its inputs', () => {
    const random = new SeededRandom(5);
    const desired = [want('a'), want('b', 'B2'), want('c', 'c', ['x']), want('d')];
    const actual = [item('1', 'b'), item('2', 'x'), item('3', 'e'), item('4', 'e'), item('5', 'a')];
    const expected = plan({ desired, actual });
    for (let i = 0; i < 20; i++) {
      expect(plan({ desired: random.shuffle(desired), actual: random.shuffle(actual) })).toEqual(
        expected,
      );
    }
  });

  describe('convergence (seeded property)', () => {
    /** Applies ops to a simulated mailbox the way the engine would. */
    function applyOps(
      mailbox: Map<string, MailboxItem<Toy>>,
      ops: readonly DiffOp<Toy, ToyPlan>[],
      nextId: () => string,
    ) {
      for (const op of ops) {
        if (op.kind === 'delete') {
          expect(mailbox.has(op.itemId)).toBe(true);
          mailbox.delete(op.itemId);
        } else if (op.kind === 'update') {
          const before = mailbox.get(op.itemId)!;
          expect(before).toBeDefined();
          mailbox.set(op.itemId, {
            ...before,
            sourceKey: op.sourceKey,
            contentHash: op.contentHash,
            current: { title: op.plan.title },
          });
        } else {
          const itemId = nextId();
          mailbox.set(itemId, {
            itemId,
            listId: 'L',
            sourceKey: op.sourceKey,
            contentHash: op.contentHash,
            current: { title: op.plan.title },
          });
        }
      }
    }

    it('applying the plan of a to b gives b, and planning again gives zero ops', () => {
      const random = new SeededRandom(2024);
      const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
      for (let round = 0; round < 300; round++) {
        const desired = random
          .subset(keys, 0.6)
          .map((k) =>
            want(
              k,
              random.pick(['v1', 'v2']) + k,
              random.chance(0.2) ? [random.pick(keys)].filter((a) => a !== k) : undefined,
            ),
          );
        const mailbox = new Map<string, MailboxItem<Toy>>();
        let counter = 0;
        const nextId = () => `id${String(++counter).padStart(4, '0')}`;
        for (let i = random.int(0, 10); i > 0; i--) {
          const id = nextId();
          const key = random.pick(keys);
          const title = random.pick(['v1', 'v2']) + key;
          mailbox.set(
            id,
            item(id, key, title, {
              listId: random.chance(0.1) ? 'OTHER' : 'L',
              contentHash: random.chance(0.1) ? undefined : `h(${title})`,
              createdAt: random.chance(0.5) ? `2024-01-0${random.int(1, 9)}T00:00:00Z` : undefined,
              current: random.chance(0.5)
                ? { title: random.chance(0.2) ? 'drift' : title }
                : undefined,
            }),
          );
        }
        const deletedByUser = new Set(random.subset(keys, 0.2));
        const recreateDeleted = random.chance(0.5);
        const neverDelete = random.chance(0.3);
        const input = () => ({
          listId: 'L',
          desired,
          actual: [...mailbox.values()],
          deletedByUser,
          recreateDeleted,
          neverDelete,
        });

        const foreignBefore = [...mailbox.values()].filter((i) => i.listId !== 'L');
        applyOps(mailbox, planDiff(input(), toyStrategy).ops, nextId);
        const again = planDiff(input(), toyStrategy);
        expect(again.ops).toEqual([]);

        const ours = [...mailbox.values()].filter((i) => i.listId === 'L');
        // Other lists' items are untouched.
        expect([...mailbox.values()].filter((i) => i.listId !== 'L')).toEqual(foreignBefore);
        // One item per key.
        expect(new Set(ours.map((i) => i.sourceKey)).size).toBe(ours.length);
        const byKey = new Map(ours.map((i) => [i.sourceKey, i]));
        for (const d of desired) {
          const present = byKey.get(d.sourceKey);
          if (present) expect(present.contentHash).toBe(d.contentHash);
          else {
            // Only what the user deleted may be missing, and only when not re-creating.
            expect(recreateDeleted).toBe(false);
            expect(
              [d.sourceKey, ...(d.alternateKeys ?? [])].some((k) => deletedByUser.has(k)),
            ).toBe(true);
          }
        }
        if (!neverDelete) {
          const wanted = new Set(desired.map((d) => d.sourceKey));
          expect(ours.every((i) => wanted.has(i.sourceKey))).toBe(true);
        }
      }
    });
  });
});
