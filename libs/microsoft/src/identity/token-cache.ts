import type { CipherContext, FieldCipher } from '@app/crypto';
import { rotateRedisValues, type RedisRotationResult } from '@app/queue';
import type { Redis } from 'ioredis';

/** Where the fleet's shared app-only token of a tenant lives in Redis (sealed). */
export function tokenCacheKey(keyPrefix: string, tenantId: string): string {
  return `${keyPrefix}:token:${tenantId}`;
}

/** The encryption context of a cached token: bound to its tenant. */
export function tokenCacheContext(tenantId: string): CipherContext {
  return { tenantId, table: 'token_cache', rowId: tenantId, column: 'graph_token' };
}

/**
 * Key rotation of the token cache: tokens under an older key are sealed again under the active
 * one (keeping their time to live); a token no key in the ring opens any more is dropped, which
 * the provider treats as a cache miss (it fetches a new token).
 */
export function rotateTokenCache(
  redis: Redis,
  cipher: FieldCipher,
  keyPrefix: string,
): Promise<RedisRotationResult> {
  const prefix = tokenCacheKey(keyPrefix, '');
  return rotateRedisValues(redis, `${prefix}*`, (key, sealed) => {
    if (!cipher.needsRotation(sealed)) return undefined;
    try {
      return cipher.reencrypt(sealed, tokenCacheContext(key.slice(prefix.length)));
    } catch {
      return null;
    }
  });
}
