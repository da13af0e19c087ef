import { APP_CONFIG, type AppConfig } from '@app/config';
import { REDIS_CLIENT } from '@app/queue';
import { RunSweep } from '@app/sync';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PeriodicTask } from './periodic-task';

/**
 * Runs the run sweep every SYNC_RUN_SWEEP_SECONDS on a plain timer, not a BullMQ job scheduler:
 * Redis may lose the scheduler with everything else. A Redis lock (SET NX PX, expiring before
 * the next tick) keeps N workers from sweeping at once; losing the lock with Redis only means
 * the next tick of some worker takes it again. The sweep is idempotent, so a rare double is harmless.
 */
@Injectable()
export class RunSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RunSweeper.name);
  private readonly task = new PeriodicTask(() =>
    this.tick(this.config.sync.runSweepSeconds * 1_000),
  );

  constructor(
    private readonly sweep: RunSweep,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.sync.runSweepSeconds * 1_000, { runNow: false });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  private async tick(intervalMs: number): Promise<void> {
    try {
      const lock = `${this.config.redis.keyPrefix}run-sweep-lock`;
      const taken = await this.redis.set(lock, '1', 'PX', Math.max(500, intervalMs - 200), 'NX');
      if (taken !== 'OK') return;
      const result = await this.sweep.sweep();
      if (result.deadline || result.lost || result.schedulesRestored)
        this.logger.warn(result, 'run sweep closed runs or restored job schedulers');
      else if (result.outcomesPurged)
        this.logger.log(result, 'run sweep purged per-mailbox outcomes past retention');
    } catch (error) {
      this.logger.error({ err: error }, 'run sweep failed; it is tried again at the next tick');
    }
  }
}
