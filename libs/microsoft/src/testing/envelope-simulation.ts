import { MailboxGate } from '../graph/mailbox-gate';
import { SharedMailboxPace } from '../graph/mailbox-pace-hints';

export interface EnvelopeSimulationOptions {
  mailboxes: number;
  /** each mailbox's sliding window: `budget` requests per `windowMs` */
  budget: number;
  windowMs: number;
  /** writes per mailbox, after 6 single reads */
  total: number;
  /** a random one-way delay up to this, each way */
  jitterMs: number;
  seed: number;
  /** worker processes the mailboxes are spread over, each with its own SharedMailboxPace */
  processes?: number;
}

export interface SimulatedMailbox {
  end: number;
  throttles: number;
  waitMs: number;
  batches: number;
}

export interface EnvelopeSimulationResult {
  /** the theoretical minimum time over the time the slowest mailbox took */
  utilisation: number;
  /** refused sub-requests over all sent */
  share: number;
  /** requests sent before a Retry-After the mailbox gave had passed */
  early: number;
  /** refused sub-requests by what the gate was doing: unpaced, trying a window, paced */
  refusedBy: Record<string, number>;
  mailboxes: SimulatedMailbox[];
  pace: ReturnType<SharedMailboxPace['get']>;
}

/**
 * A discrete-event simulation of the envelope benchmark on a fake clock, through the real
 * MailboxGate and SharedMailboxPace: mailboxes of one tenant, each a sliding window answering
 * 429 with a whole-second Retry-After per refused sub-request, serving 4 sub-requests per 20 ms.
 * Used by the gate's tests and by `bench/envelope-model.ts`.
 */
export async function simulateEnvelope(
  options: EnvelopeSimulationOptions,
): Promise<EnvelopeSimulationResult> {
  const { budget, windowMs, total, jitterMs } = options;
  let now = 0;
  let seq = 0;
  const timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => timers.push({ at: now + Math.max(0, ms), seq: seq++, resolve }));
  let seed = options.seed;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
  const paces = Array.from(
    { length: options.processes ?? 1 },
    () => new SharedMailboxPace(10 * 60_000, () => now),
  );
  let sent = 0;
  let refused = 0;
  let early = 0;
  const refusedBy: Record<string, number> = {};
  const mailboxes: SimulatedMailbox[] = [];

  const job = async (shared: SharedMailboxPace): Promise<number> => {
    const me: SimulatedMailbox = { end: 0, throttles: 0, waitMs: 0, batches: 0 };
    mailboxes.push(me);
    const gate = new MailboxGate({ now: () => now, sleep, pace: shared });
    const stamps: number[] = [];
    let until = 0; // when the last Retry-After this mailbox gave ends
    const send = async (n: number): Promise<number> => {
      const kind = !shared.get()
        ? 'unpaced'
        : (gate as unknown as { probing?: unknown }).probing
          ? 'probe'
          : 'paced';
      await gate.pass(n);
      me.batches++;
      if (now < until) early++;
      await sleep(10 + rand() * jitterMs); // to the mailbox
      let ok = 0;
      // Each refused sub-request gets its own Retry-After; the gateway waits out the longest.
      let retryAfter = 0;
      for (let i = 0; i < n; i++) {
        const t = now + Math.floor(i / 4) * 20;
        while (stamps.length > 0 && stamps[0] <= t - windowMs) stamps.shift();
        if (stamps.length < budget) {
          stamps.push(t);
          ok++;
        } else
          retryAfter = Math.max(retryAfter, Math.ceil((stamps[0] + windowMs - t) / 1_000) * 1_000);
      }
      if (retryAfter > 0) until = Math.max(until, now + retryAfter);
      sent += n;
      refused += n - ok;
      await sleep(Math.ceil(n / 4) * 20 + 10 + rand() * jitterMs);
      gate.accepted(ok);
      if (ok < n) {
        refusedBy[kind] = (refusedBy[kind] ?? 0) + n - ok;
        me.throttles++;
        me.waitMs += retryAfter;
        gate.throttled(retryAfter);
      }
      return ok;
    };
    for (let i = 0; i < 6; i++) while ((await send(1)) === 0);
    for (let left = total; left > 0;) left -= await send(Math.min(left, gate.nextBatchSize()));
    me.end = now;
    return now;
  };

  let finished = false;
  const done = Promise.all(
    Array.from({ length: options.mailboxes }, (_, i) =>
      sleep(rand() * 300).then(() => job(paces[i % paces.length])),
    ),
  ).finally(() => (finished = true));
  while (!finished) {
    await new Promise((resolve) => setImmediate(resolve));
    timers.sort((x, y) => x.at - y.at || x.seq - y.seq);
    const next = timers.shift();
    if (!next) continue;
    now = next.at;
    next.resolve();
  }
  const ends = await done;
  const ideal = (total - budget) / (budget / windowMs);
  return {
    utilisation: ideal / Math.max(...ends),
    share: refused / sent,
    early,
    refusedBy,
    mailboxes,
    pace: paces[0].get(),
  };
}
