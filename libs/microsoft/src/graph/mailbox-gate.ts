import { SharedMailboxPace, type MailboxPace, type RefusalSample } from './mailbox-pace-hints';

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

/** One pass through the gate: when, how many requests, and how many the mailbox took. */
interface Send {
  at: number;
  sent: number;
  accepted: number;
  /** answered: `accepted` is final (else the send still counts whole against the window) */
  done: boolean;
  /** when its answer came: each of its requests reached the mailbox between `at` and this */
  answeredAt?: number;
  /** the version of the tenant's pace it kept to (not set for a try or while unpaced) */
  pacedBy?: number;
}

/**
 * Holds every request to one mailbox while a Retry-After is pending, so nothing reaches a
 * mailbox that asked us to wait, and paces the mailbox once its tenant's mailboxes have been
 * throttled. One gate per mailbox job (the fleet-wide mailbox lock makes the job the only
 * writer, one request or $batch in flight at a time).
 *
 * Graph never tells a client its budget, only "429, wait R". When it does, the gate knows which
 * of its requests the mailbox took and when: the refused request would have been taken R (in
 * whole seconds: more than R − 1 s) later, when the oldest request of the window left it. So the
 * spacing that pair of requests needed was between (refused send − oldest send) + R − 1 s and
 * that + R; the tenant's pace (SharedMailboxPace) narrows those intervals into a sliding-window
 * limit, the shape of the mailbox's own budget, which every gate keeps to by the log of its own
 * sends. Sending the full width and eating a 429 every window cost 13 % of all requests in the
 * M-tier envelope benchmark; a token bucket at the same rate still overshoots a sliding window
 * (its burst plus a window's refill).
 *
 * Learning costs the requests sent past the budget in the batch that crossed it, so a gate
 * that knows nothing grows its write batches 5, 10, 20 (slow start: two extra round trips per
 * mailbox when nothing throttles).
 */
export class MailboxGate {
  private blockedUntil = 0;
  retries = 0;
  throttledResponses = 0;
  /** requests taken since we started or last waited, while no pace was known */
  private acceptedInCycle = 0;
  /** what we sent, oldest first */
  private readonly sent: Send[] = [];
  private width = SLOW_START_WIDTH;
  /** a window this gate tries for its tenant, and the send that tries it */
  private probing: { windowMs: number; send?: Send } | undefined;
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
   * How many requests to put in the next $batch. Paced, as many as fit once a quarter of the
   * widest does, or the widest if that fits soon after: a job that learns the pace mid-window
   * uses the rest of that window (5 of 32 mailboxes of a model of the M envelope needed a whole
   * extra window for their last 2 requests without), while the room single requests leave
   * does not split windows into ever smaller batches, each a round trip late. A gate trying a
   * shorter window for its tenant sends a small batch, so a failed try costs few 429s.
   */
  nextBatchSize(): number {
    const pace = this.shared.get();
    if (!pace) return this.width;
    const full = Math.min(MAX_BATCH, pace.limit);
    const start = this.now() + this.waitMs();
    if (!this.probing && this.paceWaitMs(1, start) > 0 && this.hasWindowTaken(pace)) {
      // Held by the window: this send can try a shorter one for the tenant.
      const windowMs = this.shared.claimProbe(this);
      if (windowMs !== undefined) this.probing = { windowMs };
    }
    if (this.probing) return Math.min(full, PROBE_BATCH);
    const quarter = start + this.paceWaitMs(Math.ceil(full / 4), start);
    if (this.paceWaitMs(full, start) + start - quarter <= pace.windowMs / 4) return full;
    return Math.min(full, pace.limit - this.inWindow(pace, quarter));
  }

  /** Whether the mailbox has taken a window's worth of ours (so a send pairs with one). */
  private hasWindowTaken(pace: MailboxPace): boolean {
    return this.sentAtAccepted(pace.limit, 0) !== undefined;
  }

  block(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
  }

  /** Requests the mailbox answered (anything but a throttling status): they used its budget. */
  accepted(count: number): void {
    const last = this.sent.at(-1);
    if (last) {
      last.answeredAt ??= this.now();
      last.accepted += count;
      if (last.accepted >= last.sent) last.done = true;
      if (this.probing?.send === last && last.done) {
        // The try held: its first request went this long after the one the window held.
        const paired = this.sentAtAccepted(this.shared.get()?.limit ?? Infinity, 1);
        this.shared.probeHeld(
          this.probing.windowMs,
          paired === undefined ? undefined : last.at - paired,
        );
        this.probing = undefined;
      }
    }
    this.acceptedInCycle += count;
    if (count >= this.width) this.width = Math.min(MAX_BATCH, this.width * 2);
  }

  /**
   * The mailbox answered 429 with this Retry-After to (part of) our last send: learn from it,
   * then hold requests.
   */
  throttled(retryAfterMs: number): void {
    const wait = Math.max(1, retryAfterMs);
    const last = this.sent.at(-1);
    if (last) {
      last.done = true; // the rest of it was refused: it took no budget
      last.answeredAt ??= this.now();
    }
    const sample = last && this.sampleOf(last, wait);
    if (this.probing) this.shared.probeFailed(this.probing.windowMs, sample, this);
    else if (sample) this.shared.refused(sample, last.pacedBy);
    this.probing = undefined;
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
    if (count === 0) return;
    const now = this.now();
    // One send in flight at a time: a new one means the last was answered.
    const last = this.sent.at(-1);
    if (last) {
      last.done = true;
      last.answeredAt ??= now;
    }
    this.sent.push({ at: now, sent: count, accepted: 0, done: false });
    const pace = this.shared.get();
    if (!pace) {
      // Unpaced, the log only waits for a pace to appear: keep it to its last minute.
      this.forgetBefore(now - UNPACED_MEMORY_MS);
      return;
    }
    if (!this.probing) this.sent.at(-1)!.pacedBy = pace.version;
    if (this.probing?.send) {
      // The try's send was answered neither way (a 5xx): it tells nothing.
      this.shared.probeHeld(this.probing.windowMs, undefined);
      this.probing = undefined;
    } else if (this.probing) this.probing.send = this.sent.at(-1);
  }

  /** What a 429 to `last` says of the spacing the mailbox needs. */
  private sampleOf(last: Send, wait: number): RefusalSample | undefined {
    const pace = this.shared.get();
    // Before any pace, the window held all that was taken since we started or last waited.
    const limit = pace?.limit ?? this.acceptedInCycle;
    if (limit <= 0) return undefined;
    // The refused request followed between none and all of the requests of its batch that
    // were taken (a batch is served a few at a time, in no known order), so the request the
    // window waited for was sent between `earliest` and `latest`.
    const latest = last.accepted >= limit ? last : this.sendAtAccepted(limit - last.accepted, 1);
    const earliest = pace ? this.sendAtAccepted(limit, 1) : latest;
    if (earliest === undefined || latest === undefined) return undefined;
    // We know when requests left and when their answers came, not when the mailbox saw them.
    // The floor takes the side that cannot overstate it: a send held up on our side (a stalled
    // event loop, a new connection) once made one 429 look like a 2.9 s window where it was 2 s,
    // and the whole M envelope run kept to 2.9 s. The bound keeps the send times: one set a
    // little short costs a 429 that raises the floor, not a run at the wrong pace.
    return {
      limit,
      lowerMs: last.at - (latest.answeredAt ?? latest.at) + wait - 1_000,
      upperMs: last.at - earliest.at + wait,
    };
  }

  /** When the `nth` most recent request the mailbox took before our last `skip` sends went. */
  private sentAtAccepted(nth: number, skip: number): number | undefined {
    return this.sendAtAccepted(nth, skip)?.at;
  }

  private sendAtAccepted(nth: number, skip: number): Send | undefined {
    let count = 0;
    for (let i = this.sent.length - 1 - skip; i >= 0; i--) {
      count += this.sent[i].accepted;
      if (count >= nth) return this.sent[i];
    }
    return undefined;
  }

  /** The window this gate keeps to: the tenant's, or the one it is trying. */
  private windowOf(pace: MailboxPace): number {
    if (this.probing && !this.shared.probeLive(this.probing.windowMs)) this.probing = undefined;
    return this.probing ? this.probing.windowMs : pace.windowMs;
  }

  /** Requests the mailbox holds of ours within the window before `at`. */
  private inWindow(pace: MailboxPace, at: number, windowMs = this.windowOf(pace)): number {
    // Twice the window: a 429 means the mailbox still held a send older than we thought.
    this.forgetBefore(this.now() - 2 * Math.max(pace.windowMs, windowMs));
    let count = 0;
    for (const send of this.sent)
      if (send.at > at - windowMs) count += send.done ? send.accepted : send.sent;
    return count;
  }

  private forgetBefore(horizon: number): void {
    while (this.sent.length > 1 && this.sent[0].at <= horizon) this.sent.shift();
  }

  /** How long after `at` the window has room for `count` requests. */
  private paceWaitMs(count: number, at = this.now()): number {
    const pace = this.shared.get();
    if (!pace || count === 0) return 0;
    const windowMs = this.windowOf(pace);
    let inWindow = this.inWindow(pace, at, windowMs);
    const need = Math.min(count, pace.limit);
    if (inWindow + need <= pace.limit) return 0;
    // Wait until enough of the oldest sends in the window have left it.
    for (const send of this.sent) {
      if (send.at <= at - windowMs) continue;
      inWindow -= send.done ? send.accepted : send.sent;
      if (inWindow + need <= pace.limit) return Math.max(1, send.at + windowMs - at + 1);
    }
    return 0;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
