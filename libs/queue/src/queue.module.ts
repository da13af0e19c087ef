import { APP_CONFIG, factoryProvider } from '@app/config';
import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createRedisClient } from './create-redis-client';
import { SyncQueues } from './sync-queues';

/**
 * The queue producers (SyncQueues) on BullMQ's own connection: all an app needs to enqueue
 * work. The worker's processors use the same connection (`SyncQueues.connection`); it is not
 * a Redis client for other code, which injects REDIS_CLIENT.
 */
@Global()
@Module({
  providers: [
    factoryProvider(
      SyncQueues,
      [APP_CONFIG],
      (config) =>
        new SyncQueues(
          createRedisClient(config.redis.url, {
            maxRetriesPerRequest: null,
            enableOfflineQueue: true,
          }),
          config.redis.keyPrefix,
        ),
    ),
  ],
  exports: [SyncQueues],
})
export class QueueModule implements OnApplicationShutdown {
  constructor(private readonly queues: SyncQueues) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
    this.queues.connection.disconnect();
  }
}
