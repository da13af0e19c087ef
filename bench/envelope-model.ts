/**
 * A discrete-event model of the envelope run for tuning the mailbox pace in milliseconds of
 * CPU instead of minutes of benchmark: N mailboxes of one tenant, each with a sliding window of
 * B requests per W ms answering 429 with a whole-second Retry-After, reached with a random
 * one-way delay up to JITTER ms and 20 ms per 4 sub-requests; each mailbox does 6 reads, then C
 * writes, through the real MailboxGate and SharedMailboxPace on a simulated clock. It matched
 * the M-tier envelope run within a point of utilisation at JITTER 60. Not a benchmark figure.
 *
 *   node scripts/run-ts.js bench/envelope-model.ts [B W C N JITTER]   (SEED=n, DETAIL=1,
 *   PROCESSES=n: the mailboxes spread over n worker processes, each learning on its own)
 */
import { MailboxGate, SharedMailboxPace } from '@app/microsoft';

let now = 0;
const timers: Array<{ at: number; seq: number; resolve: () => void }> = [];
let seq = 0;
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    timers.push({ at: now + Math.max(0, ms), seq: seq++, resolve });
  });
}
let rng = Number(process.env.SEED ?? 12345);
function rand(): number {
  rng = (rng * 1103515245 + 12345) & 0x7fffffff;
  return rng / 0x7fffffff;
}
const B = Number(process.argv[2] ?? 17);
const W = Number(process.argv[3] ?? 2000);
const C = Number(process.argv[4] ?? 500);
const N = Number(process.argv[5] ?? 32);
const JITTER = Number(process.argv[6] ?? 60);
let refusedTotal = 0;
const refusedBy: Record<string, number> = {};
let opsTotal = 0;
const perGate: Array<{ end: number; throttles: number; waitMs: number; batches: number }> = [];
async function mailbox(shared: SharedMailboxPace): Promise<number> {
  const me = { end: 0, throttles: 0, waitMs: 0, batches: 0 };
  perGate.push(me);
  const gate = new MailboxGate({ now: () => now, sleep, pace: shared });
  const stamps: number[] = [];
  const send = async (n: number): Promise<number> => {
    const kind = !shared.get()
      ? 'unpaced'
      : (gate as unknown as { probing?: unknown }).probing
        ? 'probe'
        : 'paced';
    await gate.pass(n);
    me.batches++;
    await sleep(10 + rand() * JITTER); // to the server
    let ok = 0;
    // Each refused sub-request gets its own Retry-After, the gateway waits out the longest.
    let retryAfter = 0;
    for (let i = 0; i < n; i++) {
      const t = now + Math.floor(i / 4) * 20;
      while (stamps.length > 0 && stamps[0] <= t - W) stamps.shift();
      if (stamps.length < B) {
        stamps.push(t);
        ok++;
      } else retryAfter = Math.max(retryAfter, Math.ceil((stamps[0] + W - t) / 1000) * 1000);
    }
    opsTotal += n;
    await sleep(Math.ceil(n / 4) * 20 + 10 + rand() * JITTER);
    gate.accepted(ok);
    if (ok < n) {
      refusedTotal += n - ok;
      refusedBy[kind] = (refusedBy[kind] ?? 0) + n - ok;
      me.throttles++;
      me.waitMs += retryAfter;
      gate.throttled(retryAfter);
    }
    return ok;
  };
  for (let i = 0; i < 6; i++) while ((await send(1)) === 0);
  let left = C;
  while (left > 0) left -= await send(Math.min(left, gate.nextBatchSize()));
  me.end = now;
  return now;
}
async function main(): Promise<void> {
  // One SharedMailboxPace per worker process: the bench runs 2.
  const processes = Array.from(
    { length: Number(process.env.PROCESSES ?? 1) },
    () => new SharedMailboxPace(),
  );
  const shared = processes[0];
  const done = Promise.all(
    Array.from({ length: N }, (_, i) =>
      sleep(rand() * 300).then(() => mailbox(processes[i % processes.length])),
    ),
  );
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    await new Promise((r) => setImmediate(r));
    if (finished) break;
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const t = timers.shift();
    if (!t) continue;
    now = t.at;
    t.resolve();
  }
  const ends = await done;
  if (process.env.DETAIL)
    for (const g of [...perGate].sort((a, b) => a.end - b.end)) console.log(JSON.stringify(g));
  const wall = Math.max(...ends) / 1000;
  const theoretical = (C - B) / (B / (W / 1000));
  console.log(
    JSON.stringify({
      wall,
      fastest: Math.min(...ends) / 1000,
      utilisation: +(theoretical / wall).toFixed(3),
      share: +(refusedTotal / opsTotal).toFixed(4),
      pace: shared.get(),
      refusedBy,
    }),
  );
}
void main();
