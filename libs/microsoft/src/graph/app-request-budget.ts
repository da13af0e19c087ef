import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Graph's global limit per app across all tenants (130,000 requests per 10 s), shared by every
 * worker through Redis. Each sub-request of a $batch counts, as Graph counts them.
 */
export class AppRequestBudget {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, requestsPer10s: number, keyPrefix: string) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}:graph-app-budget`,
      points: requestsPer10s,
      duration: 10,
    });
  }

  /** Waits until `requests` fit in the budget. */
  async take(requests: number): Promise<void> {
    for (;;) {
      try {
        await this.limiter.consume('app', requests);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        await new Promise((resolve) => setTimeout(resolve, Math.max(50, rejection.msBeforeNext)));
      }
    }
  }
}
