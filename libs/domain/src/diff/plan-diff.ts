import { DomainValidationError } from '../errors/domain-validation-error';
import type { ValidationProblem } from '../errors/validation-problem';
import type {
  DesiredItem,
  DiffInput,
  DiffOp,
  DiffPlan,
  ItemDiffStrategy,
  MailboxItem,
} from './diff-types';

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first (items without a date after dated ones), then lowest item id. */
function keepOrder<T>(a: MailboxItem<T>, b: MailboxItem<T>): number {
  const ta = a.createdAt ? Date.parse(a.createdAt) : Number.POSITIVE_INFINITY;
  const tb = b.createdAt ? Date.parse(b.createdAt) : Number.POSITIVE_INFINITY;
  const da = Number.isNaN(ta) ? Number.POSITIVE_INFINITY : ta;
  const db = Number.isNaN(tb) ? Number.POSITIVE_INFINITY : tb;
  return da !== db ? (da < db ? -1 : 1) : compareText(a.itemId, b.itemId);
}

/**
 * Desired items vs the list's items in one mailbox → the writes that make them equal.
 *
 * - same key, hash differs (or the strategy finds drift in the current values) → `update`;
 * - desired, not in the mailbox → `create`, unless the user deleted it and `recreateDeleted`
 *   is off; an item tagged with one of its `alternateKeys` is re-keyed by an update instead;
 * - ours, not desired → `delete`, unless `neverDelete`;
 * - several items with one key → keep the oldest (then lowest id), `delete` the rest: this is
 *   how a crash between a create and its bookkeeping converges.
 *
 * Order: duplicate deletes, updates, creates, deletes — each group sorted by key then item id.
 * Duplicates go first so no write is spent on an item about to go; creates run before deletes
 * so that a person whose key changed is never missing from the phone in between, and a run cut
 * short leaves extra items (removed next run) rather than missing ones.
 *
 * Only items whose `listId` is this list's are ever touched; a user's own contacts never reach
 * the planner, and if they did they would be ignored.
 */
export function planDiff<TValue, TCurrent, TPlan>(
  input: DiffInput<TValue, TCurrent>,
  strategy: ItemDiffStrategy<TValue, TCurrent, TPlan>,
): DiffPlan<TValue, TPlan> {
  const problems: ValidationProblem[] = [];
  const desired = new Map<string, DesiredItem<TValue>>();
  for (const item of input.desired) {
    if (desired.has(item.sourceKey)) {
      problems.push({ field: 'desired', message: `source key "${item.sourceKey}" appears twice` });
    }
    desired.set(item.sourceKey, item);
  }
  let ignoredItems = 0;
  const byKey = new Map<string, MailboxItem<TCurrent>[]>();
  const itemIds = new Set<string>();
  for (const item of input.actual) {
    if (item.listId !== input.listId || !item.sourceKey) {
      ignoredItems++;
      continue;
    }
    if (itemIds.has(item.itemId)) {
      problems.push({ field: 'actual', message: `item "${item.itemId}" appears twice` });
    }
    itemIds.add(item.itemId);
    const sameKey = byKey.get(item.sourceKey);
    if (sameKey) sameKey.push(item);
    else byKey.set(item.sourceKey, [item]);
  }
  if (problems.length > 0) throw new DomainValidationError('INVALID_DIFF_INPUT', problems);

  const duplicateDeletes: DiffOp<TValue, TPlan>[] = [];
  const kept = new Map<string, MailboxItem<TCurrent>>();
  for (const [key, items] of byKey) {
    const [keep, ...extra] = [...items].sort(keepOrder);
    kept.set(key, keep!);
    for (const item of extra) {
      duplicateDeletes.push({
        kind: 'delete',
        reason: 'duplicate',
        itemId: item.itemId,
        sourceKey: key,
      });
    }
  }

  const updates: DiffOp<TValue, TPlan>[] = [];
  const creates: DiffOp<TValue, TPlan>[] = [];
  const claimed = new Set<string>();
  let noops = 0;
  let skippedDeletedByUser = 0;
  const deletedByUser = input.deletedByUser ?? new Set<string>();

  const desiredSorted = [...desired.values()].sort((a, b) => compareText(a.sourceKey, b.sourceKey));
  // Exact matches first, so an alternate key can only claim an item nobody owns outright.
  const pending: DesiredItem<TValue>[] = [];
  for (const want of desiredSorted) {
    const item = kept.get(want.sourceKey);
    if (!item) {
      pending.push(want);
      continue;
    }
    claimed.add(want.sourceKey);
    const hashMatches = item.contentHash === want.contentHash;
    const plan = !hashMatches
      ? strategy.planUpdate(want, item)
      : item.current !== undefined
        ? strategy.planDrift(want, item)
        : undefined;
    if (plan === undefined) {
      noops++;
      continue;
    }
    updates.push({
      kind: 'update',
      itemId: item.itemId,
      sourceKey: want.sourceKey,
      contentHash: want.contentHash,
      desired: want.value,
      plan,
    });
  }
  for (const want of pending) {
    const alias = (want.alternateKeys ?? []).find(
      (k) => kept.has(k) && !claimed.has(k) && !desired.has(k),
    );
    if (alias !== undefined) {
      const item = kept.get(alias)!;
      claimed.add(alias);
      updates.push({
        kind: 'update',
        itemId: item.itemId,
        sourceKey: want.sourceKey,
        previousSourceKey: alias,
        contentHash: want.contentHash,
        desired: want.value,
        plan: strategy.planUpdate(want, item),
      });
      continue;
    }
    const userDeleted = [want.sourceKey, ...(want.alternateKeys ?? [])].some((k) =>
      deletedByUser.has(k),
    );
    if (userDeleted && !input.recreateDeleted) {
      skippedDeletedByUser++;
      continue;
    }
    creates.push({
      kind: 'create',
      sourceKey: want.sourceKey,
      contentHash: want.contentHash,
      desired: want.value,
      plan: strategy.planCreate(want),
    });
  }

  const deletes: DiffOp<TValue, TPlan>[] = [];
  let keptByNeverDelete = 0;
  for (const [key, item] of kept) {
    if (claimed.has(key)) continue;
    if (input.neverDelete) keptByNeverDelete++;
    else
      deletes.push({ kind: 'delete', reason: 'not-desired', itemId: item.itemId, sourceKey: key });
  }

  const byKeyThenId = (a: DiffOp<TValue, TPlan>, b: DiffOp<TValue, TPlan>) =>
    compareText(a.sourceKey, b.sourceKey) ||
    compareText('itemId' in a ? a.itemId : '', 'itemId' in b ? b.itemId : '');
  duplicateDeletes.sort(byKeyThenId);
  updates.sort(byKeyThenId);
  deletes.sort(byKeyThenId);

  return {
    ops: [...duplicateDeletes, ...updates, ...creates, ...deletes],
    counts: {
      creates: creates.length,
      updates: updates.length,
      deletes: deletes.length,
      duplicateDeletes: duplicateDeletes.length,
      noops,
      skippedDeletedByUser,
      keptByNeverDelete,
      ignoredItems,
    },
  };
}
