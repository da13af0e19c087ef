import type { MailboxPace } from './mailbox-gate';

/**
 * The last pace a mailbox of each tenant learned from its own 429s, for the next mailbox jobs of
 * that tenant in this worker process: Graph's mailbox limits are per app and mailbox, the same
 * for every mailbox of a tenant, so only the first jobs pay for learning them. A hint is
 * forgotten after `ttlMs`, so a tenant is not held to a pace its mailboxes no longer need.
 */
export class MailboxPaceHints {
  private readonly hints = new Map<string, { pace: MailboxPace; at: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(tenantId: string): MailboxPace | undefined {
    const hint = this.hints.get(tenantId);
    if (!hint) return undefined;
    if (hint.at <= this.now() - this.ttlMs) {
      this.hints.delete(tenantId);
      return undefined;
    }
    return hint.pace;
  }

  record(tenantId: string, pace: MailboxPace): void {
    this.hints.set(tenantId, { pace: { ...pace }, at: this.now() });
  }
}
