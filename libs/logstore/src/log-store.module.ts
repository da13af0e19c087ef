import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Clock } from './clock';
import { createLogStore } from './create-log-store';
import { EmbeddedLogStore } from './embedded-log-store';
import type { LogStore } from './log-store';
import { LogStorePurgeJob } from './log-store-purge-job';
import { LOG_STORE } from './log-store.token';
import { systemClock } from './system-clock';

/** The resolved forRoot() options, for the lifecycle hooks. */
const LOG_STORE_MODULE_OPTIONS = Symbol('LOG_STORE_MODULE_OPTIONS');

/**
 * Provides the LogStore port (`@Inject(LOG_STORE)`) globally. Needs ConfigModule. Starts the
 * purge job for the embedded store (MongoDB expires by TTL itself); stops it and closes the
 * connection on shutdown. `purge: false` is for processes that should not purge (e.g. the API
 * when workers run the job).
 */
@Global()
@Module({})
export class LogStoreModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private purgeJob: LogStorePurgeJob | undefined;

  constructor(
    @Inject(LOG_STORE) private readonly store: LogStore,
    @Inject(LOG_STORE_MODULE_OPTIONS) private readonly options: { clock: Clock; purge: boolean },
  ) {}

  static forRoot(options: { clock?: Clock; purge?: boolean } = {}): DynamicModule {
    const clock = options.clock ?? systemClock;
    return {
      module: LogStoreModule,
      providers: [
        { provide: LOG_STORE_MODULE_OPTIONS, useValue: { clock, purge: options.purge ?? true } },
        {
          provide: LOG_STORE,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => createLogStore(config, { clock }),
        },
      ],
      exports: [LOG_STORE],
    };
  }

  onApplicationBootstrap(): void {
    if (this.store instanceof EmbeddedLogStore && this.options.purge) {
      this.purgeJob = new LogStorePurgeJob(this.store, this.options.clock);
      this.purgeJob.start();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.purgeJob?.stop();
    await this.store.close();
  }
}
