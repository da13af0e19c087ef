export * from './create-redis-client';
export * from './job-ids';
export * from './job-options';
export * from './job-payloads';
export * from './queue-names';
export * from './redis.module';
export * from './redis.tokens';
export * from './sync-queues';
