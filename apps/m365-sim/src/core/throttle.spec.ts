import { defaultOptions } from '../sim-options';
import { Throttler } from './throttle';

describe('Throttler Retry-After bookkeeping', () => {
  it('counts a request sent before an announced Retry-After is over, but not one already in flight', async () => {
    const throttler = new Throttler({
      ...defaultOptions().throttle,
      mailboxConcurrency: 1,
      concurrencyRetryAfterSeconds: 1,
    });
    const key = throttler.mailboxKey('app', 'tenant', 'user');
    const inFlightSince = Date.now() - 10;
    const first = throttler.acquireMailbox('app', 'tenant', 'user');
    expect(first.ok).toBe(true);
    const refused = throttler.acquireMailbox('app', 'tenant', 'user');
    expect(refused).toMatchObject({ ok: false, status: 429, retryAfter: 1 });
    // Sent before the 429 went out: not the client's fault.
    throttler.acquireMailbox('app', 'tenant', 'user', inFlightSince);
    expect(throttler.mailboxes.get(key)!.earlyRequests).toBe(0);
    // Sent after the 429, inside the second it asked for: early.
    await new Promise((r) => setTimeout(r, 5));
    throttler.acquireMailbox('app', 'tenant', 'user');
    expect(throttler.mailboxes.get(key)!.earlyRequests).toBe(1);
  });

  it('counts the 429s of the concurrency limit apart from those of the window', () => {
    const throttler = new Throttler({
      ...defaultOptions().throttle,
      mailboxConcurrency: 1,
      mailboxWindowRequests: 2,
      mailboxWindowSeconds: 60,
    });
    const key = throttler.mailboxKey('app', 'tenant', 'user');
    const first = throttler.acquireMailbox('app', 'tenant', 'user');
    expect(first.ok).toBe(true);
    expect(throttler.acquireMailbox('app', 'tenant', 'user')).toMatchObject({
      ok: false,
      message: 'Application is over its MailboxConcurrency limit.',
    });
    if (first.ok) first.release();
    const second = throttler.acquireMailbox('app', 'tenant', 'user');
    expect(second.ok).toBe(true);
    if (second.ok) second.release();
    // the window (2 a minute) is spent: refused, but not for concurrency
    expect(throttler.acquireMailbox('app', 'tenant', 'user').ok).toBe(false);
    expect(throttler.mailboxes.get(key)).toMatchObject({ throttled: 2, concurrencyRefused: 1 });
    // a new throttle configuration resets the state, not the statistic
    throttler.reset();
    expect(throttler.concurrencyRefused).toBe(1);
  });
});
