import { CleanupAdvancer, ListCleanupAdvancer } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ListTombstoneRepository, TenantCleanupRepository } from '@app/persistence';
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
 * Recovery of clean-ups, tenants' and deleted lists' (SQL is the truth, Redis may lose the advance jobs): at worker start and
 * every SYNC_RUN_SWEEP_SECONDS, each unfinished clean-up is advanced and its follow-up job
 * enqueued again. The advancer is idempotent, so several workers sweeping at once is harmless.
 */
@Injectable()
export class CleanupSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CleanupSweeper.name);
  private readonly task = new PeriodicTask(() => this.sweep());

  constructor(
    @Inject(CleanupAdvancer) private readonly advancer: CleanupAdvancer,
    @Inject(TenantCleanupRepository) private readonly cleanups: TenantCleanupRepository,
    @Inject(ListCleanupAdvancer) private readonly listAdvancer: ListCleanupAdvancer,
    @Inject(ListTombstoneRepository) private readonly tombstones: ListTombstoneRepository,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.sync.runSweepSeconds * 1_000, { runNow: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Advances every unfinished clean-up; the number looked at. */
  async sweep(): Promise<number> {
    let count = 0;
    try {
      for (const cleanup of await this.cleanups.unfinished()) {
        count++;
        const state = await this.advancer.advance(cleanup.tenantId);
        if (state === 'requested' || state === 'cleaning' || state === 'wiping')
          await this.queues.advanceCleanupAfter({ tenantId: cleanup.tenantId }, 1_000);
      }
      // Deleted lists' clean-ups likewise (list_tombstone rows requested or cleaning).
      for (const tombstone of await this.tombstones.unfinished()) {
        count++;
        const { tenantId, listId } = tombstone;
        const state = await this.listAdvancer.advance(tenantId, listId);
        if (state === 'requested' || state === 'cleaning')
          await this.queues.advanceCleanupAfter({ tenantId, listId }, 1_000);
      }
    } catch (error) {
      this.logger.error(
        { err: error },
        'clean-up sweep failed; it is tried again at the next tick',
      );
    }
    return count;
  }
}
