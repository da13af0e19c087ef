import { ProcessStripeEventUseCase } from '@app/billing';
import { type ProcessorJob, QueueName, QueueProcessor } from '@app/queue';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';

/** Applies one stored Stripe event (issue #23); registered only when billing is configured. */
@QueueProcessor(QueueName.StripeEvent)
export class StripeEventProcessor extends WorkerHost {
  private readonly logger = new Logger(StripeEventProcessor.name);

  constructor(
    @Inject(ProcessStripeEventUseCase) private readonly events: ProcessStripeEventUseCase,
  ) {
    super();
  }

  async process(job: ProcessorJob<'stripe-event'>): Promise<string> {
    const result = await this.events.execute(job.data.eventRowId);
    const outcome = result === 'already' ? 'already processed' : result.outcome;
    this.logger.log({ eventRowId: job.data.eventRowId, outcome }, 'Stripe event processed');
    return outcome;
  }

  /** Each failed attempt is logged (retried with backoff); after the last, the row says so. */
  @OnWorkerEvent('failed')
  async onFailed(job: ProcessorJob<'stripe-event'> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const context = { eventRowId: job.data.eventRowId, attempt: job.attemptsMade, attempts };
    if (job.attemptsMade < attempts) {
      this.logger.warn({ ...context, err: error.message }, 'Stripe event failed; retried later');
      return;
    }
    this.logger.error({ ...context, err: error.message }, 'Stripe event failed for good');
    await this.events.fail(job.data.eventRowId, 'processing_failed');
  }
}
