import type { AppConfig } from '@app/config';
import { FieldCipher, KeyRing } from '@app/crypto';
import { createLogStore, type RotationResult } from '@app/logstore';
import { rotateTokenCache } from '@app/microsoft';
import { rotateSqlKeys, type RotationProgress } from '@app/persistence';
import { createRedisClient, waitUntilReady, type RedisRotationResult } from '@app/queue';
import { rotateLegacyAlertSettings } from './rotate-legacy-alert-settings';

/** What `npm run keys:rotate` did, per place the product keeps encrypted values. */
export interface KeyRotationReport {
  activeKeyId: string;
  /** Every column of ENCRYPTED_COLUMNS (secrets, contact data, webhook secrets, CSV uploads). */
  sql: RotationProgress[];
  /** Snapshot parts in the log store (embedded file or MongoDB). */
  logStore: RotationResult;
  /** App-only Graph tokens shared in Redis. */
  tokenCache: RedisRotationResult;
  /** Alert settings an earlier version kept in Redis, not yet moved to SQL. */
  legacyAlertSettings: RedisRotationResult;
}

/**
 * Re-encrypts every encrypted value the product keeps, wherever it is kept, with the active
 * key: SQL columns, the log store's snapshots, the Redis token cache and legacy alert settings.
 * Each part is batched, compare-and-set and resumable, so it runs while the product runs and a
 * re-run finishes an interrupted one. Afterwards keys other than the active one (and the
 * blind-index key) can be removed: nothing the product reads is sealed under them.
 */
export async function rotateAllKeys(
  config: Pick<
    AppConfig,
    'database' | 'encryption' | 'mongo' | 'logRetentionDays' | 'dataDir' | 'redis'
  >,
  onProgress: (line: string) => void = () => undefined,
): Promise<KeyRotationReport> {
  const cipher = new FieldCipher(new KeyRing(config.encryption));
  const sql = await rotateSqlKeys(config.database, cipher, {
    onBatch: (p) =>
      onProgress(`${p.table}.${p.column}: scanned ${p.scanned}, re-encrypted ${p.reencrypted}`),
  });
  const logStore = await createLogStore(config, { cipher });
  let logStoreResult: RotationResult;
  try {
    logStoreResult = await logStore.reencryptSnapshots();
  } finally {
    await logStore.close();
  }
  onProgress(
    `log store snapshots: scanned ${logStoreResult.scanned}, re-encrypted ${logStoreResult.reencrypted}`,
  );
  const redis = createRedisClient(config.redis.url);
  try {
    await waitUntilReady(redis, 10_000);
    const tokenCache = await rotateTokenCache(redis, cipher, config.redis.keyPrefix);
    onProgress(
      `redis token cache: scanned ${tokenCache.scanned}, re-encrypted ${tokenCache.reencrypted}, dropped ${tokenCache.dropped}`,
    );
    const legacyAlertSettings = await rotateLegacyAlertSettings(
      redis,
      cipher,
      config.redis.keyPrefix,
    );
    onProgress(
      `redis legacy alert settings: scanned ${legacyAlertSettings.scanned}, re-encrypted ${legacyAlertSettings.reencrypted}`,
    );
    return {
      activeKeyId: config.encryption.activeKeyId,
      sql,
      logStore: logStoreResult,
      tokenCache,
      legacyAlertSettings,
    };
  } finally {
    redis.disconnect();
  }
}
