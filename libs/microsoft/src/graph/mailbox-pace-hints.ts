/** Mailboxes of a tenant trying shorter windows at once. */
const PROBES = 3;
/**
 * A spacing one mailbox got away with becomes the bound at this much more: the others'
 * requests meet other delays (a model of the M envelope: 60 ms either way on 2 s).
 */
const HELD_MARGIN = 0.03;
/** A 429 to a send that kept to the pace widens it by this much. */
const PACED_REFUSAL_WIDENING = 0.03;
/** Over the longest spacing known too short, once that is past every bound. */
const REFUSED_MARGIN = 0.02;
/**
 * How far past the bound the limit was learned with a floor may go before the limit, not the
 * window, is taken to be wrong: far more than delays can explain.
 */
const LIMIT_DOUBT = 1.5;

/** A mailbox budget as learned from 429s: at most `limit` requests per `windowMs`. */
export interface MailboxPace {
  limit: number;
  windowMs: number;
  /** bumped on every change */
  version: number;
}

/**
 * What one 429 tells: the refused request needed to go more than `lowerMs` and at most
 * `upperMs` after the `limit`-th most recent request the mailbox had taken.
 */
export interface RefusalSample {
  limit: number;
  lowerMs: number;
  upperMs: number;
}

/**
 * The mailbox budget of one tenant's mailboxes, shared by the mailbox jobs of a worker process.
 * Graph's mailbox limits are per app and mailbox, the same for every mailbox of a tenant.
 *
 * Each 429 gives an interval for the spacing the window needs (see MailboxGate.throttled); the
 * tenant keeps the longest spacing known too short (the floor) and the shortest known enough
 * (the bound), and every mailbox, running or starting, keeps to the bound. Retry-After comes in
 * whole seconds and mailboxes started together cross their budget alike, so the first bound is
 * often most of a second loose: a few mailboxes then try windows between floor and bound, one
 * small batch each, sent as soon as the tried window lets them; the spacing it went at, if taken
 * (+3 %), is the new bound, a 429 raises the floor. A failed try costs its job a whole-second
 * Retry-After, so a job whose try failed tries again only when no other job does.
 *
 * Requests meet different delays, so a floor can pass the bound: then the window is the floor
 * +2 %, and each 429 under it raises the floor (and so the window) again.
 */
export class SharedMailboxPace {
  private pace: MailboxPace | undefined;
  private at = 0;
  private floorMs = 0;
  private boundMs = Infinity;
  /** the bound when the limit was learned */
  private ceilingMs = Infinity;
  /** windows being tried, with when */
  private readonly probes = new Map<number, number>();
  private readonly failedProbers = new WeakSet<object>();
  private lastClaimAt = -Infinity;

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(): MailboxPace | undefined {
    if (this.pace && this.at <= this.now() - this.ttlMs) {
      this.pace = undefined;
      this.floorMs = 0;
      this.boundMs = this.ceilingMs = Infinity;
      this.probes.clear();
    }
    return this.pace;
  }

  /**
   * A 429 to one of the tenant's mailboxes; `pacedBy`: the version of the pace its send kept
   * to.
   */
  refused(sample: RefusalSample, pacedBy?: number): void {
    const current = this.get();
    const limit = current?.limit ?? sample.limit;
    this.floorMs = Math.max(this.floorMs, sample.lowerMs);
    this.boundMs = Math.min(this.boundMs, sample.upperMs);
    if (
      current &&
      current.version === pacedBy &&
      this.floorMs < this.boundMs &&
      this.boundMs <= current.windowMs
    ) {
      // Refused although it kept to the pace, and the floor (which never overstates) cannot
      // say by how much: the bound came out short (our requests meet different delays on the
      // way). Widen it, once per version, however many sends report it.
      this.boundMs = Math.ceil(current.windowMs * (1 + PACED_REFUSAL_WIDENING));
    }
    this.update(limit);
  }

  /**
   * A window for `prober` to try, while the window is not known closely: up to three mailboxes
   * at a time try the middle and the quarter points of what a try can still improve.
   */
  claimProbe(prober: object): number | undefined {
    const current = this.get();
    if (!current) return undefined;
    const now = this.now();
    // A job whose try failed tries again only when no other has tried for two windows.
    if (this.failedProbers.has(prober) && now - this.lastClaimAt < 2 * current.windowMs)
      return undefined;
    for (const [windowMs, at] of this.probes)
      if (at <= now - 30_000 || !this.probeLive(windowMs)) this.probes.delete(windowMs);
    // A try that holds becomes the bound at +3 %: only windows 4 % under it can improve it.
    const gap = current.windowMs / (1 + HELD_MARGIN + 0.01) - this.floorMs;
    if (gap <= Math.max(50, current.windowMs * 0.02)) return undefined;
    // The middle first (one mailbox alone does a binary search), then the upper and lower
    // quarter points.
    for (const i of [2, 3, 1]) {
      const windowMs = Math.ceil(this.floorMs + (gap * i) / (PROBES + 1));
      if (![...this.probes.keys()].some((w) => Math.abs(w - windowMs) < gap / (2 * PROBES))) {
        this.probes.set(windowMs, now);
        this.lastClaimAt = now;
        return windowMs;
      }
    }
    return undefined;
  }

  /** Whether a tried window still tells us something (between the floor and the bound). */
  probeLive(windowMs: number): boolean {
    const current = this.get();
    return (
      current !== undefined &&
      windowMs > this.floorMs &&
      windowMs * (1 + HELD_MARGIN) < current.windowMs
    );
  }

  /**
   * A try of `windowMs` was taken, its first request `spacingMs` after the request the window
   * held (undefined: the try told nothing).
   */
  probeHeld(windowMs: number, spacingMs: number | undefined): void {
    this.probes.delete(windowMs);
    const current = this.get();
    if (spacingMs === undefined || !current) return;
    this.boundMs = Math.min(this.boundMs, Math.ceil(spacingMs * (1 + HELD_MARGIN)));
    this.update(current.limit);
  }

  /** A try of `windowMs` by `prober` was refused. */
  probeFailed(windowMs: number, sample: RefusalSample | undefined, prober: object): void {
    this.probes.delete(windowMs);
    this.failedProbers.add(prober);
    const current = this.get();
    if (!current) return;
    this.floorMs = Math.max(this.floorMs, windowMs, sample?.lowerMs ?? 0);
    this.update(current.limit);
  }

  private update(limit: number): void {
    if (!this.pace) this.ceilingMs = this.boundMs;
    else if (this.floorMs > this.ceilingMs * LIMIT_DOUBT) {
      // The mailbox holds fewer requests than the first 429 said (its count took in one the
      // window had let go): learn the window again with one fewer.
      limit = Math.max(1, limit - 1);
      this.floorMs = 0;
      this.boundMs = this.ceilingMs;
    }
    const windowMs = Math.ceil(
      this.floorMs < this.boundMs ? this.boundMs : this.floorMs * (1 + REFUSED_MARGIN),
    );
    this.at = this.now();
    if (this.pace?.windowMs === windowMs && this.pace.limit === limit) return;
    this.pace = { limit, windowMs, version: (this.pace?.version ?? 0) + 1 };
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
