import { AlertsService } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

/**
 * Where alerts come from: an interval in the admin API (every ALERT_POLL_SECONDS) that looks at
 * sync_run rows finished since the last check and at tenants whose consent was lost. The
 * worker stays unaware of alerts; several API instances may poll at once (claims in Redis).
 */
@Injectable()
export class AlertsPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlertsPoller');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.admin.alerts.pollSeconds * 1000);
    // No pass at boot: Redis may still be connecting. The first pass only sets the cursor.
    this.timer.unref();
  }

  /** One pass; a pass still running is not started twice. */
  tick(): Promise<void> {
    this.running ??= this.alerts
      .checkOnce()
      .then(
        (sent) => {
          if (sent.length) this.logger.log({ alerts: sent.length }, 'alerts sent');
        },
        (error: unknown) => this.logger.warn({ err: error }, 'alert check failed'),
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.alerts.close();
  }
}
