import type { TypedToken } from '@app/config';
import type { Redis } from 'ioredis';

/** The ioredis connection BullMQ producers and workers use (maxRetriesPerRequest: null). */
export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION') as TypedToken<Redis>;
