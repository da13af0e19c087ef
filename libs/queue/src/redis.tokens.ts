import type { TypedToken } from '@app/config';
import type { Redis } from 'ioredis';

/**
 * The one injection token of a Redis client: ours for health checks, locks, sessions, rate
 * limits and caches. It fails fast while Redis is down (callers see errors, not hangs).
 * BullMQ's connection is not injectable; it lives in SyncQueues.
 */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT') as TypedToken<Redis>;
