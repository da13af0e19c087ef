import type { Redis } from 'ioredis';

// KEYS: tenant slots (sorted set, scored by lease expiry), mailbox lock.
// ARGV: now, limit, holder, slot expiry, slot set ttl, lock ttl.
// Returns 1 granted, 0 the tenant has its maximum in progress, 2 the mailbox is locked.
const ACQUIRE = `
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
local had = redis.call('zscore', KEYS[1], ARGV[3])
if not had and redis.call('zcard', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
local lock = redis.call('get', KEYS[2])
if lock and lock ~= ARGV[3] then return 2 end
redis.call('zadd', KEYS[1], ARGV[4], ARGV[3])
redis.call('pexpire', KEYS[1], ARGV[5])
redis.call('set', KEYS[2], ARGV[3], 'PX', ARGV[6])
return 1`;

// Renews both, each only while this holder still has it.
const RENEW = `
if redis.call('zscore', KEYS[1], ARGV[3]) then
  redis.call('zadd', KEYS[1], ARGV[4], ARGV[3])
  redis.call('pexpire', KEYS[1], ARGV[5])
end
if redis.call('get', KEYS[2]) == ARGV[3] then redis.call('pexpire', KEYS[2], ARGV[6]) return 1 end
return 0`;

const RELEASE = `
redis.call('zrem', KEYS[1], ARGV[1])
if redis.call('get', KEYS[2]) == ARGV[1] then redis.call('del', KEYS[2]) end
return 1`;

type LeaseCommands = {
  mailboxLeaseAcquire(...args: (string | number)[]): Promise<number>;
  mailboxLeaseRenew(...args: (string | number)[]): Promise<number>;
  mailboxLeaseRelease(...args: (string | number)[]): Promise<number>;
};

export type LeaseOutcome = 'granted' | 'tenant_full' | 'mailbox_busy';

/**
 * What a mailbox job holds while it runs: one of its tenant's slots (a cap on one tenant's
 * mailboxes in progress across the fleet, so a tenant with 10,000 mailboxes cannot take every
 * worker from a tenant with 10) and the mailbox's fleet-wide lock (so two lists, or a retried
 * job and its ghost, never write to one mailbox at once). Both expire by themselves if the
 * holder dies; the holder renews them. Taken, renewed and given back together, one script
 * (EVALSHA) each: a 10,000-mailbox no-op sync is mostly such round trips.
 */
export class MailboxLease {
  private readonly redis: Redis & LeaseCommands;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    private readonly options: {
      lockTtlMs?: number;
      slotLeaseMs?: number;
      now?: () => number;
    } = {},
  ) {
    if (!('mailboxLeaseAcquire' in redis)) {
      redis.defineCommand('mailboxLeaseAcquire', { numberOfKeys: 2, lua: ACQUIRE });
      redis.defineCommand('mailboxLeaseRenew', { numberOfKeys: 2, lua: RENEW });
      redis.defineCommand('mailboxLeaseRelease', { numberOfKeys: 2, lua: RELEASE });
    }
    this.redis = redis as Redis & LeaseCommands;
  }

  async acquire(
    tenantId: string,
    mailboxId: string,
    holder: string,
    tenantLimit: number,
  ): Promise<LeaseOutcome> {
    const result = await this.redis.mailboxLeaseAcquire(
      ...this.keys(tenantId, mailboxId),
      ...this.times(),
      tenantLimit,
      holder,
      ...this.expiries(),
    );
    return result === 1 ? 'granted' : result === 2 ? 'mailbox_busy' : 'tenant_full';
  }

  /** False when the mailbox lock is no longer this holder's (it lapsed and another took it). */
  async renew(tenantId: string, mailboxId: string, holder: string): Promise<boolean> {
    return (
      (await this.redis.mailboxLeaseRenew(
        ...this.keys(tenantId, mailboxId),
        ...this.times(),
        0,
        holder,
        ...this.expiries(),
      )) === 1
    );
  }

  async release(tenantId: string, mailboxId: string, holder: string): Promise<void> {
    await this.redis.mailboxLeaseRelease(...this.keys(tenantId, mailboxId), holder);
  }

  /** The tenant's mailboxes in progress across the fleet. */
  async inUse(tenantId: string): Promise<number> {
    const [slots] = this.keys(tenantId, '');
    await this.redis.zremrangebyscore(slots, '-inf', this.now());
    return this.redis.zcard(slots);
  }

  // Both keys carry the tenant as a Redis Cluster hash tag: a script may only touch keys of one
  // slot there (CROSSSLOT otherwise).
  private keys(tenantId: string, mailboxId: string): [string, string] {
    return [
      `${this.keyPrefix}:{${tenantId}}:tenant-slots`,
      `${this.keyPrefix}:{${tenantId}}:mailbox-lock:${mailboxId}`,
    ];
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private times(): [number] {
    return [this.now()];
  }

  private expiries(): [number, number, number] {
    const slotLeaseMs = this.options.slotLeaseMs ?? 120_000;
    return [this.now() + slotLeaseMs, slotLeaseMs * 2, this.options.lockTtlMs ?? 30_000];
  }
}
