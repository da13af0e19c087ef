/** Injection token of the shared ioredis client used for health checks and locks. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
