import {
  ADMIN_CLOCK,
  ALERT_PROVIDERS,
  CleanupAdvancer,
  ListCleanupAdvancer,
  RevokedTenantRetention,
} from '@app/admin';
import { APP_CONFIG, type AppConfig, ConfigError, ConfigModule } from '@app/config';
import { HealthModule } from '@app/health';
import { LoggingModule } from '@app/logging';
import { LogStoreModule, systemClock } from '@app/logstore';
import { FleetMetrics, MetricsModule } from '@app/metrics';
import { PersistenceModule, SyncRunRepository } from '@app/persistence';
import { CryptoModule } from '@app/crypto';
import {
  ALL_QUEUES,
  queuePrefix,
  QueueModule,
  QueueName,
  RedisModule,
  SyncQueues,
} from '@app/queue';
import { BillingModule } from '@app/billing';
import { SyncEngineModule } from '@app/sync';
import { BullModule, getQueueToken, type WorkerHost } from '@nestjs/bullmq';
import { DynamicModule, Module, type Type } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AlertsTicker } from './alerts-ticker';
import { JobSupervisor } from './job-supervisor';
import { CleanupSweeper } from './cleanup-sweeper';
import { RetentionSweeper } from './retention-sweeper';
import { CsvSourceKeyBootstrap } from './csv-source-key-bootstrap';
import { CsvImportBootstrap } from './csv-import-bootstrap';
import { AdvanceCleanupProcessor } from './processors/advance-cleanup.processor';
import { FinishRunProcessor } from './processors/finish-run.processor';
import { ImportCsvProcessor } from './processors/import-csv.processor';
import { PlanRunProcessor } from './processors/plan-run.processor';
import { SyncMailboxProcessor } from './processors/sync-mailbox.processor';
import { RunSweeper } from './run-sweeper';
import { BillingSweeper } from './billing-sweeper';
import { StripeEventProcessor } from './processors/stripe-event.processor';
import { ScheduleBootstrap } from './schedule-bootstrap';

const PROCESSORS: Record<QueueName, Type> = {
  [QueueName.PlanRun]: PlanRunProcessor,
  [QueueName.SyncMailbox]: SyncMailboxProcessor,
  [QueueName.FinishRun]: FinishRunProcessor,
  [QueueName.ImportCsv]: ImportCsvProcessor,
  [QueueName.AdvanceCleanup]: AdvanceCleanupProcessor,
  [QueueName.StripeEvent]: StripeEventProcessor,
};

/**
 * The worker: BullMQ processors for the queues WORKER_QUEUES names (all by default), so one
 * image scales per queue; its HTTP server only answers health checks.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const unknown = config.worker.queues.filter(
      (q) => q !== '*' && !(ALL_QUEUES as readonly string[]).includes(q),
    );
    if (unknown.length > 0) {
      throw new ConfigError([
        `WORKER_QUEUES: unknown queue ${unknown.join(', ')}; expected * or some of ${ALL_QUEUES.join(', ')}`,
      ]);
    }
    const queues = (
      config.worker.queues.includes('*')
        ? ALL_QUEUES
        : ALL_QUEUES.filter((q) => config.worker.queues.includes(q))
    ).filter((q) => q !== QueueName.StripeEvent || config.billing); // billing off: no Stripe
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('worker', config),
        MetricsModule.forRoot('worker'),
        CryptoModule,
        PersistenceModule.forRoot(),
        RedisModule,
        QueueModule,
        HealthModule,
        LogStoreModule.forRoot(),
        SyncEngineModule,
        BullModule.forRootAsync({
          inject: [SyncQueues],
          useFactory: (producers: SyncQueues) => ({
            connection: producers.connection,
            prefix: queuePrefix(config.redis.keyPrefix),
          }),
        }),
        BullModule.registerQueue(...queues.map((name) => ({ name }))),
        ...(config.billing ? [BillingModule] : []),
      ],
      providers: [
        ...queues.map((q) => PROCESSORS[q]),
        // Metrics and the shutdown drain around every processor (see JobSupervisor).
        {
          provide: JobSupervisor,
          inject: [
            FleetMetrics,
            APP_CONFIG,
            SyncRunRepository,
            ...queues.map((q) => PROCESSORS[q]),
            ...queues.map((q) => getQueueToken(q)),
          ],
          useFactory: (
            metrics: FleetMetrics,
            appConfig: AppConfig,
            ledger: SyncRunRepository,
            ...hostsThenQueues: unknown[]
          ) =>
            new JobSupervisor(
              metrics,
              appConfig,
              queues.map((queue, i) => ({
                queue,
                host: hostsThenQueues[i] as WorkerHost,
                registered: hostsThenQueues[queues.length + i] as Queue,
              })),
              ledger,
            ),
        },
        RunSweeper,
        // Alerts: detection into the SQL outbox and delivery; the clean-up advancer wipes them too.
        ...ALERT_PROVIDERS,
        AlertsTicker,
        CleanupAdvancer,
        // Deleted lists' clean-ups (list_tombstone), on the same queue and sweep.
        ListCleanupAdvancer,
        CleanupSweeper,
        // Revoked tenants' lists, entries and settings, deleted after the retention period.
        { provide: ADMIN_CLOCK, useValue: systemClock },
        RevokedTenantRetention,
        RetentionSweeper,
        ...(queues.includes(QueueName.PlanRun) ? [ScheduleBootstrap, CsvSourceKeyBootstrap] : []),
        ...(queues.includes(QueueName.ImportCsv) ? [CsvImportBootstrap] : []),
        ...(config.billing ? [BillingSweeper] : []),
      ],
    };
  }
}
