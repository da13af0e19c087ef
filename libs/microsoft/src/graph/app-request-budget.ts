import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Graph's global limit per app across all tenants (130,000 requests per 10 s), shared by every
 * worker through Redis. Each sub-request of a $batch counts, as Graph counts them.
 *
 * A worker takes the budget from Redis in leases of 1 % of it and spends them locally: one Redis
 * round trip per lease instead of one per Graph request (that round trip was the largest single
 * cost of a no-op mailbox job). A lease lasts only until the Redis window it came from ends, so
 * the fleet never spends more than the budget within one window.
 */
export class AppRequestBudget {
  private readonly limiter: RateLimiterRedis;
  private readonly leaseSize: number;
  private leased = 0;
  private leaseEndsAt = 0;

  constructor(
    redis: Redis,
    requestsPer10s: number,
    keyPrefix: string,
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}:graph-app-budget`,
      points: requestsPer10s,
      duration: 10,
    });
    this.leaseSize = Math.floor(requestsPer10s / 100);
  }

  /** Waits until `requests` fit in the budget. */
  async take(requests: number): Promise<void> {
    if (this.leased >= requests && this.now() < this.leaseEndsAt) {
      this.leased -= requests;
      return;
    }
    let want = Math.max(requests, this.leaseSize);
    for (;;) {
      try {
        const granted = await this.limiter.consume('app', want);
        this.leased = want - requests;
        this.leaseEndsAt = this.now() + granted.msBeforeNext;
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        want = requests; // near the limit, ask for no more than this request needs
        await new Promise((resolve) => setTimeout(resolve, Math.max(50, rejection.msBeforeNext)));
      }
    }
  }
}
