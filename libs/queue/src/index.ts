export * from './create-redis-client';
export * from './redis.module';
export * from './redis.tokens';
