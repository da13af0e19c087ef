const MAX_BATCH = 20;
/** Width of a mailbox's first write batch while nothing is known of its budget. */
const SLOW_START_WIDTH = 5;

/** A mailbox's budget as learned from its 429s: at most `limit` requests per `windowMs`. */
export interface MailboxPace {
  limit: number;
  windowMs: number;
}

export interface MailboxGateOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The pace another mailbox of the tenant learned: Graph's limits are per app and mailbox,
   * the same for every mailbox of a tenant, so a new job need not overshoot to learn it. */
  hint?: MailboxPace;
  /** Called when this gate learns a pace from a 429 of its own. */
  onLearned?: (pace: MailboxPace) => void;
}

interface LearnedPace {
  /** most requests the mailbox took within one window */
  limit: number;
  windowMs: number;
  /** what we sent, oldest first: [time, requests] */
  sent: Array<[number, number]>;
}

/**
 * Holds every request to one mailbox while a Retry-After is pending, so nothing reaches a
 * mailbox that asked us to wait, and paces the mailbox once it has throttled us. One gate per
 * mailbox job (the fleet-wide mailbox lock makes the job the only writer).
 *
 * Pacing: Graph never tells a client its budget, only "429, wait R". When it does, the gate
 * knows how many requests the mailbox accepted since we started (or last waited) and when:
 * it took that many within (elapsed + R), so the gate becomes a sliding-window limiter of that
 * many per that long, the shape of the mailbox's own budget. Sending the full width and
 * eating a 429 every window cost 13 % of all requests in the M-tier envelope benchmark; a
 * token bucket at the same rate still overshoots a sliding window (its burst plus a window's
 * refill). A later 429 lowers the limit; nothing raises it within a job.
 *
 * Learning costs the requests sent past the budget in the batch that crossed it, so a gate
 * that knows nothing grows its write batches 5, 10, 20 (slow start: two extra round trips per
 * mailbox when nothing throttles), and starts from the tenant's hint when there is one.
 */
export class MailboxGate {
  private blockedUntil = 0;
  retries = 0;
  throttledResponses = 0;
  private cycleStart: number | undefined;
  private lastSentAt: number | undefined;
  private acceptedInCycle = 0;
  private learned: LearnedPace | undefined;
  private width: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onLearned?: (pace: MailboxPace) => void;

  constructor(options: MailboxGateOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? delay;
    this.onLearned = options.onLearned;
    if (options.hint) {
      this.learned = { ...options.hint, sent: [] };
      this.width = MAX_BATCH;
    } else this.width = SLOW_START_WIDTH;
  }

  /** The widest $batch for this mailbox now: 20, less during slow start or when paced. */
  get batchSize(): number {
    return this.learned ? Math.min(MAX_BATCH, this.learned.limit) : this.width;
  }

  /**
   * How many requests to put in the next $batch: the widest, or once paced what the window has
   * room for now, so a window is filled rather than waited out for a full batch (but not below
   * a quarter of the limit, to keep batches worth their round trip).
   */
  nextBatchSize(): number {
    const pace = this.learned;
    if (!pace) return this.width;
    const room = pace.limit - this.inWindow(pace, this.now());
    return Math.max(1, Math.min(this.batchSize, Math.max(room, Math.ceil(pace.limit / 4))));
  }

  /** The learned budget (requests per window), once the mailbox has throttled us. */
  get pace(): { limit: number; windowMs: number } | undefined {
    return this.learned && { limit: this.learned.limit, windowMs: this.learned.windowMs };
  }

  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
  }

  /** Requests the mailbox answered (anything but a throttling status): they used its budget. */
  accepted(count: number): void {
    this.acceptedInCycle += count;
    if (count >= this.width) this.width = Math.min(MAX_BATCH, this.width * 2);
  }

  /** The mailbox answered 429 with this Retry-After: learn the pace, then hold requests. */
  throttled(retryAfterMs: number): void {
    const now = this.now();
    const wait = Math.max(1, retryAfterMs);
    if (!this.learned) {
      if (this.acceptedInCycle > 0 && this.cycleStart !== undefined)
        this.learned = {
          limit: this.acceptedInCycle,
          // From our first request to the one the mailbox refused: the refusal was decided after
          // that request left, so this (plus R, rounded up by Graph) is at least its window.
          windowMs: (this.lastSentAt ?? now) - this.cycleStart + wait,
          sent: [],
        };
      if (this.learned) this.onLearned?.(this.pace!);
    } else {
      // Throttled although paced: the mailbox takes less than we learned (or others use it).
      this.learned.limit = Math.max(1, Math.floor(this.learned.limit * 0.8));
    }
    this.cycleStart = undefined;
    this.acceptedInCycle = 0;
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
    const now = this.now();
    if (this.learned && count > 0) this.learned.sent.push([now, count]);
    if (count > 0) {
      this.lastSentAt = now;
      if (this.cycleStart === undefined) this.cycleStart = now;
    }
  }

  private inWindow(pace: LearnedPace, now: number): number {
    const sent = pace.sent;
    while (sent.length > 0 && sent[0][0] <= now - pace.windowMs) sent.shift();
    return sent.reduce((sum, [, n]) => sum + n, 0);
  }

  private paceWaitMs(count: number): number {
    const pace = this.learned;
    if (!pace || count === 0) return 0;
    const now = this.now();
    let inWindow = this.inWindow(pace, now);
    const sent = pace.sent;
    const need = Math.min(count, pace.limit);
    // Wait until enough of the oldest sends have left the window.
    for (const [time, n] of sent) {
      if (inWindow + need <= pace.limit) return 0;
      inWindow -= n;
      if (inWindow + need <= pace.limit) return Math.max(1, time + pace.windowMs - now + 1);
    }
    return 0;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
