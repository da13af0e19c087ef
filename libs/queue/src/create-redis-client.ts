import { Redis, type RedisOptions } from 'ioredis';

/**
 * A client that fails fast while Redis is down (no offline queue, one retry per command)
 * and keeps reconnecting in the background, so callers see errors, not hangs, and recover
 * on their own when Redis returns.
 */
export function createRedisClient(url: string, overrides: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
    ...overrides,
  });
  // Without a listener ioredis prints every failed reconnect; readiness reports the state instead.
  client.on('error', () => undefined);
  client.connect().catch(() => undefined);
  return client;
}
