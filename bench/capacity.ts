import { sampleProc } from './proc';
import type { BenchSim } from './sim';

export interface CapacityResult {
  seconds: number;
  batches: number;
  subRequests: number;
  throttledOrFailed: number;
  simCpuSeconds: number;
  subRequestsPerSec: number;
  subRequestsPerSecPerCore: number;
  lanes: number;
}

/**
 * Simulator capacity: a tight client loop of `$batch` requests of 20 contact creates, one lane
 * per mailbox (a mailbox allows 4 concurrent requests, a batch dispatches 4 at a time), with
 * service time 0 and budgets out of the way. Per core = sub-requests per CPU second the
 * simulator process spent (it is one Node.js thread).
 */
export async function measureSimCapacity(
  sim: BenchSim,
  mailboxes: readonly string[],
  seconds: number,
): Promise<CapacityResult> {
  await sim.configure({
    serviceTimeMs: { '*': 0 },
    serviceTimeJitterMs: 0,
    throttle: { mailboxWindowRequests: 1e9, appWindowRequests: 1e9, mailboxConcurrency: 4 },
  });
  const token = await sim.token();
  const url = `${sim.ready.baseUrl}/v1.0/$batch`;
  let batches = 0;
  let ok = 0;
  let bad = 0;
  let serial = 0;
  const before = sampleProc(sim.service.pid);
  const t0 = performance.now();
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    mailboxes.map(async (mailbox) => {
      while (Date.now() < end) {
        const requests = Array.from({ length: 20 }, (_, i) => ({
          id: String(i + 1),
          method: 'POST',
          url: `/users/${mailbox}/contacts`,
          headers: { 'content-type': 'application/json' },
          body: {
            displayName: `Capacity ${++serial}`,
            givenName: 'Capacity',
            surname: String(serial),
            emailAddresses: [{ address: `cap${serial}@example.com` }],
            businessPhones: ['+1 425 555 0100'],
          },
        }));
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ requests }),
          dispatcher: sim.dispatcher,
        } as RequestInit);
        const body = (await res.json()) as { responses?: Array<{ status: number }> };
        batches++;
        for (const r of body.responses ?? [])
          if (r.status < 300) ok++;
          else bad++;
        if (!body.responses) bad += 20;
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const after = sampleProc(sim.service.pid);
  const cpu = before && after ? after.cpuSeconds - before.cpuSeconds : NaN;
  return {
    seconds: wall,
    batches,
    subRequests: ok,
    throttledOrFailed: bad,
    simCpuSeconds: cpu,
    subRequestsPerSec: ok / wall,
    subRequestsPerSecPerCore: ok / cpu,
    lanes: mailboxes.length,
  };
}
