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

  /**
   * A mailbox with a sliding window of `budget` requests per `windowMs`, answering 429 with a
   * whole-second Retry-After, as Graph does; the gate drives `total` requests through it in
   * batches of its choosing, 50 ms per batch.
   */
  async function drive(
    gates: Array<ReturnType<typeof fakeGate>>,
    budget: number,
    windowMs: number,
    total: number,
  ): Promise<{ refused: number; seconds: number }> {
    let refused = 0;
    const start = gates[0].clock.now;
    let end = start;
    for (const { gate, clock } of gates) {
      const stamps: number[] = [];
      let left = total;
      clock.now = start;
      while (left > 0) {
        const size = Math.min(left, gate.nextBatchSize());
        await gate.pass(size);
        while (stamps.length > 0 && stamps[0] <= clock.now - windowMs) stamps.shift();
        const ok = Math.min(size, budget - stamps.length);
        for (let i = 0; i < ok; i++) stamps.push(clock.now);
        gate.accepted(ok);
        left -= ok;
        clock.now += 50;
        if (ok < size) {
          refused += size - ok;
          gate.throttled(Math.ceil((stamps[0] + windowMs - clock.now) / 1000) * 1000);
        }
      }
      end = Math.max(end, clock.now);
    }
    return { refused, seconds: (end - start) / 1000 };
  }

  it('learns a budget from the 429s and then uses most of it at a few refusals', async () => {
    // 17 per 2 s: 1,000 requests take at least (1,000 - 17) / 8.5 = 116 s.
    const one = fakeGate();
    const { refused, seconds } = await drive([one], 17, 2_000, 1_000);
    expect(one.gate.pace?.limit).toBe(17);
    expect(one.gate.pace?.windowMs).toBeGreaterThanOrEqual(2_000);
    expect(one.gate.pace?.windowMs).toBeLessThanOrEqual(2_150); // probed down from ~3 s
    // The slow start's crossing (18 of a batch of 20 here) and a few failed tries of 3.
    expect(refused).toBeLessThan(40);
    expect((1_000 - 17) / 8.5 / seconds).toBeGreaterThan(0.85);
  });

  it("a tenant's second mailbox starts from what the first learned: no refusal at all", async () => {
    const shared = new SharedMailboxPace();
    const first = fakeGate({ pace: shared });
    await drive([first], 17, 2_000, 600);
    const second = fakeGate({ pace: shared });
    second.clock.now = first.clock.now + 10_000;
    const { refused, seconds } = await drive([second], 17, 2_000, 600);
    expect(refused).toBe(0);
    expect((600 - 17) / 8.5 / seconds).toBeGreaterThan(0.9);
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
    shared.probeFailed(1_990); // the window is known closely: nobody tries a shorter one
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
    // A quarter of the limit, waited for (or, trying a shorter window for the tenant, 3).
    expect(fresh.gate.nextBatchSize()).toBeLessThanOrEqual(5);
    const before = fresh.clock.now;
    await fresh.gate.pass(5);
    expect(fresh.clock.now - before).toBeGreaterThan(1_000); // held by the window (or a probe of it)
  });

  it('forgets a pace after its time to live', () => {
    let now = 0;
    const hints = new MailboxPaceHints(60_000, () => now);
    hints.forTenant('t1').offer(10, 2_000, 1_000);
    now = 59_999;
    expect(hints.forTenant('t1').get()).toMatchObject({ limit: 10, windowMs: 2_000 });
    now = 60_000;
    expect(hints.forTenant('t1').get()).toBeUndefined();
  });
});

describe('SharedMailboxPace probing', () => {
  it('has up to three mailboxes try windows between floor and bound, and narrows by the results', () => {
    const shared = new SharedMailboxPace();
    shared.offer(17, 2_940, 1_000); // bound 2.94 s, floor 1 s
    // The middle, then the upper and lower quarter points of what a try can still improve
    // (a window that holds becomes the bound at +4 %, so up to 2.94 / 1.05 = 2.8 s).
    const tries = [shared.claimProbe(), shared.claimProbe(), shared.claimProbe()];
    expect(tries).toEqual([1_900, 2_350, 1_450]);
    expect(shared.claimProbe()).toBeUndefined(); // three at a time
    shared.probeFailed(1_900);
    expect(shared.probeLive(1_450)).toBe(false); // below the new floor: that try is moot
    shared.probeSucceeded(2_350);
    expect(shared.get()).toMatchObject({ windowMs: 2_444 }); // +4 %
    for (let i = 0; i < 12; i++) {
      const w = shared.claimProbe();
      if (w === undefined) break;
      expect(w).toBeGreaterThan(1_900);
      if (w >= 2_000) shared.probeSucceeded(w);
      else shared.probeFailed(w);
    }
    expect(shared.claimProbe()).toBeUndefined(); // known closely enough
    // Close to the true 2 s, never below a window that failed.
    const bound = shared.get()!.windowMs;
    expect(bound).toBeGreaterThanOrEqual(2_000);
    expect(bound).toBeLessThan(2_200);
  });
});
