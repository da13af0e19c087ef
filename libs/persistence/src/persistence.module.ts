import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openDataSource } from './open-data-source';
import { REPOSITORY_PROVIDERS } from './repositories/repository-providers';
import { runMigrations } from './run-migrations';

@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: DataSource,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            const logger = new Logger('Persistence');
            const dataSource = await openDataSource(config.database);
            if (config.migrations.runOnStart) {
              const { applied } = await runMigrations(dataSource, config.database, {
                lockTimeoutMs: config.migrations.lockTimeoutMs,
              });
              logger.log(
                { applied, database: config.database.kind },
                applied.length ? 'migrations applied' : 'schema up to date',
              );
            }
            return dataSource;
          },
        },
        ...REPOSITORY_PROVIDERS,
      ],
      exports: [DataSource, ...REPOSITORY_PROVIDERS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
