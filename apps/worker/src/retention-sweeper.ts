import { RevokedTenantRetention } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

/** How often revoked tenants are looked at: the retention is counted in days. */
const RETENTION_SWEEP_MS = 3_600_000;

/**
 * Deletes revoked tenants' lists, entries and settings once their retention period has passed
 * (RevokedTenantRetention), at worker start and every hour. Idempotent: several workers may
 * sweep at once.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionSweeper.name);
  private readonly task = new PeriodicTask(() => this.sweep());

  constructor(
    @Inject(RevokedTenantRetention) private readonly retention: RevokedTenantRetention,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(Math.max(RETENTION_SWEEP_MS, this.config.sync.runSweepSeconds * 1_000), {
      runNow: true,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async sweep(): Promise<number> {
    try {
      return (await this.retention.sweep()).length;
    } catch (error) {
      this.logger.error({ err: error }, 'retention sweep failed; it is tried again in an hour');
      return 0;
    }
  }
}
