import type { Redis } from 'ioredis';

export type MailboxTransport = 'graph' | 'ews';

/**
 * Which transport reaches a mailbox, remembered in Redis for a week (a cache: when Redis loses
 * it, the next job probes Graph again — one request — and finds the same answer).
 */
export class MailboxRoutes {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlSeconds = 7 * 24 * 3600,
  ) {}

  private key(tenantId: string, mailboxId: string): string {
    return `${this.keyPrefix}mailbox-route:${tenantId}:${mailboxId}`;
  }

  async get(tenantId: string, mailboxId: string): Promise<MailboxTransport | undefined> {
    const v = await this.redis.get(this.key(tenantId, mailboxId)).catch(() => null);
    return v === 'graph' || v === 'ews' ? v : undefined;
  }

  async set(tenantId: string, mailboxId: string, transport: MailboxTransport): Promise<void> {
    await this.redis
      .set(this.key(tenantId, mailboxId), transport, 'EX', this.ttlSeconds)
      .catch(() => undefined);
  }
}
