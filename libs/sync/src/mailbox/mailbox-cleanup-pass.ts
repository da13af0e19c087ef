import type { ItemWrite, ItemWriteResult } from '@app/domain';
import type { LogStore } from '@app/logstore';
import type { MailboxCounts } from '../runs/run-ledger';
import type { ItemKindTypes, StrategyOf } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import type { MailboxResult } from './mailbox-result';
import { previewOfCleanup } from './preview-sample';

/** Removes exactly the list's tagged items from the mailbox, then its map (a preview only lists them). */
export class MailboxCleanupPass<K extends ItemKindTypes> {
  constructor(
    private readonly kind: StrategyOf<K>,
    private readonly logStore: LogStore,
  ) {}

  async run(job: MailboxJob<K>): Promise<MailboxResult> {
    const { payload, state, session } = job;
    const counts: MailboxCounts = { created: 0, updated: 0, deleted: 0 };
    const writes: ItemWrite<K['patch']>[] = [];
    if (state.folderId) {
      for await (const page of session.listTagged(state.folderId, payload.listId)) {
        for (const item of page)
          if (item.listId === payload.listId)
            writes.push({ kind: 'delete', itemId: item.itemId, sourceKey: item.sourceKey ?? '' });
      }
    }
    if (payload.mode === 'dry_run') {
      return {
        outcome: 'succeeded',
        counts: { ...counts, deleted: writes.length },
        code: 'DRY_RUN_PLAN',
        message: `no longer targeted: would delete ${writes.length} items`,
        preview: await previewOfCleanup(
          this.kind,
          session,
          writes.map((w) => ({ itemId: (w as { itemId: string }).itemId, sourceKey: w.sourceKey })),
        ),
      };
    }
    if (state.folderId) {
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
