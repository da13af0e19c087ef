import { CleanupAdvancer } from '@app/admin';
import { type ProcessorJob, QueueName, QueueProcessor, SyncQueues } from '@app/queue';
import { WorkerHost } from '@nestjs/bullmq';

// How soon a clean-up waiting on its runs is looked at again.
const RECHECK_MS = 1_000;

/** Advances a tenant's clean-up (its state is the tenant_cleanup row); re-checks while unfinished. */
@QueueProcessor(QueueName.AdvanceCleanup)
export class AdvanceCleanupProcessor extends WorkerHost {
  constructor(
    private readonly advancer: CleanupAdvancer,
    private readonly queues: SyncQueues,
  ) {
    super();
  }

  async process(job: ProcessorJob<'advance-cleanup'>): Promise<string | null> {
    const state = await this.advancer.advance(job.data.tenantId);
    if (state === 'requested' || state === 'cleaning' || state === 'wiping')
      await this.queues.advanceCleanupAfter(job.data, RECHECK_MS);
    return state;
  }
}
