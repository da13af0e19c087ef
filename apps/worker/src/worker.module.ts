import { type AppConfig, ConfigModule } from '@app/config';
import { HealthModule } from '@app/health';
import { LoggingModule } from '@app/logging';
import { PersistenceModule } from '@app/persistence';
import { RedisModule } from '@app/queue';
import { DynamicModule, Module } from '@nestjs/common';

/** The worker serves only its health endpoints over HTTP; its work comes from BullMQ queues. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('worker', config),
        PersistenceModule.forRoot(),
        RedisModule,
        HealthModule,
      ],
    };
  }
}
