import type { Redis } from 'ioredis';

// Leases are scored by expiry: dead holders drop out by themselves.
const ACQUIRE = `
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
if redis.call('zscore', KEYS[1], ARGV[3]) then
  redis.call('zadd', KEYS[1], ARGV[4], ARGV[3])
  return 1
end
if redis.call('zcard', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('zadd', KEYS[1], ARGV[4], ARGV[3])
  redis.call('pexpire', KEYS[1], ARGV[5])
  return 1
end
return 0`;

/**
 * A cap on one tenant's mailboxes in progress across the fleet, so a tenant with 10,000
 * mailboxes cannot take every worker slot from a tenant with 10. A counting semaphore with
 * expiring leases (Redis sorted set); rate limits are a different tool (AppRequestBudget).
 */
export class TenantSlots {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly leaseMs = 120_000,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(tenantId: string, holder: string, limit: number): Promise<boolean> {
    const now = this.now();
    const result = await this.redis.eval(
      ACQUIRE,
      1,
      this.key(tenantId),
      now,
      limit,
      holder,
      now + this.leaseMs,
      this.leaseMs * 2,
    );
    return result === 1;
  }

  async release(tenantId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(tenantId), holder);
  }

  async inUse(tenantId: string): Promise<number> {
    await this.redis.zremrangebyscore(this.key(tenantId), '-inf', this.now());
    return this.redis.zcard(this.key(tenantId));
  }

  private key(tenantId: string): string {
    return `${this.keyPrefix}:tenant-slots:${tenantId}`;
  }
}
