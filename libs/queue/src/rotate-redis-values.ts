import type { Redis } from 'ioredis';

/** What a rotation pass over one kind of Redis value did. */
export interface RedisRotationResult {
  scanned: number;
  reencrypted: number;
  /** Values that no key in the ring opens any more: deleted, so the next read is a cache miss. */
  dropped: number;
  /** Values changed or expired between our read and our write: left to their writer. */
  changedMeanwhile: number;
}

/**
 * Replaces a value only if it still holds what we read, keeping its remaining time to live.
 * ARGV[2] = '' deletes it instead.
 */
const COMPARE_AND_SET = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('del', KEYS[1]) return 1 end
local ttl = redis.call('pttl', KEYS[1])
if ttl > 0 then redis.call('set', KEYS[1], ARGV[2], 'PX', ttl) else redis.call('set', KEYS[1], ARGV[2]) end
return 1`;

/**
 * Walks the keys matching `pattern` (SCAN, so Redis is never blocked) and rewrites each value
 * `rewrite` changes: a string is the new value, `null` deletes the key (an unreadable cache
 * entry), `undefined` leaves it. A value changed meanwhile by the running product is left alone.
 */
export async function rotateRedisValues(
  redis: Redis,
  pattern: string,
  rewrite: (key: string, value: string) => string | null | undefined,
): Promise<RedisRotationResult> {
  const result: RedisRotationResult = {
    scanned: 0,
    reencrypted: 0,
    dropped: 0,
    changedMeanwhile: 0,
  };
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
    cursor = next;
    for (const key of keys) {
      const value = await redis.get(key);
      if (value === null) continue;
      result.scanned++;
      const replacement = rewrite(key, value);
      if (replacement === undefined) continue;
      const done = await redis.eval(COMPARE_AND_SET, 1, key, value, replacement ?? '');
      if (done !== 1) result.changedMeanwhile++;
      else if (replacement === null) result.dropped++;
      else result.reencrypted++;
    }
  } while (cursor !== '0');
  return result;
}
