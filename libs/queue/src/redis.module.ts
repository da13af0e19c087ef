import { APP_CONFIG, type AppConfig } from '@app/config';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { waitUntilReady } from './wait-until-ready';
import { createRedisClient } from './create-redis-client';
import { REDIS_CLIENT } from './redis.tokens';

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      // The client fails fast while Redis is down; at start it is given a moment to connect,
      // so the first requests (sign-in sessions, rate limits) do not fail on a connection
      // still opening. Redis down at start: the app starts anyway and readiness says so.
      useFactory: async (config: AppConfig) => {
        const client = createRedisClient(config.redis.url);
        await waitUntilReady(client, 2_000);
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
