import type { Redis } from 'ioredis';
import { type CheckResult, withTimeout } from './health-check';

/**
 * Redis must answer and run with maxmemory-policy noeviction (BullMQ loses jobs otherwise).
 * Read through INFO, because managed Redis services often block CONFIG GET.
 */
export async function checkRedis(redis: Redis, timeoutMs = 2_000): Promise<CheckResult> {
  try {
    const info = await withTimeout(redis.info('memory'), timeoutMs, 'Redis');
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy !== 'noeviction') {
      return {
        status: 'down',
        maxmemoryPolicy: policy ?? 'unknown',
        error: `Redis maxmemory-policy is ${policy ?? 'unknown'}; it must be noeviction or queued jobs can be evicted`,
      };
    }
    return { status: 'up', maxmemoryPolicy: policy };
  } catch (error) {
    return { status: 'down', error: `Redis is unreachable: ${(error as Error).message}` };
  }
}
