/**
 * A discrete-event model of the envelope run for tuning the mailbox pace in milliseconds of
 * CPU instead of minutes of benchmark: N mailboxes of one tenant, each with a sliding window of
 * B requests per W ms answering 429 with a whole-second Retry-After, reached with a random
 * one-way delay up to JITTER ms and 20 ms per 4 sub-requests; each mailbox does 6 reads, then C
 * writes, through the real MailboxGate and SharedMailboxPace on a simulated clock (the same
 * simulation the gate's tests run). Not a benchmark figure.
 *
 *   node scripts/run-ts.js bench/envelope-model.ts [B W C N JITTER]   (SEED=n, DETAIL=1,
 *   PROCESSES=n: the mailboxes spread over n worker processes, each learning on its own)
 */
import { simulateEnvelope } from '@app/microsoft/testing/envelope-simulation';

async function main(): Promise<void> {
  const [B, W, C, N, JITTER] = [17, 2000, 500, 32, 60].map((fallback, i) =>
    Number(process.argv[2 + i] ?? fallback),
  );
  const result = await simulateEnvelope({
    mailboxes: N,
    budget: B,
    windowMs: W,
    total: C,
    jitterMs: JITTER,
    seed: Number(process.env.SEED ?? 12345),
    // One SharedMailboxPace per worker process: the bench runs 2.
    processes: Number(process.env.PROCESSES ?? 1),
  });
  const ends = result.mailboxes.map((m) => m.end);
  if (process.env.DETAIL)
    for (const m of [...result.mailboxes].sort((a, b) => a.end - b.end))
      console.log(JSON.stringify(m));
  console.log(
    JSON.stringify({
      wall: Math.max(...ends) / 1000,
      fastest: Math.min(...ends) / 1000,
      utilisation: +result.utilisation.toFixed(3),
      share: +result.share.toFixed(4),
      early: result.early,
      pace: result.pace,
      refusedBy: result.refusedBy,
    }),
  );
}
void main();
