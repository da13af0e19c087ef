import type { TypedToken } from '@app/config';
import type { Redis } from 'ioredis';

/** Injection token of the shared ioredis client used for health checks and locks. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT') as TypedToken<Redis>;
