import { BillingAccountService } from '@app/billing';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { BillingUsageRepository, StripeEventRepository } from '@app/persistence';
import { SyncQueues } from '@app/queue';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

/**
 * Billing's recovery and usage (SQL is the truth, Redis may lose everything): at start and
 * every BILLING_EVENT_SWEEP_SECONDS, stored Stripe events never processed (a crash between
 * storing and queueing, a Redis that lost its data) are queued again — idempotent per event —
 * and each tenant's synced mailboxes are recorded for the day.
 */
@Injectable()
export class BillingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BillingSweeper.name);
  private readonly task = new PeriodicTask(() => this.sweep());

  constructor(
    @Inject(StripeEventRepository) private readonly events: StripeEventRepository,
    @Inject(BillingUsageRepository) private readonly usage: BillingUsageRepository,
    @Inject(BillingAccountService) private readonly account: BillingAccountService,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.billing!.eventSweepSeconds * 1_000, { runNow: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Re-queues unprocessed events stored before this pass; the number queued. */
  async sweep(): Promise<number> {
    let queued = 0;
    try {
      // Events of the last moments are left to the webhook's own enqueue.
      const before = new Date(Date.now() - 1_000);
      for (const row of await this.events.unprocessed(before)) {
        await this.queues.enqueueStripeEvent({ eventRowId: row.id });
        queued++;
      }
      for (const tenantId of await this.usage.tenantsWithMailboxes())
        await this.account.recordUsage(tenantId);
    } catch (error) {
      this.logger.error({ err: error }, 'billing sweep failed; it is tried again at the next tick');
    }
    if (queued > 0) this.logger.log({ queued }, 'stored Stripe events queued again');
    return queued;
  }
}
