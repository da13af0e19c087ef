import { MailboxGate, type MailboxGateOptions } from './mailbox-gate';
import { simulateEnvelope } from '../testing/envelope-simulation';
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
    expect(one.gate.pace?.windowMs).toBeLessThanOrEqual(2_150); // tried down from ~3 s
    // The slow start's crossing (18 of a batch of 20 here) and a few failed tries of 3.
    expect(refused).toBeLessThan(40);
    expect((1_000 - 17) / 8.5 / seconds).toBeGreaterThan(0.9);
  });

  it("a tenant's second mailbox starts from what the first learned: no crossing, at most a failed try", async () => {
    const shared = new SharedMailboxPace();
    const first = fakeGate({ pace: shared });
    await drive([first], 17, 2_000, 600);
    const second = fakeGate({ pace: shared });
    second.clock.now = first.clock.now + 10_000;
    const { refused, seconds } = await drive([second], 17, 2_000, 600);
    expect(refused).toBeLessThanOrEqual(3);
    expect((600 - 17) / 8.5 / seconds).toBeGreaterThan(0.9);
  });

  it('learns from where a 429 falls between the requests the mailbox took', async () => {
    const shared = new SharedMailboxPace();
    // Another mailbox of the tenant, in another phase, sends at the same time: 0.6 s + 2 s.
    const b = fakeGate({ pace: shared });
    b.clock.now = 5_000;
    await b.gate.pass(17);
    b.gate.accepted(17);
    b.clock.now = 5_600;
    await b.gate.pass(3);
    // Took 10 at 1.0 s and 7 at 1.5 s, refused the next at 2.3 s with Retry-After 1 s: that
    // request needed to go more than 1.3 s and at most 2.3 s after the first of the 17.
    const a = fakeGate({ pace: shared });
    await a.gate.pass(10);
    a.gate.accepted(10);
    a.clock.now = 1_500;
    await a.gate.pass(7);
    a.gate.accepted(7);
    a.clock.now = 2_300;
    await a.gate.pass(5);
    a.gate.accepted(0);
    a.gate.throttled(1_000);
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_300 });
    expect(a.gate.waitMs()).toBe(1_000);
    // The window is the tightest bound; the floors (1.3 s, 1.6 s) keep what may be tried above.
    b.gate.accepted(0);
    b.gate.throttled(2_000);
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_300 });
    expect(shared.probeLive(1_600)).toBe(false);
    expect(shared.probeLive(1_700)).toBe(true);
  });

  it('a 429 to a partly taken batch counts its taken requests as before or after it', async () => {
    const shared = new SharedMailboxPace();
    const { gate, clock } = fakeGate({ pace: shared });
    shared.refused({ limit: 17, lowerMs: 1_000, upperMs: 3_000 }); // paced: 17 per 3 s
    await gate.pass(17);
    gate.accepted(17);
    clock.now += 3_000;
    await gate.pass(17); // 12 taken, 5 refused, Retry-After 1 s
    gate.accepted(12);
    gate.throttled(1_000);
    // After all 12: the 5th of the batch before it, sent 3 s earlier (more than 3 s needed);
    // before all 12: the 1st, also 3 s earlier (at most 4 s). Not "the 12 of its own batch".
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: Math.ceil(3_000 * 1.02) });
    // The refused 5 took none of the budget: after the wait, 5 fit at once.
    clock.now += 1_000;
    const before = clock.now;
    await gate.pass(5);
    expect(clock.now).toBe(before);
  });

  it('a send answered late does not make a 429 look like a longer window', async () => {
    const shared = new SharedMailboxPace();
    shared.refused({ limit: 17, lowerMs: 1_950, upperMs: 2_100 });
    const { gate, clock } = fakeGate({ pace: shared });
    await gate.pass(4);
    gate.accepted(4);
    clock.now += 1_000;
    await gate.pass(13);
    // Held up on our side: it may have reached the mailbox only when its answer came, 0.9 s on.
    clock.now += 900;
    gate.accepted(13);
    clock.now += 2_030;
    await gate.pass(5);
    gate.accepted(4);
    gate.throttled(1_000);
    // Measured from the sends, the refused request came 2.93 s after the 13 and the pace would
    // become 2.99 s for every mailbox of the tenant; measured from the answer, 2.03 s: the
    // window stays where it was, widened once by 3 % for the refusal.
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: Math.ceil(2_100 * 1.03) });
  });

  it('widens the pace by 3 % when a send that kept to it is refused, once per version', async () => {
    const shared = new SharedMailboxPace();
    shared.refused({ limit: 17, lowerMs: 1_900, upperMs: 2_100 });
    const one = fakeGate({ pace: shared });
    const two = fakeGate({ pace: shared });
    for (const { gate, clock } of [one, two]) {
      await gate.pass(17);
      clock.now += 100;
      gate.accepted(17);
      await gate.pass(17); // held by the pace until 2.1 s after the first
      expect(clock.now).toBe(1_000 + 2_101);
      clock.now += 100;
      gate.accepted(16);
    }
    // Both kept to the same version and were refused at once: one widening, not two.
    one.gate.throttled(1_000);
    two.gate.throttled(1_000);
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: Math.ceil(2_100 * 1.03) });
  });

  it('a 429 under the pace moves the window past the spacing that was refused', () => {
    const shared = new SharedMailboxPace();
    shared.refused({ limit: 17, lowerMs: 1_000, upperMs: 2_000 });
    expect(shared.get()).toMatchObject({ windowMs: 2_000 });
    // Another request needed more than 2.05 s (delays differ): 2 % over that.
    shared.refused({ limit: 17, lowerMs: 2_050, upperMs: 3_050 });
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_091 });
    shared.refused({ limit: 17, lowerMs: 2_091, upperMs: 3_091 });
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_133 });
  });

  it('takes one fewer request per window when no window explains the 429s', () => {
    // The first 429 counted 18 (one of them had left the window before it came).
    const shared = new SharedMailboxPace();
    shared.refused({ limit: 18, lowerMs: 1_500, upperMs: 2_500 });
    shared.refused({ limit: 18, lowerMs: 3_000, upperMs: 4_000 }); // past the bound: widen
    expect(shared.get()).toMatchObject({ limit: 18, windowMs: 3_060 });
    shared.refused({ limit: 18, lowerMs: 3_800, upperMs: 4_800 }); // 1.5 × 2.5 s: not a delay
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_500 });
  });

  it('tries a shorter window with a batch of 3 as soon as that window lets it', async () => {
    const shared = new SharedMailboxPace();
    shared.refused({ limit: 17, lowerMs: 1_950, upperMs: 2_150 });
    const { gate, clock } = fakeGate({ pace: shared });
    await gate.pass(17);
    gate.accepted(17);
    const start = clock.now;
    expect(gate.nextBatchSize()).toBe(3); // held by the window: it tries 2.009 s
    await gate.pass(3);
    expect(clock.now - start).toBe(2_010);
    gate.accepted(3);
    expect(shared.get()).toMatchObject({ windowMs: Math.ceil(2_010 * 1.03) });
    // Known closely enough now; the rest of the window's budget goes in one batch as soon as
    // the new window (the try's spacing + 3 %) lets it.
    expect(gate.nextBatchSize()).toBe(14);
    await gate.pass(14);
    expect(clock.now - start).toBe(2_072);
  });

  it('uses the rest of the window a job learns the pace in; single requests leaving it do not split it', async () => {
    const shared = new SharedMailboxPace();
    const { gate, clock } = fakeGate({ pace: shared });
    for (let i = 0; i < 6; i++) {
      await gate.pass(1);
      gate.accepted(1);
      clock.now += 100;
    }
    await gate.pass(5);
    gate.accepted(5);
    // Another mailbox of the tenant was throttled meanwhile: 17 per 2 s, known closely.
    shared.refused({ limit: 17, lowerMs: 1_950, upperMs: 2_000 });
    expect(gate.nextBatchSize()).toBe(6);
    await gate.pass(6);
    gate.accepted(6);
    // The reads leave the window 100 ms apart, the rest 0.6 s after the first: the widest.
    expect(gate.nextBatchSize()).toBe(17);
    const before = clock.now;
    await gate.pass(17);
    expect(clock.now - before).toBe(2_001);
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
    b.gate.accepted(17);
    a.clock.now += 900;
    await a.gate.pass(3);
    b.clock.now += 200;
    await b.gate.pass(3);
    a.gate.throttled(2_000);
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_900 });
    b.gate.throttled(2_000);
    expect(shared.get()).toMatchObject({ limit: 17, windowMs: 2_200 });

    // The running gate adopts it at once, counting its own earlier sends, and so does a new one.
    expect(running.gate.batchSize).toBe(17);
    const fresh = fakeGate({ pace: shared });
    expect(fresh.gate.nextBatchSize()).toBe(17);
    await fresh.gate.pass(17);
    // The widest again, waited for: not the leftovers of a window.
    expect(fresh.gate.nextBatchSize()).toBe(17);
    const before = fresh.clock.now;
    await fresh.gate.pass(17);
    expect(fresh.clock.now - before).toBe(2_201);
  });

  it('forgets a pace after its time to live', () => {
    let now = 0;
    const hints = new MailboxPaceHints(60_000, () => now);
    hints.forTenant('t1').refused({ limit: 10, lowerMs: 1_000, upperMs: 2_000 });
    now = 59_999;
    expect(hints.forTenant('t1').get()).toMatchObject({ limit: 10, windowMs: 2_000 });
    now = 60_000;
    expect(hints.forTenant('t1').get()).toBeUndefined();
  });
});

describe('MailboxGate, many mailboxes of a tenant at once', () => {
  /**
   * `mailboxes` jobs of one tenant on one fake clock, each writing `total` requests to its own
   * mailbox (a sliding window of `budget` per `windowMs`, 4 sub-requests per 20 ms, 429 with a
   * whole-second Retry-After per refused sub-request) with a random one-way delay up to
   * `jitterMs`; the gates share the tenant's pace.
   */
  const run = (
    mailboxes: number,
    budget: number,
    windowMs: number,
    total: number,
    jitterMs: number,
  ) => simulateEnvelope({ mailboxes, budget, windowMs, total, jitterMs, seed: 7 });

  it('32 mailboxes of 17 per 2 s: most of the budget, under 1 % refused, no request before its Retry-After', async () => {
    const { utilisation, share, early, pace } = await run(32, 17, 2_000, 500, 60);
    expect(early).toBe(0);
    expect(share).toBeLessThan(0.01);
    expect(utilisation).toBeGreaterThan(0.9);
    // The window is learned within the delays (60 ms either way) and the margin.
    expect(pace).toMatchObject({ limit: 17 });
    expect(pace!.windowMs).toBeGreaterThan(2_000 - 60);
    expect(pace!.windowMs).toBeLessThan(2_150);
  });

  it('also with long delays, short windows and budgets past a $batch', async () => {
    for (const [budget, windowMs, jitterMs] of [
      [17, 2_000, 150],
      [5, 1_000, 60],
      [50, 5_000, 60],
    ]) {
      const { utilisation, share, early } = await run(16, budget, windowMs, 500, jitterMs);
      expect(early).toBe(0);
      expect(share).toBeLessThan(0.02);
      expect(utilisation).toBeGreaterThan(0.8);
    }
  });
});

describe('SharedMailboxPace probing', () => {
  it('has up to three mailboxes try windows between floor and bound, and narrows by the results', () => {
    const shared = new SharedMailboxPace();
    const gates = Array.from({ length: 20 }, () => ({}));
    shared.refused({ limit: 17, lowerMs: 1_000, upperMs: 2_940 }); // bound 2.94 s, floor 1 s
    // The middle, then the upper and lower quarter points of what a try can still improve
    // (a try that holds becomes the bound at +3 %, so up to 2.94 / 1.04 = 2.83 s).
    const tries = [0, 1, 2, 3].map((i) => shared.claimProbe(gates[i]));
    expect(tries).toEqual([1_914, 2_371, 1_457, undefined]); // three at a time
    shared.probeFailed(1_914, undefined, gates[0]);
    expect(shared.probeLive(1_457)).toBe(false); // below the new floor: that try is moot
    shared.probeHeld(2_371, 2_380); // its first request went 2.38 s after its pair
    expect(shared.get()).toMatchObject({ windowMs: 2_452 }); // +3 %
    for (let i = 4; i < 20; i++) {
      const w = shared.claimProbe(gates[i]);
      if (w === undefined) break;
      expect(w).toBeGreaterThan(1_914);
      if (w >= 2_000) shared.probeHeld(w, w);
      else shared.probeFailed(w, undefined, gates[i]);
    }
    expect(shared.claimProbe(gates[19])).toBeUndefined(); // known closely enough
    // Close to the true 2 s, never below a window that failed.
    const bound = shared.get()!.windowMs;
    expect(bound).toBeGreaterThanOrEqual(2_000);
    expect(bound).toBeLessThan(2_150);
  });

  it('asks a job that failed a try for no other, and learns nothing from a try that told nothing', () => {
    const shared = new SharedMailboxPace();
    const [loser, other] = [{}, {}];
    shared.refused({ limit: 17, lowerMs: 1_000, upperMs: 3_000 });
    const tried = shared.claimProbe(loser)!;
    shared.probeFailed(tried, { limit: 17, lowerMs: tried + 10, upperMs: tried + 1_010 }, loser);
    expect(shared.claimProbe(loser)).toBeUndefined();
    const next = shared.claimProbe(other)!;
    expect(next).toBeGreaterThan(tried + 10);
    shared.probeHeld(next, undefined);
    expect(shared.get()).toMatchObject({ windowMs: 3_000 });
  });
});
