import fc from 'fast-check';
import type {
  DesiredItem,
  DiffInput,
  DiffOp,
  DiffPlan,
  ItemDiffStrategy,
  MailboxItem,
} from './diff-types';
import { planDiff } from './plan-diff';

/**
 * Property-based tests of the diff planner (fast-check, fixed seeds so CI replays exactly).
 *
 * A mailbox is modelled as a set of tagged items (itemId, listId, sourceKey, contentHash, and
 * optionally createdAt and the value actually held, `current`). `applyPlan` below is the tiny,
 * independent model of what the engine does with a plan; the properties say that applying the
 * plan of a → b to a gives b, that planning again is empty, and that nothing else is touched.
 */

const LIST = 'L';
const OTHER_LIST = 'OTHER';
/** A small key space, so duplicates, aliases and user deletions collide often. */
const KEYS = ['contact:6', 'manual:4', 'manual:5', 'user:1', 'user:2', 'user:3'] as const;
const VALUES = ['a', 'b', 'c'] as const;
const hashOf = (value: string) => `h-${value}`;

type Value = string;
type Plan = { readonly kind: 'create' | 'update' | 'drift'; readonly value: Value };
type Item = MailboxItem<Value>;
type Op = DiffOp<Value, Plan>;

/**
 * The toy strategy: the value is a string, the hash is derived from it, and `current` is the
 * value the item really holds (drift = a user edit under a hash that still matches).
 */
const strategy: ItemDiffStrategy<Value, Value, Plan> = {
  planCreate: (d) => ({ kind: 'create', value: d.value }),
  planUpdate: (d) => ({ kind: 'update', value: d.value }),
  planDrift: (d, item) => {
    if (item.current === undefined) throw new Error('planDrift called without current values');
    return item.current === d.value ? undefined : { kind: 'drift', value: d.value };
  },
};

interface Scenario {
  readonly desired: readonly DesiredItem<Value>[];
  readonly actual: readonly Item[];
  readonly deletedByUser: readonly string[];
  readonly recreateDeleted: boolean;
  readonly neverDelete: boolean;
}

const desiredArb: fc.Arbitrary<DesiredItem<Value>[]> = fc
  .uniqueArray(
    fc.record({
      sourceKey: fc.constantFrom(...KEYS),
      value: fc.constantFrom(...VALUES),
      // Keys merged into this one (a CSV row later matched by a directory user, say).
      alternateKeys: fc.option(fc.subarray([...KEYS], { minLength: 1, maxLength: 2 }), {
        nil: undefined,
        freq: 3,
      }),
    }),
    { selector: (d) => d.sourceKey, maxLength: KEYS.length },
  )
  .map((items) =>
    items.map(({ sourceKey, value, alternateKeys }) => {
      const others = alternateKeys?.filter((k) => k !== sourceKey) ?? [];
      return {
        sourceKey,
        value,
        contentHash: hashOf(value),
        ...(others.length > 0 && { alternateKeys: others }),
      };
    }),
  );

const itemArb = fc.record({
  // Mostly ours; some of another list, some without a source key (not ours to touch).
  listId: fc.constantFrom(LIST, LIST, LIST, LIST, OTHER_LIST),
  sourceKey: fc.constantFrom<string>(...KEYS, ...KEYS, ''),
  // Missing hash = a create whose bookkeeping was lost, or an item from an older version.
  contentHash: fc.option(fc.constantFrom(...VALUES.map(hashOf), 'h-stale'), {
    nil: undefined,
    freq: 5,
  }),
  createdAt: fc.option(
    fc.constantFrom(
      '2024-01-01T00:00:00Z',
      '2024-02-01T00:00:00Z',
      '2024-02-01T00:00:00.000Z', // the same instant written differently
      'not a date',
    ),
    { nil: undefined },
  ),
  current: fc.option(fc.constantFrom<string>(...VALUES), { nil: undefined }),
});

/** Item ids are unique (Graph's ids); duplicates are several items with one source key. */
const actualArb: fc.Arbitrary<Item[]> = fc
  .array(itemArb, { maxLength: 14 })
  .map((items) =>
    items.map((item, i) => ({ itemId: `item-${String(i).padStart(2, '0')}`, ...item })),
  );

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  desired: desiredArb,
  actual: actualArb,
  deletedByUser: fc.subarray([...KEYS]),
  recreateDeleted: fc.boolean(),
  neverDelete: fc.boolean(),
});

const inputOf = (s: Scenario, actual: readonly Item[] = s.actual): DiffInput<Value, Value> => ({
  listId: LIST,
  desired: s.desired,
  actual,
  deletedByUser: new Set(s.deletedByUser),
  recreateDeleted: s.recreateDeleted,
  neverDelete: s.neverDelete,
});

const plan = (s: Scenario, actual: readonly Item[] = s.actual) =>
  planDiff(inputOf(s, actual), strategy);

/**
 * Applies a plan to a mailbox as the engine would: creates add items with new ids (and a later
 * `createdAt`), updates change tags and the held value, deletes remove. Throws on an op that
 * names an item that is not there or not ours.
 */
function applyPlan(
  mailbox: readonly Item[],
  ops: readonly Op[],
  newId: () => string = counter(),
): Item[] {
  const byId = new Map(mailbox.map((item) => [item.itemId, item]));
  const ours = (itemId: string) => {
    const item = byId.get(itemId);
    if (!item) throw new Error(`op on missing item ${itemId}`);
    if (item.listId !== LIST || item.sourceKey === '') {
      throw new Error(`op on an item that is not ours: ${itemId}`);
    }
    return item;
  };
  for (const op of ops) {
    if (op.kind === 'delete') {
      ours(op.itemId);
      byId.delete(op.itemId);
    } else if (op.kind === 'update') {
      const before = ours(op.itemId);
      if (op.plan.value !== op.desired) throw new Error('plan body differs from the desired value');
      byId.set(op.itemId, {
        ...before,
        sourceKey: op.sourceKey,
        contentHash: op.contentHash,
        current: op.plan.value,
      });
    } else {
      const itemId = newId();
      byId.set(itemId, {
        itemId,
        listId: LIST,
        sourceKey: op.sourceKey,
        contentHash: op.contentHash,
        createdAt: '2030-01-01T00:00:00Z',
        current: op.plan.value,
      });
    }
  }
  return [...byId.values()];
}

function counter(prefix = 'new'): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(3, '0')}`;
}

const isOurs = (item: Item) => item.listId === LIST && item.sourceKey !== '';

function groupByKey(items: readonly Item[]): Map<string, Item[]> {
  const out = new Map<string, Item[]>();
  for (const item of items.filter(isOurs)) {
    const list = out.get(item.sourceKey);
    if (list) list.push(item);
    else out.set(item.sourceKey, [item]);
  }
  return out;
}

/**
 * Property (a): after applying the plan, the mailbox holds exactly one item per desired key,
 * with the desired hash (and value), except keys the user deleted when they are not re-created;
 * any other item of ours is one that `neverDelete` kept, untouched.
 */
function expectConverged(s: Scenario, before: readonly Item[], after: readonly Item[]): void {
  const deleted = new Set(s.deletedByUser);
  const beforeByKey = groupByKey(before);
  const afterByKey = groupByKey(after);
  const wanted = new Set(s.desired.map((d) => d.sourceKey));
  for (const d of s.desired) {
    const present = afterByKey.get(d.sourceKey) ?? [];
    const userDeleted = [d.sourceKey, ...(d.alternateKeys ?? [])].some((k) => deleted.has(k));
    if (present.length === 0) {
      // Only a user deletion that is not re-created may leave a desired key missing, and
      // never one that was in the mailbox already.
      expect(userDeleted && !s.recreateDeleted).toBe(true);
      expect(beforeByKey.has(d.sourceKey)).toBe(false);
      // Nor when an item tagged with one of its merged keys was there for the taking: such an
      // item ends up re-keyed to some desired key (this one, or another that claimed it first).
      for (const alias of d.alternateKeys ?? []) {
        const ids = new Set((beforeByKey.get(alias) ?? []).map((i) => i.itemId));
        if (ids.size === 0) continue;
        expect(after.some((i) => ids.has(i.itemId) && wanted.has(i.sourceKey))).toBe(true);
      }
      continue;
    }
    expect(present).toHaveLength(1);
    const [item] = present as [Item];
    expect(item.contentHash).toBe(d.contentHash);
    // Untouched items may hold no known value; any value known is the desired one.
    if (item.current !== undefined) expect(item.current).toBe(d.value);
    // An item already tagged with the key is kept (updated), never deleted and re-created.
    const had = beforeByKey.get(d.sourceKey);
    if (had) expect(had.map((i) => i.itemId)).toContain(item.itemId);
  }
  for (const [key, items] of afterByKey) {
    if (wanted.has(key)) continue;
    // Not desired and still there: only under neverDelete, one per key, exactly as it was.
    expect(s.neverDelete).toBe(true);
    expect(items).toHaveLength(1);
    expect(before).toContainEqual(items[0]);
  }
}

const ORDER = { 'delete:duplicate': 0, update: 1, create: 2, 'delete:not-desired': 3 } as const;
const groupOf = (op: Op) => (op.kind === 'delete' ? ORDER[`delete:${op.reason}`] : ORDER[op.kind]);
const itemIdOf = (op: Op) => ('itemId' in op ? op.itemId : '');

/** Property (d): duplicate deletes, updates, creates, deletes — each by key then item id. */
function expectOrdered(result: DiffPlan<Value, Plan>): void {
  const ops = result.ops;
  for (let i = 1; i < ops.length; i++) {
    const a = ops[i - 1]!;
    const b = ops[i]!;
    expect(groupOf(a)).toBeLessThanOrEqual(groupOf(b));
    if (groupOf(a) === groupOf(b)) {
      const ka = `${a.sourceKey}\u0000${itemIdOf(a)}`;
      const kb = `${b.sourceKey}\u0000${itemIdOf(b)}`;
      expect(ka < kb).toBe(true);
    }
  }
  const count = (g: number) => ops.filter((op) => groupOf(op) === g).length;
  expect({
    duplicateDeletes: result.counts.duplicateDeletes,
    updates: result.counts.updates,
    creates: result.counts.creates,
    deletes: result.counts.deletes,
  }).toEqual({
    duplicateDeletes: count(0),
    updates: count(1),
    creates: count(2),
    deletes: count(3),
  });
  // No item is written twice in one plan.
  const ids = ops.map(itemIdOf).filter((id) => id !== '');
  expect(new Set(ids).size).toBe(ids.length);
}

const permutationOf = <T>(items: readonly T[]): fc.Arbitrary<T[]> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

const RUNS = 250;

describe('planDiff (fast-check properties)', () => {
  it('(a) applying the plan of a to b to a gives b', () => {
    const seen = { duplicates: 0, rekeys: 0, skipped: 0, kept: 0, drift: 0, foreign: 0 };
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = plan(s);
        const after = applyPlan(s.actual, result.ops);
        expectConverged(s, s.actual, after);
        // Counts add up: every desired key is a noop, an update, a create or skipped.
        const c = result.counts;
        const rekeys = result.ops.filter((op) => op.kind === 'update' && op.previousSourceKey);
        expect(c.noops + c.updates + c.creates + c.skippedDeletedByUser).toBe(s.desired.length);
        expect(c.ignoredItems).toBe(s.actual.filter((i) => !isOurs(i)).length);
        if (c.duplicateDeletes > 0) seen.duplicates++;
        if (rekeys.length > 0) seen.rekeys++;
        if (c.skippedDeletedByUser > 0) seen.skipped++;
        if (c.keptByNeverDelete > 0) seen.kept++;
        if (result.ops.some((op) => op.kind === 'update' && op.plan.kind === 'drift')) seen.drift++;
        if (c.ignoredItems > 0) seen.foreign++;
      }),
      { seed: 0x6d1ff, numRuns: RUNS },
    );
    // The generators reach every interesting case often (not just the easy ones).
    for (const [name, n] of Object.entries(seen)) {
      if (n < RUNS / 20) throw new Error(`only ${n} of ${RUNS} runs had ${name}`);
    }
  });

  it('(b) is idempotent: planning again after applying gives zero ops', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const after = applyPlan(s.actual, plan(s).ops);
        const again = plan(s, after);
        expect(again.ops).toEqual([]);
        expect(again.counts).toMatchObject({
          creates: 0,
          updates: 0,
          deletes: 0,
          duplicateDeletes: 0,
          skippedDeletedByUser: plan(s).counts.skippedDeletedByUser,
        });
      }),
      { seed: 0xb0b, numRuns: RUNS },
    );
  });

  it('(c) never touches items of another list or without a source key', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const foreign = s.actual.filter((i) => !isOurs(i));
        const foreignIds = new Set(foreign.map((i) => i.itemId));
        const result = plan(s);
        for (const op of result.ops) {
          if (op.kind !== 'create') expect(foreignIds.has(op.itemId)).toBe(false);
        }
        const after = applyPlan(s.actual, result.ops);
        expect(after.filter((i) => !isOurs(i))).toEqual(foreign);
        // Planning only the foreign items (as if ours were gone) writes nothing but creates.
        expect(plan(s, foreign).ops.every((op) => op.kind === 'create')).toBe(true);
      }),
      { seed: 0xc0ffee, numRuns: RUNS },
    );
  });

  it('(d) orders duplicate deletes, updates, creates, deletes, each by key then item id', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => expectOrdered(plan(s))),
      { seed: 0xd1ff, numRuns: RUNS },
    );
  });

  it('(e) gives the same plan whatever the order of its inputs', () => {
    const shuffled = scenarioArb.chain((s) =>
      fc.tuple(
        fc.constant(s),
        permutationOf(s.desired),
        permutationOf(s.actual),
        permutationOf(s.deletedByUser),
      ),
    );
    fc.assert(
      fc.property(shuffled, ([s, desired, actual, deletedByUser]) => {
        expect(plan({ ...s, desired, actual, deletedByUser })).toEqual(plan(s));
      }),
      { seed: 0xe0e0, numRuns: RUNS },
    );
  });

  it('(f) a run cut short loses no one, and the next run converges', () => {
    const cut = scenarioArb.chain((s) =>
      fc.tuple(fc.constant(s), fc.nat({ max: Math.max(0, plan(s).ops.length) })),
    );
    fc.assert(
      fc.property(cut, ([s, done]) => {
        const ops = plan(s).ops;
        const partial = applyPlan(s.actual, ops.slice(0, done), counter('first'));
        // Every desired key that was in the mailbox is still there after any prefix
        // (creates before deletes; only duplicates of a desired key are deleted).
        const present = groupByKey(partial);
        const before = groupByKey(s.actual);
        for (const d of s.desired)
          if (before.has(d.sourceKey)) expect(present.has(d.sourceKey)).toBe(true);
        // The next run, planned from the partial state, converges like an uninterrupted one.
        const after = applyPlan(partial, plan(s, partial).ops, counter('second'));
        expectConverged(s, s.actual, after);
        expect(plan(s, after).ops).toEqual([]);
        // Same final picture as an uninterrupted run: one item per key, same hashes.
        const tags = (items: readonly Item[]) =>
          items
            .filter(isOurs)
            .map((i) => `${i.sourceKey}=${i.contentHash ?? '?'}`)
            .sort();
        expect(tags(after)).toEqual(tags(applyPlan(s.actual, ops)));
      }),
      { seed: 0xf00d, numRuns: RUNS },
    );
  });
});
