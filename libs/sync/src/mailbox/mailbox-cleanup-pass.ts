import type { ItemWrite, ItemWriteResult } from '@app/domain';
import type { LogStore } from '@app/logstore';
import type { MailboxCounts } from '../runs/run-ledger';
import type { ItemKindTypes } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import type { MailboxResult } from './mailbox-result';

/** Removes exactly the list's tagged items from the mailbox, then its map. */
export class MailboxCleanupPass<K extends ItemKindTypes> {
  constructor(private readonly logStore: LogStore) {}

  async run(job: MailboxJob<K>): Promise<MailboxResult> {
    const { payload, state, session } = job;
    const counts: MailboxCounts = { created: 0, updated: 0, deleted: 0 };
    if (state.folderId) {
      const writes: ItemWrite<K['patch']>[] = [];
      for await (const page of session.listTagged(state.folderId, payload.listId)) {
        for (const item of page)
          if (item.listId === payload.listId)
            writes.push({ kind: 'delete', itemId: item.itemId, sourceKey: item.sourceKey ?? '' });
      }
      const failures: ItemWriteResult<K['patch']>[] = [];
      await session.write(state.folderId, payload.listId, writes, async (results) => {
        for (const r of results) {
          if (r.outcome === 'failed') failures.push(r);
          else counts.deleted += r.outcome === 'done' ? 1 : 0;
        }
      });
      if (failures.length > 0) {
        return {
          outcome: 'failed',
          counts,
          code: 'CLEANUP_FAILED',
          message: `${failures.length} deletes failed: ${failures[0].error?.message}`,
        };
      }
    }
    await this.logStore.deleteMap(payload.tenantId, payload.listId, payload.mailboxId);
    return { outcome: 'succeeded', counts, code: 'CLEANED_UP' };
  }
}
