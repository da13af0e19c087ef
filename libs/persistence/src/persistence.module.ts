import { APP_CONFIG, factoryProvider, type AppConfig } from '@app/config';
import { FieldCipher } from '@app/crypto';
import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RowCipher } from './encryption/row-cipher';
import { openDataSource } from './open-data-source';
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
        // Row fields are sealed where the row is known; needs the Crypto module.
        factoryProvider(RowCipher, [FieldCipher], (cipher) => new RowCipher(cipher)),
      ],
      exports: [DataSource, RowCipher],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
