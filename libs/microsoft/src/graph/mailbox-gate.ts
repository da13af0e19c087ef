import { SharedMailboxPace, type MailboxPace } from './mailbox-pace-hints';

const MAX_BATCH = 20;
/** Width of a mailbox's first write batch while nothing is known of its budget. */
const SLOW_START_WIDTH = 5;
/** Batch width while trying a shorter window for the tenant. */
const PROBE_BATCH = 3;
/** How far back our own sends are remembered before any pace says how long a window is. */
const UNPACED_MEMORY_MS = 60_000;

export interface MailboxGateOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The tenant's pace, shared with its other mailbox jobs (see SharedMailboxPace). */
  pace?: SharedMailboxPace;
}

/**
 * Holds every request to one mailbox while a Retry-After is pending, so nothing reaches a
 * mailbox that asked us to wait, and paces the mailbox once its tenant's mailboxes have been
 * throttled. One gate per mailbox job (the fleet-wide mailbox lock makes the job the only
 * writer).
 *
 * Graph never tells a client its budget, only "429, wait R". When it does, the gate knows how
 * many requests the mailbox accepted since we started (or last waited) and when: it took that
 * many within (elapsed + R), so the tenant's pace becomes a sliding-window limit of that many per
 * that long, the shape of the mailbox's own budget, which every gate keeps to by the log of its
 * own sends. Sending the full width and eating a 429 every window cost 13 % of all requests in
 * the M-tier envelope benchmark; a token bucket at the same rate still overshoots a sliding
 * window (its burst plus a window's refill).
 *
 * Learning costs the requests sent past the budget in the batch that crossed it, so a gate
 * that knows nothing grows its write batches 5, 10, 20 (slow start: two extra round trips per
 * mailbox when nothing throttles).
 */
export class MailboxGate {
  private blockedUntil = 0;
  retries = 0;
  throttledResponses = 0;
  private cycleStart: number | undefined;
  private firstAnsweredAt: number | undefined;
  private lastSentAt: number | undefined;
  private acceptedInCycle = 0;
  /** the pace version our sends since the last wait kept to */
  private pacedBy: number | undefined;
  /** what we sent, oldest first: [time, requests] */
  private readonly sent: Array<[number, number]> = [];
  private width = SLOW_START_WIDTH;
  /** a window this gate tries for its tenant, and how many requests it sent under it */
  private probing: { windowMs: number; sent: number } | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly shared: SharedMailboxPace;

  constructor(options: MailboxGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? delay;
    this.shared = options.pace ?? new SharedMailboxPace(Infinity, this.now);
  }

  /** The tenant's learned budget, once a mailbox has been throttled. */
  get pace(): { limit: number; windowMs: number } | undefined {
    const pace = this.shared.get();
    return pace && { limit: pace.limit, windowMs: pace.windowMs };
  }

  /** The widest $batch for this mailbox now: 20, less during slow start or when paced. */
  get batchSize(): number {
    const pace = this.shared.get();
    return pace ? Math.min(MAX_BATCH, pace.limit) : this.width;
  }

  /**
   * How many requests to put in the next $batch: the widest. Filling whatever room a paced
   * window has left splits a window into ever smaller batches, each a round trip late (a model
   * of the M envelope lost 4 points of utilisation to it); a gate trying a shorter window for
   * its tenant sends small batches, so a failed try costs few 429s.
   */
  nextBatchSize(): number {
    return this.probing ? Math.min(this.batchSize, PROBE_BATCH) : this.batchSize;
  }

  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
  }

  /** Requests the mailbox answered (anything but a throttling status): they used its budget. */
  accepted(count: number): void {
    if (count > 0 && this.firstAnsweredAt === undefined) this.firstAnsweredAt = this.now();
    this.acceptedInCycle += count;
    if (count >= this.width) this.width = Math.min(MAX_BATCH, this.width * 2);
  }

  /** The mailbox answered 429 with this Retry-After: learn from it, then hold requests. */
  throttled(retryAfterMs: number): void {
    const now = this.now();
    const wait = Math.max(1, retryAfterMs);
    if (this.probing) {
      this.shared.probeFailed(this.probing.windowMs);
      this.probing = undefined;
    } else if (this.pacedBy !== undefined) {
      // Throttled although we kept to the pace: it is a little too fast for this tenant.
      this.shared.widen(this.pacedBy);
    } else if (this.acceptedInCycle > 0 && this.cycleStart !== undefined) {
      // The window holds the cycle's first request until R after the refusal (R_true ≤ R, in
      // whole seconds: R_true > R − 1 s). The refusal came after our last send left, the first
      // request was taken before its answer came: so the window is longer than (last send −
      // first answer) + R − 1 s, and at most (now − first send) + R.
      const floor = (this.lastSentAt ?? now) - (this.firstAnsweredAt ?? now) + wait - 1_000;
      this.shared.offer(this.acceptedInCycle, now - this.cycleStart + wait, floor);
    }
    this.cycleStart = undefined;
    this.firstAnsweredAt = undefined;
    this.acceptedInCycle = 0;
    this.pacedBy = undefined;
    this.block(wait);
  }

  /** How long the next request must wait for a pending Retry-After. */
  waitMs(): number {
    return Math.max(0, this.blockedUntil - this.now());
  }

  /** Waits until `count` requests may go to the mailbox, then counts them as sent. */
  async pass(count = 1): Promise<void> {
    for (;;) {
      const wait = this.waitMs();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      const paceWait = this.paceWaitMs(count);
      if (paceWait > 0) {
        await this.sleep(paceWait);
        continue;
      }
      break;
    }
    if (count === 0) return;
    const now = this.now();
    this.sent.push([now, count]);
    this.lastSentAt = now;
    if (this.cycleStart === undefined) this.cycleStart = now;
    const pace = this.shared.get();
    if (!pace) {
      // Unpaced, the log only waits for a pace to appear: keep it to its last minute.
      this.forgetBefore(now - UNPACED_MEMORY_MS);
      return;
    }
    this.pacedBy = pace.version;
    if (this.probing) {
      this.probing.sent += count;
      // A window's worth and more sent under the tried window without a 429: it holds.
      if (this.probing.sent > pace.limit) {
        this.shared.probeSucceeded(this.probing.windowMs);
        this.probing = undefined;
      }
    } else {
      const windowMs = this.shared.claimProbe();
      if (windowMs !== undefined) this.probing = { windowMs, sent: 0 };
    }
  }

  /** The window this gate keeps to: the tenant's, or the one it is trying. */
  private windowOf(pace: MailboxPace): number {
    if (this.probing && !this.shared.probeLive(this.probing.windowMs)) this.probing = undefined;
    return this.probing ? this.probing.windowMs : pace.windowMs;
  }

  /** Requests we sent within `windowMs` before `now`, forgetting what no window can hold. */
  private inWindow(pace: MailboxPace | undefined, now: number, windowMs?: number): number {
    // The tenant's bound is the longest window kept to (a tried one is shorter).
    this.forgetBefore(now - (pace ? pace.windowMs : UNPACED_MEMORY_MS));
    const from = now - (windowMs ?? (pace ? this.windowOf(pace) : UNPACED_MEMORY_MS));
    let count = 0;
    for (const [time, n] of this.sent) if (time > from) count += n;
    return count;
  }

  private forgetBefore(horizon: number): void {
    while (this.sent.length > 0 && this.sent[0][0] <= horizon) this.sent.shift();
  }

  private paceWaitMs(count: number): number {
    const pace = this.shared.get();
    if (!pace || count === 0) return 0;
    const now = this.now();
    const windowMs = this.windowOf(pace);
    let inWindow = this.inWindow(pace, now, windowMs);
    const need = Math.min(count, pace.limit);
    if (inWindow + need <= pace.limit) return 0;
    // Wait until enough of the oldest sends in the window have left it.
    for (const [time, n] of this.sent) {
      if (time <= now - windowMs) continue;
      inWindow -= n;
      if (inWindow + need <= pace.limit) return Math.max(1, time + windowMs - now + 1);
    }
    return 0;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
