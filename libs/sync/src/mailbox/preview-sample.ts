import type { DesiredItem, MailboxSession } from '@app/domain';
import type { ItemKindTypes, OpOf, StrategyOf } from './item-kind-types';
import { PREVIEW_SAMPLE_LIMIT, type MailboxPreview, type PreviewChange } from './mailbox-preview';

/**
 * A preview's sample of a mailbox's planned ops, in the order the run writes them. Items to be
 * deleted are named from the mailbox (one read of at most PREVIEW_SAMPLE_LIMIT items): the
 * list no longer knows them.
 */
export async function previewOfOps<K extends ItemKindTypes>(
  kind: StrategyOf<K>,
  session: MailboxSession<K['patch'], K['values']>,
  ops: readonly OpOf<K>[],
  recreated: ReadonlySet<OpOf<K>>,
  /** The list's last applied values by source key: an update names the fields that changed since. */
  previous?: (sourceKey: string) => K['value'] | undefined,
): Promise<MailboxPreview> {
  const changes: PreviewChange[] = ops.slice(0, PREVIEW_SAMPLE_LIMIT).map((op) => {
    switch (op.kind) {
      case 'create':
        return {
          action: 'create',
          sourceKey: op.sourceKey,
          name: kind.nameOf(op.desired),
          ...noteOf(kind, op.desired),
          fields: [...kind.fieldsOf(op.plan)],
        };
      case 'update': {
        // A blind PATCH writes every field; the admin wants the ones that changed at the source.
        const before = previous?.(op.previousSourceKey ?? op.sourceKey);
        const written = kind.fieldsOf(op.plan);
        const changed = before === undefined ? written : kind.changedFields(before, op.desired);
        return {
          action: 'update',
          sourceKey: op.sourceKey,
          itemId: op.itemId,
          name: kind.nameOf(op.desired),
          ...noteOf(kind, op.desired),
          fields: [...(changed.length > 0 ? changed : written)],
          ...(recreated.has(op) ? { reason: 'recreated' as const } : {}),
          ...(op.previousSourceKey ? { previousSourceKey: op.previousSourceKey } : {}),
        };
      }
      case 'delete':
        return { action: 'delete', sourceKey: op.sourceKey, itemId: op.itemId, reason: op.reason };
    }
  });
  await nameDeletes(kind, session, changes);
  return { changes, truncated: ops.length > PREVIEW_SAMPLE_LIMIT };
}

/** A clean-up's preview: every item of ours goes. */
export async function previewOfCleanup<K extends ItemKindTypes>(
  kind: StrategyOf<K>,
  session: MailboxSession<K['patch'], K['values']>,
  items: readonly { itemId: string; sourceKey: string }[],
): Promise<MailboxPreview> {
  const changes: PreviewChange[] = items.slice(0, PREVIEW_SAMPLE_LIMIT).map((item) => ({
    action: 'delete',
    sourceKey: item.sourceKey,
    itemId: item.itemId,
    reason: 'not-targeted',
  }));
  await nameDeletes(kind, session, changes);
  return { changes, truncated: items.length > PREVIEW_SAMPLE_LIMIT };
}

/**
 * A folder change's preview: Graph has no move for contacts, so every item is created in the
 * new container (first, as the run does), then our items in the old one are deleted.
 */
export async function previewOfMove<K extends ItemKindTypes>(
  kind: StrategyOf<K>,
  session: MailboxSession<K['patch'], K['values']>,
  policy: K['policy'],
  desired: readonly DesiredItem<K['value']>[],
  old: readonly { itemId: string; sourceKey: string }[],
): Promise<MailboxPreview> {
  const creates = previewOfCreates(kind, policy, desired).changes;
  const deletes: PreviewChange[] = old
    .slice(0, Math.max(0, PREVIEW_SAMPLE_LIMIT - creates.length))
    .map((item) => ({
      action: 'delete',
      sourceKey: item.sourceKey,
      itemId: item.itemId,
      reason: 'moved',
    }));
  await nameDeletes(kind, session, deletes);
  return {
    changes: [...creates, ...deletes],
    truncated: desired.length + old.length > PREVIEW_SAMPLE_LIMIT,
  };
}

/** A mailbox without the list's container yet: everything is created. */
export function previewOfCreates<K extends ItemKindTypes>(
  kind: StrategyOf<K>,
  policy: K['policy'],
  desired: readonly DesiredItem<K['value']>[],
): MailboxPreview {
  const diff = kind.diff(policy);
  const sorted = [...desired].sort((a, b) =>
    a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0,
  );
  return {
    changes: sorted.slice(0, PREVIEW_SAMPLE_LIMIT).map((item) => ({
      action: 'create',
      sourceKey: item.sourceKey,
      name: kind.nameOf(item.value),
      ...noteOf(kind, item.value),
      fields: [...kind.fieldsOf(diff.planCreate(item))],
    })),
    truncated: desired.length > PREVIEW_SAMPLE_LIMIT,
  };
}

async function nameDeletes<K extends ItemKindTypes>(
  kind: StrategyOf<K>,
  session: MailboxSession<K['patch'], K['values']>,
  changes: PreviewChange[],
): Promise<void> {
  const deletes = changes.filter((c) => c.action === 'delete');
  if (deletes.length === 0) return;
  const items = await session.readItems(
    deletes.map((c) => c.itemId!),
    { withValues: true },
  );
  for (const change of deletes) {
    const name = kind.nameOfValues(items.get(change.itemId!)?.values);
    if (name !== undefined) change.name = name;
  }
}

function noteOf<K extends ItemKindTypes>(
  kind: StrategyOf<K>,
  value: K['value'],
): { note?: string } {
  const note = kind.noteOf?.(value);
  return note ? { note } : {};
}
