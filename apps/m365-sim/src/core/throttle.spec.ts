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

  it('advancing the clock frees the slots of the mailbox, directory and app windows', () => {
    const throttler = new Throttler({
      ...defaultOptions().throttle,
      mailboxWindowRequests: 2,
      mailboxWindowSeconds: 60,
      directoryWindowRequests: 1,
      directoryWindowSeconds: 30,
    });
    const take = () => {
      const a = throttler.acquireMailbox('app', 'tenant', 'user');
      if (a.ok) a.release();
      return a;
    };
    expect(take().ok).toBe(true);
    expect(take().ok).toBe(true);
    const refused = take();
    expect(refused).toMatchObject({ ok: false, status: 429, code: 'ApplicationThrottled' });
    const retryAfter = refused.ok ? 0 : refused.retryAfter;
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(throttler.acquireDirectory('app', 'tenant').ok).toBe(true);
    expect(throttler.acquireDirectory('app', 'tenant')).toMatchObject({
      ok: false,
      code: 'Request_ThrottledTemporarily',
    });
    // a second short of the Retry-After: the slots are still taken, now for about a second
    throttler.advance((retryAfter - 1) * 1000);
    expect(take()).toMatchObject({ ok: false, retryAfter: 1 });
    expect(throttler.clockAheadMs).toBe((retryAfter - 1) * 1000);
    // the rest of it: the window frees a slot (and the directory's, 30 s long, was freed before)
    throttler.advance(1000);
    expect(take().ok).toBe(true);
    expect(throttler.acquireDirectory('app', 'tenant').ok).toBe(true);
    expect(throttler.now() - Date.now()).toBeGreaterThanOrEqual(retryAfter * 1000 - 5);
    expect(() => throttler.advance(-1)).toThrow(RangeError);
    expect(() => throttler.advance(Number.NaN)).toThrow(RangeError);
  });

  it('the app window follows the advanced clock too', () => {
    const throttler = new Throttler({
      ...defaultOptions().throttle,
      appWindowRequests: 1,
      appWindowSeconds: 10,
    });
    expect(throttler.acquireDirectory('app', 't1').ok).toBe(true);
    expect(throttler.acquireDirectory('app', 't2')).toMatchObject({
      ok: false,
      code: 'TooManyRequests',
    });
    throttler.advance(10_000);
    expect(throttler.acquireDirectory('app', 't2').ok).toBe(true);
  });

  it('a request sent once the advanced clock has passed the Retry-After is not early', () => {
    const throttler = new Throttler({
      ...defaultOptions().throttle,
      mailboxWindowRequests: 1,
      mailboxWindowSeconds: 60,
    });
    const key = throttler.mailboxKey('app', 'tenant', 'user');
    // receivedAt a little after each 429 went out, as the HTTP layer stamps a request it reads
    const sentAfter = (ms: number) => Date.now() + ms;
    expect(throttler.acquireMailbox('app', 'tenant', 'user').ok).toBe(true);
    expect(throttler.acquireMailbox('app', 'tenant', 'user')).toMatchObject({
      ok: false,
      retryAfter: 60,
    });
    // half the wait has passed on the throttle clock: a request now is early, and refused again
    throttler.advance(30_000);
    expect(throttler.acquireMailbox('app', 'tenant', 'user', sentAfter(1))).toMatchObject({
      ok: false,
    });
    expect(throttler.mailboxes.get(key)!.earlyRequests).toBe(1);
    // the other half: the client has waited as told, its request passes and is not early
    throttler.advance(30_000);
    expect(throttler.acquireMailbox('app', 'tenant', 'user', sentAfter(2)).ok).toBe(true);
    expect(throttler.mailboxes.get(key)).toMatchObject({ earlyRequests: 1, throttled: 2 });
  });
});
