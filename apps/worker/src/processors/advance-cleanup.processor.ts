import { CleanupAdvancer, ListCleanupAdvancer } from '@app/admin';
import { type ProcessorJob, QueueName, QueueProcessor, SyncQueues } from '@app/queue';
import { WorkerHost } from '@nestjs/bullmq';

// How soon a clean-up waiting on its runs is looked at again.
const RECHECK_MS = 1_000;

/**
 * Advances a tenant's clean-up (its state is the tenant_cleanup row), or with a list id a deleted
 * list's (its list_tombstone row); re-checks while unfinished.
 */
@QueueProcessor(QueueName.AdvanceCleanup)
export class AdvanceCleanupProcessor extends WorkerHost {
  constructor(
    private readonly advancer: CleanupAdvancer,
    private readonly lists: ListCleanupAdvancer,
    private readonly queues: SyncQueues,
  ) {
    super();
  }

  async process(job: ProcessorJob<'advance-cleanup'>): Promise<string | null> {
    if (job.data.listId) {
      const listState = await this.lists.advance(job.data.tenantId, job.data.listId);
      if (listState === 'requested' || listState === 'cleaning')
        await this.queues.advanceCleanupAfter(job.data, RECHECK_MS);
      return listState;
    }
    const state = await this.advancer.advance(job.data.tenantId);
    if (state === 'requested' || state === 'cleaning' || state === 'wiping')
      await this.queues.advanceCleanupAfter(job.data, RECHECK_MS);
    return state;
  }
}
