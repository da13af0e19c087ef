/**
 * Throttling model (per app and mailbox for Outlook resources, per tenant for directory
 * reads, per app globally). See README "Throttling".
 */
import type { ThrottleOptions } from '../sim-options';
import { SlidingWindow } from './window';

export type Acquire =
  | { ok: true; release: () => void }
  | { ok: false; status: 429; code: string; message: string; retryAfter: number };

interface MailboxSlot {
  active: number;
  maxSeen: number;
  window: SlidingWindow;
  throttled: number;
  requests: number;
  /**
   * end of the longest Retry-After announced to this mailbox's client so far, in real time
   * (Date.now()), brought forward by every advance of the throttle clock since
   */
  retryAfterUntil: number;
  /** when that Retry-After was announced, in real time */
  retryAfterIssuedAt: number;
  /** requests that arrived after a 429 was sent and before its Retry-After had passed */
  earlyRequests: number;
  /** 429s for the concurrency limit alone (not the window): a client that over-parallelises */
  concurrencyRefused: number;
}

export class Throttler {
  readonly mailboxes = new Map<string, MailboxSlot>();
  private readonly directory = new Map<string, SlidingWindow>();
  private readonly apps = new Map<string, SlidingWindow>();
  /**
   * Every mailbox's concurrency refusals since the stats were last cleared: a statistic, so a
   * reset of the throttle state (a change of its options) keeps it.
   */
  concurrencyRefused = 0;
  /** how far the throttle clock is ahead of real time (advance()); it never goes back */
  private clockOffsetMs = 0;
  constructor(public opts: ThrottleOptions) {}

  /** The clock of the sliding windows (mailbox, directory, app): real time plus every advance. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** how far the throttle clock is ahead of real time, in ms */
  get clockAheadMs(): number {
    return this.clockOffsetMs;
  }

  /**
   * Moves the throttle clock forward, as if `ms` had passed for every sliding window, so a test
   * sees a window free its slots without waiting in real time. The time counts as waited for the
   * Retry-After already announced too: a request sent once the advance covers it is not early.
   * Concurrency (requests in flight) does not depend on the clock.
   */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: ${ms} is not a duration`);
    this.clockOffsetMs += ms;
    for (const s of this.mailboxes.values()) s.retryAfterUntil -= ms;
  }

  reset(): void {
    this.mailboxes.clear();
    this.directory.clear();
    this.apps.clear();
  }

  private retryAfter(waitMs: number): number {
    const s = Math.max(1, Math.ceil(waitMs / 1000));
    return this.opts.maxRetryAfterSeconds > 0 ? Math.min(s, this.opts.maxRetryAfterSeconds) : s;
  }

  private app(clientId: string): Acquire | undefined {
    let w = this.apps.get(clientId);
    if (!w)
      this.apps.set(
        clientId,
        (w = new SlidingWindow(this.opts.appWindowRequests, this.opts.appWindowSeconds * 1000)),
      );
    const t = w.tryTake(this.now());
    if (!t.ok) {
      return {
        ok: false,
        status: 429,
        code: 'TooManyRequests',
        message: 'Too many requests from this application.',
        retryAfter: this.retryAfter(t.waitMs),
      };
    }
    return undefined;
  }

  mailboxKey(clientId: string, tenantId: string, userId: string): string {
    return `${clientId}|${tenantId}|${userId}`;
  }

  slot(key: string): MailboxSlot {
    let s = this.mailboxes.get(key);
    if (!s) {
      s = {
        active: 0,
        maxSeen: 0,
        throttled: 0,
        requests: 0,
        retryAfterUntil: 0,
        retryAfterIssuedAt: 0,
        earlyRequests: 0,
        concurrencyRefused: 0,
        window: new SlidingWindow(
          this.opts.mailboxWindowRequests,
          this.opts.mailboxWindowSeconds * 1000,
        ),
      };
      this.mailboxes.set(key, s);
    }
    return s;
  }

  acquireMailbox(
    clientId: string,
    tenantId: string,
    userId: string,
    receivedAt = Date.now(),
  ): Acquire {
    const s = this.slot(this.mailboxKey(clientId, tenantId, userId));
    s.requests++;
    // A request sent after the client was told to wait, before the wait was over (with 50 ms
    // grace for clocks and rounding). Requests already in flight when the 429 went out do not count.
    // Both sides in real time; advance() has brought retryAfterUntil forward.
    if (receivedAt > s.retryAfterIssuedAt && receivedAt < s.retryAfterUntil - 50) s.earlyRequests++;
    const throttle = (result: Extract<Acquire, { ok: false }>): Acquire => {
      s.throttled++;
      const now = Date.now();
      s.retryAfterIssuedAt = now;
      s.retryAfterUntil = Math.max(s.retryAfterUntil, now + result.retryAfter * 1000);
      return result;
    };
    if (s.active >= this.opts.mailboxConcurrency) {
      s.concurrencyRefused++;
      this.concurrencyRefused++;
      return throttle({
        ok: false,
        status: 429,
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxConcurrency limit.',
        retryAfter: this.opts.concurrencyRetryAfterSeconds,
      });
    }
    const t = s.window.tryTake(this.now());
    if (!t.ok) {
      return throttle({
        ok: false,
        status: 429,
        code: 'ApplicationThrottled',
        message: 'Application is over its request limit for this mailbox.',
        retryAfter: this.retryAfter(t.waitMs),
      });
    }
    const a = this.app(clientId);
    if (a && !a.ok) return throttle(a);
    s.active++;
    if (s.active > s.maxSeen) s.maxSeen = s.active;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (!released) {
          released = true;
          s.active--;
        }
      },
    };
  }

  acquireDirectory(clientId: string, tenantId: string): Acquire {
    let w = this.directory.get(tenantId);
    if (!w)
      this.directory.set(
        tenantId,
        (w = new SlidingWindow(
          this.opts.directoryWindowRequests,
          this.opts.directoryWindowSeconds * 1000,
        )),
      );
    const t = w.tryTake(this.now());
    if (!t.ok) {
      return {
        ok: false,
        status: 429,
        code: 'Request_ThrottledTemporarily',
        message:
          'Your request is throttled temporarily. Please try after the time mentioned in the Retry-After header.',
        retryAfter: this.retryAfter(t.waitMs),
      };
    }
    const a = this.app(clientId);
    if (a) return a;
    return { ok: true, release: () => undefined };
  }
}
