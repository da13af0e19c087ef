import { APP_CONFIG, factoryProvider } from '@app/config';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createRedisClient } from './create-redis-client';
import { QUEUE_CONNECTION } from './queue-connection.token';
import { SyncQueues } from './sync-queues';

/**
 * The queue producers (SyncQueues) on their own connection: all an app needs to enqueue work.
 * The worker's processors use the same connection.
 */
@Global()
@Module({
  providers: [
    factoryProvider(QUEUE_CONNECTION, [APP_CONFIG], (config) =>
      createRedisClient(config.redis.url, { maxRetriesPerRequest: null, enableOfflineQueue: true }),
    ),
    factoryProvider(
      SyncQueues,
      [QUEUE_CONNECTION, APP_CONFIG],
      (connection, config) => new SyncQueues(connection, config.redis.keyPrefix),
    ),
  ],
  exports: [QUEUE_CONNECTION, SyncQueues],
})
export class QueueModule implements OnApplicationShutdown {
  constructor(
    private readonly queues: SyncQueues,
    @Inject(QUEUE_CONNECTION) private readonly connection: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
    this.connection.disconnect();
  }
}
