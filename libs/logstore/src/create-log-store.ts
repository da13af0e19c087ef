import type { AppConfig } from '@app/config';
import { FieldCipher, KeyRing } from '@app/crypto';
import { join } from 'node:path';
import type { Clock } from './clock';
import { EmbeddedLogStore } from './embedded-log-store';
import type { LogStoreOptions } from './log-store-options';
import { MongoLogStore } from './mongo-log-store';

/**
 * Picks the adapter from config: MongoDB when MONGO_URL is set, otherwise the embedded SQLite
 * file `<dataDir>/logstore.db`. Both use LOG_RETENTION_DAYS and the configured keys.
 */
export async function createLogStore(
  config: Pick<AppConfig, 'mongo' | 'logRetentionDays' | 'dataDir' | 'encryption'>,
  overrides: { clock?: Clock; cipher?: FieldCipher } & Omit<
    LogStoreOptions,
    'retentionDays' | 'clock'
  > = {},
): Promise<EmbeddedLogStore | MongoLogStore> {
  const { cipher: givenCipher, ...rest } = overrides;
  const cipher = givenCipher ?? new FieldCipher(new KeyRing(config.encryption));
  const options: LogStoreOptions = { ...rest, retentionDays: config.logRetentionDays };
  if (config.mongo.url) return MongoLogStore.connect(config.mongo.url, cipher, options);
  return EmbeddedLogStore.open(join(config.dataDir, 'logstore.db'), cipher, options);
}
