import type { ListKind, TransactionRepositories } from '@app/persistence';
import type { SyncQueues } from '@app/queue';

/**
 * The part of deleting a list both kinds share, inside the caller's transaction (which deletes
 * the list row itself): its schedules and targets go, and a tombstone of its kind is left, whose
 * mailbox states say where the worker must delete exactly our items (ADR 0033). Returns the
 * schedule ids whose job schedulers `afterListRetired` removes.
 */
export async function retireListInTransaction(
  tx: TransactionRepositories,
  list: { tenantId: string; id: string; name: string; kind: ListKind },
): Promise<string[]> {
  const schedules = await tx.schedules.listForList(list.tenantId, list.id);
  await tx.schedules.deleteForList(list.tenantId, list.id);
  await tx.targets.deleteForList(list.tenantId, list.id);
  await tx.listTombstones.record({
    tenantId: list.tenantId,
    listId: list.id,
    listKind: list.kind,
    name: list.name,
  });
  return schedules.map((s) => s.id);
}

/** After the commit: the job schedulers go, and the worker is woken to clean the mailboxes. */
export async function afterListRetired(
  queues: Pick<SyncQueues, 'removeSchedule' | 'advanceCleanupAfter'>,
  tenantId: string,
  listId: string,
  scheduleIds: readonly string[],
): Promise<void> {
  for (const sid of scheduleIds) await queues.removeSchedule(sid);
  // SQL holds the tombstone: if Redis loses this job, the worker's sweep advances it anyway.
  await queues.advanceCleanupAfter({ tenantId, listId });
}
