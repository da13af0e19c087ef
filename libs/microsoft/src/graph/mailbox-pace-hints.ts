/** A mailbox budget as learned from 429s: at most `limit` requests per `windowMs`. */
export interface MailboxPace {
  limit: number;
  windowMs: number;
  /** bumped on every change, so simultaneous reports about one pace count once */
  version: number;
}

/**
 * The mailbox budget of one tenant's mailboxes, shared by the mailbox jobs of a worker process.
 * Graph's mailbox limits are per app and mailbox, the same for every mailbox of a tenant. Each
 * mailbox that gets throttled offers what it saw: it had `accepted` requests taken within
 * (elapsed + Retry-After), an upper bound of the window, with Retry-After rounded up to whole
 * seconds. The tightest offer wins, so with many mailboxes the window is known to within
 * milliseconds rather than to within Graph's rounding; every mailbox, running or starting,
 * paces itself by it. A 429 under the shared pace widens it by 5 %, once per version.
 */
export class SharedMailboxPace {
  private pace: MailboxPace | undefined;
  private at = 0;

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(): MailboxPace | undefined {
    if (this.pace && this.at <= this.now() - this.ttlMs) this.pace = undefined;
    return this.pace;
  }

  offer(limit: number, windowMs: number): void {
    const current = this.get();
    if (!current || windowMs < current.windowMs)
      this.pace = { limit, windowMs, version: (current?.version ?? 0) + 1 };
    this.at = this.now();
  }

  /** A mailbox was throttled although it kept to `version` of the pace. */
  widen(version: number): void {
    const current = this.get();
    if (!current || current.version !== version) return;
    this.pace = {
      limit: current.limit,
      windowMs: Math.ceil(current.windowMs * 1.05),
      version: current.version + 1,
    };
    this.at = this.now();
  }
}

/** The shared pace of each tenant in this worker process. */
export class MailboxPaceHints {
  private readonly tenants = new Map<string, SharedMailboxPace>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  forTenant(tenantId: string): SharedMailboxPace {
    let shared = this.tenants.get(tenantId);
    if (!shared) {
      shared = new SharedMailboxPace(this.ttlMs, this.now);
      this.tenants.set(tenantId, shared);
    }
    return shared;
  }
}
