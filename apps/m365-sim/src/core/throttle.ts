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
}

export class Throttler {
  readonly mailboxes = new Map<string, MailboxSlot>();
  private readonly directory = new Map<string, SlidingWindow>();
  private readonly apps = new Map<string, SlidingWindow>();
  constructor(public opts: ThrottleOptions) {}

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
    const t = w.tryTake();
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
        window: new SlidingWindow(
          this.opts.mailboxWindowRequests,
          this.opts.mailboxWindowSeconds * 1000,
        ),
      };
      this.mailboxes.set(key, s);
    }
    return s;
  }

  acquireMailbox(clientId: string, tenantId: string, userId: string): Acquire {
    const s = this.slot(this.mailboxKey(clientId, tenantId, userId));
    s.requests++;
    if (s.active >= this.opts.mailboxConcurrency) {
      s.throttled++;
      return {
        ok: false,
        status: 429,
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxConcurrency limit.',
        retryAfter: this.opts.concurrencyRetryAfterSeconds,
      };
    }
    const t = s.window.tryTake();
    if (!t.ok) {
      s.throttled++;
      return {
        ok: false,
        status: 429,
        code: 'ApplicationThrottled',
        message: 'Application is over its request limit for this mailbox.',
        retryAfter: this.retryAfter(t.waitMs),
      };
    }
    const a = this.app(clientId);
    if (a) {
      s.throttled++;
      return a;
    }
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
    const t = w.tryTake();
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
