import type { Redis } from 'ioredis';

const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
const RENEW =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";

/**
 * A fleet-wide lock per mailbox, so two lists (or a retried job and its ghost) never write to
 * one mailbox at the same time. It expires on its own if its holder dies; the holder renews it.
 */
export class MailboxLock {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs = 30_000,
  ) {}

  async acquire(tenantId: string, mailboxId: string, owner: string): Promise<boolean> {
    return (
      (await this.redis.set(this.key(tenantId, mailboxId), owner, 'PX', this.ttlMs, 'NX')) === 'OK'
    );
  }

  async renew(tenantId: string, mailboxId: string, owner: string): Promise<boolean> {
    return (
      (await this.redis.eval(RENEW, 1, this.key(tenantId, mailboxId), owner, this.ttlMs)) === 1
    );
  }

  async release(tenantId: string, mailboxId: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(tenantId, mailboxId), owner);
  }

  private key(tenantId: string, mailboxId: string): string {
    return `${this.keyPrefix}:mailbox-lock:${tenantId}:${mailboxId}`;
  }
}
