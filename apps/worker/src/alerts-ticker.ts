import { AlertsService } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

/**
 * The alert pass every ALERT_POLL_SECONDS: new alerts into the SQL outbox, due ones sent.
 * Every worker runs it; the outbox's cursor, dedupe keys and leases keep them from sending
 * one alert twice (except after a crash mid-send, when the same id goes out again).
 */
@Injectable()
export class AlertsTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlertsTicker');
  private readonly task = new PeriodicTask(() => this.tick());

  constructor(
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.admin.alerts.pollSeconds * 1_000, { runNow: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  private async tick(): Promise<void> {
    try {
      const attempts = await this.alerts.checkOnce();
      if (attempts.length) this.logger.log({ alerts: attempts.length }, 'alerts attempted');
    } catch (error) {
      this.logger.warn({ err: error }, 'alert pass failed; it is tried again at the next tick');
    }
  }
}
