import type { FieldCipher } from '@app/crypto';
import { rotateRedisValues, type RedisRotationResult } from '@app/queue';
import type { Redis } from 'ioredis';

/**
 * Key rotation of alert settings an earlier version kept in Redis (`<prefix>:alerts:settings:
 * <tenant>`, moved to SQL by AlertsService.moveLegacySettings on the first alert check): their
 * webhook secret is sealed again under the active key with the context AlertsService opens it
 * with, so the move still works once the old key is gone. A secret no key opens is left as it
 * is (it cannot be recovered; the move reports it).
 */
export function rotateLegacyAlertSettings(
  redis: Redis,
  cipher: FieldCipher,
  keyPrefix: string,
): Promise<RedisRotationResult> {
  const prefix = `${keyPrefix}:alerts:settings:`;
  return rotateRedisValues(redis, `${prefix}*`, (key, raw) => {
    let settings: { webhookSecretEncrypted?: string | null };
    try {
      settings = JSON.parse(raw) as typeof settings;
    } catch {
      return undefined;
    }
    const sealed = settings.webhookSecretEncrypted;
    if (!sealed || !cipher.needsRotation(sealed)) return undefined;
    const tenantId = key.slice(prefix.length);
    const context = {
      tenantId,
      table: 'alert_settings',
      rowId: tenantId,
      column: 'webhook_secret',
    };
    try {
      return JSON.stringify({
        ...settings,
        webhookSecretEncrypted: cipher.reencrypt(sealed, context),
      });
    } catch {
      return undefined;
    }
  });
}
