/** Mailboxes of a tenant trying shorter windows at once. */
const PROBES = 3;

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
 * (elapsed + Retry-After), an upper bound of the window; the tightest offer wins and every
 * mailbox, running or starting, paces itself by it.
 *
 * Retry-After comes in whole seconds, so that bound can be up to a second loose, and mailboxes
 * started together are loose alike. The window is then narrowed by probing: a few mailboxes
 * keep to windows between what is known (see MailboxGate.throttled, at most the bound), in
 * small batches; a clean window makes one (+4 %) the new bound, a 429 the new floor. A failed probe costs one
 * mailbox a few requests and one wait. A 429 under the shared pace widens it by 5 %, once per
 * version.
 */
export class SharedMailboxPace {
  private pace: MailboxPace | undefined;
  private at = 0;
  /** longest window known to be too short */
  private floorMs = 0;
  /** windows being tried, with when */
  private readonly probes = new Map<number, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(): MailboxPace | undefined {
    if (this.pace && this.at <= this.now() - this.ttlMs) {
      this.pace = undefined;
      this.floorMs = 0;
      this.probes.clear();
    }
    return this.pace;
  }

  /** `windowMs` is at least the window; `floorMs` shorter than it. */
  offer(limit: number, windowMs: number, floorMs: number): void {
    const current = this.get();
    if (!current || windowMs < current.windowMs)
      this.pace = { limit, windowMs, version: (current?.version ?? 0) + 1 };
    this.floorMs = Math.max(this.floorMs, Math.min(floorMs, windowMs - 1));
    this.at = this.now();
  }

  /** A mailbox was throttled although it kept to `version` of the pace. */
  widen(version: number): void {
    const current = this.get();
    if (!current || current.version !== version) return;
    this.replace(current.limit, Math.ceil(current.windowMs * 1.05));
  }

  /**
   * A window to try, while the window is not known closely: up to three mailboxes at a time try
   * the quarter points between the floor and the bound, so each round cuts the gap by four.
   */
  claimProbe(): number | undefined {
    const current = this.get();
    if (!current) return undefined;
    const now = this.now();
    for (const [windowMs, at] of this.probes)
      if (at <= now - 30_000 || !this.probeLive(windowMs)) this.probes.delete(windowMs);
    // A try that holds becomes the bound at +4 %: only windows 5 % under it can improve it.
    const gap = current.windowMs / 1.05 - this.floorMs;
    if (gap <= Math.max(50, current.windowMs * 0.02)) return undefined;
    // The middle first (one mailbox alone does a binary search), then the upper and lower
    // quarter points.
    for (const i of [2, 3, 1]) {
      const windowMs = Math.ceil(this.floorMs + (gap * i) / (PROBES + 1));
      if (![...this.probes.keys()].some((w) => Math.abs(w - windowMs) < gap / (2 * PROBES))) {
        this.probes.set(windowMs, now);
        return windowMs;
      }
    }
    return undefined;
  }

  /** Whether a tried window still tells us something (between the floor and the bound). */
  probeLive(windowMs: number): boolean {
    const current = this.get();
    return current !== undefined && windowMs > this.floorMs && windowMs * 1.04 < current.windowMs;
  }

  probeSucceeded(windowMs: number): void {
    const current = this.get();
    this.probes.delete(windowMs);
    // 4 % over what one mailbox got away with: the others' requests meet other delays.
    const bound = Math.ceil(windowMs * 1.04);
    if (current && bound < current.windowMs) this.replace(current.limit, bound);
  }

  probeFailed(windowMs: number): void {
    this.probes.delete(windowMs);
    this.floorMs = Math.max(this.floorMs, windowMs);
  }

  private replace(limit: number, windowMs: number): void {
    this.pace = { limit, windowMs, version: (this.pace?.version ?? 0) + 1 };
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
