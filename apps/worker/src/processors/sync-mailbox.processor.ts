import { APP_CONFIG, type AppConfig } from '@app/config';
import { type ProcessorJob, QueueName, QueueProcessor } from '@app/queue';
import { RescheduleError, SyncMailboxDispatch } from '@app/sync';
import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError } from 'bullmq';

@QueueProcessor(QueueName.SyncMailbox)
export class SyncMailboxProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncMailboxProcessor.name);

  constructor(
    private readonly syncMailbox: SyncMailboxDispatch,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Each job is one mailbox, mostly waiting on Graph: many run at once per process.
    this.worker.concurrency = this.config.sync.workerConcurrency;
  }

  async process(job: ProcessorJob<'sync-mailbox'>, token?: string): Promise<unknown> {
    const ids = {
      tenantId: job.data.tenantId,
      runId: job.data.runId,
      mailboxId: job.data.mailboxId,
      jobId: job.id,
    };
    try {
      const result = await this.syncMailbox.execute(job.data, job.id!);
      if (result) this.logger.log({ ...ids, ...result }, `mailbox ${result.outcome}`);
      return result ?? { outcome: 'already-counted' };
    } catch (error) {
      if (error instanceof RescheduleError) {
        // Not a failure: the mailbox waits (lock, tenant cap, Retry-After) and its attempts stay.
        this.logger.debug(
          { ...ids, delayMs: error.delayMs, reason: error.reason },
          'mailbox rescheduled',
        );
        await job.moveToDelayed(Date.now() + error.delayMs, token);
        throw new DelayedError();
      }
      const err = error as Error & { code?: string };
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.warn(
        { ...ids, code: err.code, attempt: job.attemptsMade + 1, last, err },
        'mailbox attempt failed',
      );
      if (last) await this.syncMailbox.recordFailure(job.data, err);
      throw error;
    }
  }
}
