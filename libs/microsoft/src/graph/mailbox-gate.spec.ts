import { MailboxGate, type MailboxGateOptions } from './mailbox-gate';
import { MailboxPaceHints, SharedMailboxPace } from './mailbox-pace-hints';

/** A gate on a fake clock: sleeping advances time and records the waits. */
function fakeGate(options: MailboxGateOptions = {}): {
  gate: MailboxGate;
  clock: { now: number };
  waits: number[];
} {
  const clock = { now: 1_000 };
  const waits: number[] = [];
  const gate = new MailboxGate({
    ...options,
    now: () => clock.now,
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
  });
  return { gate, clock, waits };
}

describe('MailboxGate', () => {
  it('holds requests until the longest Retry-After has passed', async () => {
    let now = 1_000;
    const gate = new MailboxGate({ now: () => now });
    gate.block(2_000);
    gate.block(500);
    expect(gate.waitMs()).toBe(2_000);
    now += 1_500;
    expect(gate.waitMs()).toBe(500);
    now += 600;
    expect(gate.waitMs()).toBe(0);
  });

  it('grows batches 5, 10, 20 and then sends full batches at full speed until throttled', async () => {
    const { gate, waits } = fakeGate();
    const widths: number[] = [];
    for (let i = 0; i < 50; i++) {
      const size = gate.nextBatchSize();
      widths.push(size);
      await gate.pass(size);
      gate.accepted(size);
    }
    expect(widths.slice(0, 4)).toEqual([5, 10, 20, 20]);
    expect(widths.slice(2).every((w) => w === 20)).toBe(true);
    expect(gate.pace).toBeUndefined();
    expect(waits).toEqual([]);
  });

  it('learns the budget from a 429 and keeps every window within it afterwards', async () => {
    // A mailbox allowing 17 requests per 2 s: a batch of 20 gets 17 through, 3 answered 429
    // with Retry-After 2 s, 100 ms after the batch went out.
    const { gate, clock } = fakeGate();
    await gate.pass(20);
    clock.now += 100;
    gate.accepted(17);
    gate.throttled(2_000);
    expect(gate.pace).toEqual({ limit: 17, windowMs: 2_100 });
    expect(gate.batchSize).toBe(17);

    const start = clock.now;
    await gate.pass(3); // the throttled three, after the Retry-After
    expect(clock.now - start).toBe(2_000);
    const sent: Array<[number, number]> = [[clock.now, 3]];
    gate.accepted(3);
    for (let i = 0; i < 60; i++) {
      const size = gate.nextBatchSize();
      await gate.pass(size);
      sent.push([clock.now, size]);
      gate.accepted(size);
      clock.now += 50; // the batch's own service time
    }
    // The server's sliding window (17 per 2 s) would accept every one of them...
    for (const [t] of sent) {
      const inWindow = sent
        .filter(([s]) => s > t - 2_000 && s <= t)
        .reduce((sum, [, n]) => sum + n, 0);
      expect(inWindow).toBeLessThanOrEqual(17);
    }
    // ...and the pace uses most of it, filling what the window has room for (the three
    // retried requests do not cost a window of their own).
    expect(sent[1][1]).toBe(14);
    const total = sent.reduce((sum, [, n]) => sum + n, 0);
    const rate = total / ((clock.now - sent[0][0]) / 1000);
    expect(rate).toBeGreaterThan(0.95 * (17 / 2.1));
  });

  it('holds single requests to the learned window too', async () => {
    const { gate, clock } = fakeGate();
    await gate.pass(20);
    gate.accepted(10);
    gate.throttled(1_000); // 10 accepted in 1 s
    const sent: number[] = [];
    for (let i = 0; i < 200; i++) {
      await gate.pass(1);
      sent.push(clock.now);
      gate.accepted(1);
    }
    for (const t of sent) {
      expect(sent.filter((s) => s > t - 1_000 && s <= t).length).toBeLessThanOrEqual(10);
    }
    expect((clock.now - sent[0]) / 1000).toBeLessThan(200 / 10 + 1);
  });

  it('widens the pace by 5 % when throttled although paced, once per version', async () => {
    const shared = new SharedMailboxPace();
    const one = fakeGate({ pace: shared });
    const two = fakeGate({ pace: shared });
    await one.gate.pass(20);
    one.gate.accepted(20);
    one.clock.now += 1_000;
    one.gate.throttled(1_000);
    expect(shared.get()).toMatchObject({ limit: 20, windowMs: 2_000 });
    // Both gates send under version 1 and are throttled at once: one widening, not two.
    await one.gate.pass(5);
    await two.gate.pass(5);
    one.gate.throttled(1_000);
    two.gate.throttled(1_000);
    expect(shared.get()).toMatchObject({ limit: 20, windowMs: 2_100 });
  });

  it('does not learn a pace from a 429 before anything was accepted', async () => {
    const { gate } = fakeGate();
    await gate.pass(4);
    gate.throttled(1_000);
    expect(gate.pace).toBeUndefined();
    expect(gate.batchSize).toBe(5);
    expect(gate.waitMs()).toBe(1_000);
  });

  it('lets a $batch envelope through without counting it as a mailbox request', async () => {
    const { gate, waits } = fakeGate();
    await gate.pass(2);
    gate.accepted(2);
    gate.throttled(1_000);
    await gate.pass(2); // waits out the Retry-After
    await gate.pass(0);
    await gate.pass(0);
    expect(waits).toEqual([1_000]);
  });

  it('overshoots an unknown small budget by a few requests, not most of a batch', async () => {
    // A mailbox taking 17 per 2 s; 5 reads, then writes in the gate's widths.
    const { gate } = fakeGate();
    let accepted = 0;
    let refused = 0;
    const send = async (n: number): Promise<void> => {
      await gate.pass(n);
      const ok = Math.min(n, 17 - accepted);
      accepted += ok;
      refused += n - ok;
      gate.accepted(ok);
      if (ok < n) gate.throttled(2_000);
    };
    for (let i = 0; i < 5; i++) await send(1);
    while (refused === 0) await send(gate.nextBatchSize());
    expect(refused).toBeLessThanOrEqual(5);
    expect(gate.pace?.limit).toBe(17);
  });

  it("shares the tightest window a tenant's mailboxes saw with running and new jobs", async () => {
    const hints = new MailboxPaceHints();
    const shared = hints.forTenant('t1');
    expect(hints.forTenant('t1')).toBe(shared);
    expect(hints.forTenant('t2').get()).toBeUndefined();
    const running = fakeGate({ pace: shared }); // still in slow start, nothing known
    expect(running.gate.nextBatchSize()).toBe(5);

    // Two mailboxes are throttled: Retry-After rounding makes one see 2.9 s, the other 2.2 s.
    const a = fakeGate({ pace: shared });
    const b = fakeGate({ pace: shared });
    await a.gate.pass(17);
    await b.gate.pass(17);
    a.gate.accepted(17);
    a.clock.now += 900;
    a.gate.throttled(2_000);
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_900 });
    b.gate.accepted(17);
    b.clock.now += 200;
    b.gate.throttled(2_000);
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_200 });

    // The running gate adopts it at once, counting its own earlier sends, and so does a new one.
    expect(running.gate.batchSize).toBe(17);
    const fresh = fakeGate({ pace: shared });
    expect(fresh.gate.nextBatchSize()).toBe(17);
    await fresh.gate.pass(17);
    expect(fresh.gate.nextBatchSize()).toBe(5); // a quarter of the limit, waited for
    const before = fresh.clock.now;
    await fresh.gate.pass(5);
    expect(fresh.clock.now - before).toBeGreaterThanOrEqual(2_200);
  });

  it('forgets a pace after its time to live', () => {
    let now = 0;
    const hints = new MailboxPaceHints(60_000, () => now);
    hints.forTenant('t1').offer(10, 2_000);
    now = 59_999;
    expect(hints.forTenant('t1').get()).toMatchObject({ limit: 10, windowMs: 2_000 });
    now = 60_000;
    expect(hints.forTenant('t1').get()).toBeUndefined();
  });
});
