import {
  mailboxFailureOf,
  type ItemWrite,
  type ItemWriteResult,
  type MailboxSession,
} from '@app/domain';

/** What deleting a list's items from one container did. */
export interface TaggedDeletion<TPatch> {
  deleted: number;
  failures: ItemWriteResult<TPatch>[];
}

/**
 * Deletes exactly the list's items from a container, found by our tags (not by the map, which
 * may be gone): a user's own items, and other lists' items, are never touched. A container that
 * no longer exists holds nothing of ours.
 */
export async function deleteTaggedItems<TPatch, TValues>(
  session: MailboxSession<TPatch, TValues>,
  containerId: string,
  listId: string,
  /** Told the count deleted so far after each batch (to save it before a later batch fails). */
  onProgress?: (deleted: number) => Promise<void>,
): Promise<TaggedDeletion<TPatch>> {
  const outcome: TaggedDeletion<TPatch> = { deleted: 0, failures: [] };
  const writes: ItemWrite<TPatch>[] = [];
  try {
    for await (const page of session.listTagged(containerId, listId)) {
      for (const item of page)
        if (item.listId === listId)
          writes.push({ kind: 'delete', itemId: item.itemId, sourceKey: item.sourceKey ?? '' });
    }
  } catch (error) {
    if (mailboxFailureOf(error)?.code === 'CONTAINER_NOT_FOUND') return outcome;
    throw error;
  }
  await session.write(containerId, listId, writes, async (results) => {
    for (const r of results) {
      if (r.outcome === 'failed') outcome.failures.push(r);
      else if (r.outcome === 'done') outcome.deleted++;
    }
    await onProgress?.(outcome.deleted);
  });
  return outcome;
}
