/**
 * libs/queue: Redis, queue names, job payloads, job options and the producers (SyncQueues).
 *
 * One Redis token: REDIS_CLIENT (RedisModule) is the client for our own commands. BullMQ's
 * connection is SyncQueues.connection (QueueModule), shared by producers and the worker.
 *
 * Adding a queue and its processor:
 *   1. its name in `QueueName` (queue-names.ts) and its payload in `JobPayloads` (job-payloads.ts);
 *   2. in apps/worker/src/processors, `@QueueProcessor(QueueName.X)` on the class and
 *      `process(job: ProcessorJob<'x'>)`: the decorator refuses at compile time a `process`
 *      that takes another queue's jobs (see queue-processor.spec.ts);
 *   3. the class in the worker's PROCESSORS map.
 */
export * from './create-redis-client';
export * from './job-ids';
export * from './job-options';
export * from './job-payloads';
export * from './log-queue-errors';
export * from './processor-job';
export * from './queue-names';
export * from './queue-processor.decorator';
export * from './redis.module';
export * from './redis.tokens';
export * from './sync-queues';
export * from './queue.module';
export * from './rotate-redis-values';
export * from './wait-until-ready';
