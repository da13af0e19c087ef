import type { LogStore } from '@app/logstore';
import type { MailboxCounts } from '../runs/run-ledger';
import { mailboxFailureOf } from '@app/domain';
import { deleteTaggedItems } from './delete-tagged-items';
import type { ItemKindTypes, StrategyOf } from './item-kind-types';
import type { MailboxJob } from './mailbox-job';
import type { MailboxOutcomeRecorder } from './mailbox-outcome-recorder';
import type { MailboxResult } from './mailbox-result';
import { previewOfCleanup } from './preview-sample';

/**
 * Removes exactly the list's tagged items from the mailbox — from its container, and from the
 * one a folder change was moving them out of — then its map (a preview only lists them).
 * Found by our tags, so a lost map cache changes nothing.
 */
export class MailboxCleanupPass<K extends ItemKindTypes> {
  constructor(
    private readonly kind: StrategyOf<K>,
    private readonly logStore: LogStore,
    private readonly recorder: MailboxOutcomeRecorder,
  ) {}

  async run(job: MailboxJob<K>): Promise<MailboxResult> {
    const { payload, state, session } = job;
    const counts: MailboxCounts = { created: 0, updated: 0, deleted: 0 };
    const containers = [
      ...new Set([state.folderId, state.retiredFolderId].filter((id): id is string => !!id)),
    ];
    if (payload.mode === 'dry_run') {
      const found: Array<{ itemId: string; sourceKey: string }> = [];
      for (const containerId of containers) {
        try {
          for await (const page of session.listTagged(containerId, payload.listId))
            for (const item of page)
              if (item.listId === payload.listId)
                found.push({ itemId: item.itemId, sourceKey: item.sourceKey ?? '' });
        } catch (error) {
          if (mailboxFailureOf(error)?.code !== 'CONTAINER_NOT_FOUND') throw error;
        }
      }
      return {
        outcome: 'succeeded',
        counts: { ...counts, deleted: found.length },
        code: 'DRY_RUN_PLAN',
        message: `no longer targeted: would delete ${found.length} items`,
        preview: await previewOfCleanup(this.kind, session, found),
      };
    }
    let failed = 0;
    let firstError: string | undefined;
    for (const containerId of containers) {
      // Each batch's deletes are saved as the mailbox's progress in the run: an attempt
      // throttled part-way leaves them counted, and the next one finds them gone (ADR 0057).
      const before = counts.deleted;
      const { deleted, failures } = await deleteTaggedItems(
        session,
        containerId,
        payload.listId,
        (done) => this.recorder.saveProgress(job, {}, { ...counts, deleted: before + done }),
      );
      counts.deleted += deleted;
      failed += failures.length;
      firstError ??= failures[0]?.error?.message;
    }
    if (failed > 0) {
      return {
        outcome: 'failed',
        counts,
        code: 'CLEANUP_FAILED',
        message: `${failed} deletes failed: ${firstError}`,
      };
    }
    await this.logStore.deleteMap(payload.tenantId, payload.listId, payload.mailboxId);
    return { outcome: 'succeeded', counts, code: 'CLEANED_UP' };
  }
}
