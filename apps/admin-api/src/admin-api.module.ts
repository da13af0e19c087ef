import { type AppConfig, ConfigModule } from '@app/config';
import { HealthModule } from '@app/health';
import { LoggingModule } from '@app/logging';
import { PersistenceModule } from '@app/persistence';
import { RedisModule } from '@app/queue';
import { DynamicModule, Module } from '@nestjs/common';

@Module({})
export class AdminApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AdminApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('admin-api', config),
        PersistenceModule.forRoot(),
        RedisModule,
        HealthModule,
      ],
    };
  }
}
