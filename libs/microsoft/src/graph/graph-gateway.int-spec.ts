import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { gatewayOnSimulator } from '../testing/gateway-on-simulator';
import { SimulatorProcess } from '../testing/simulator-process';
import { GraphGateway } from './graph-gateway';
import type { GraphCall, TenantRef } from './graph-types';
import { MailboxGate } from './mailbox-gate';

// The gateway's $batch retries against the simulator over HTTPS: which sub-requests are sent
// again, and that a Retry-After is waited out before they are.
let sim: SimulatorProcess;
let redis: Redis;
let gateway: GraphGateway;
let tenant: TenantRef;
let userId: string;
const contactIds: string[] = [];

interface SimStats {
  ops: Record<string, { count: number; throttled: number; errors: number }>;
  mailboxes: Array<{ userId: string; throttled: number; earlyRequests: number }>;
}

const getContact = (id: string): GraphCall => ({
  method: 'GET',
  path: `/users/${userId}/contacts/${id}`,
});

/**
 * A gate that records how long it held requests back (the Retry-After it honoured). Its waits
 * pass on a clock of its own, moved together with the simulator's throttle clock
 * (/_sim/throttle/advance), not in real time: a retry sent before the Retry-After it was given
 * is still refused, and counted early, by the simulator.
 */
function recordingGate(): { gate: MailboxGate; waits: number[] } {
  const waits: number[] = [];
  let ahead = 0;
  const gate = new MailboxGate({
    now: () => Date.now() + ahead,
    sleep: async (ms) => {
      waits.push(ms);
      ahead += ms;
      await sim.control('/throttle/advance', 'POST', { seconds: ms / 1000 });
    },
  });
  return { gate, waits };
}

beforeAll(async () => {
  sim = await SimulatorProcess.start(['--tenants', '1', '--users', '6', '--seed', '7']);
  const tid = sim.info.tenants[0].id;
  await sim.control(`/tenants/${tid}/consent`, 'POST', {});
  const users = await sim.control<
    | Array<{ id: string; mailbox: string; purpose?: string }>
    | { users: Array<{ id: string; mailbox: string; purpose?: string }> }
  >(`/tenants/${tid}/users`);
  const user = (Array.isArray(users) ? users : users.users).find(
    (u) => u.mailbox === 'cloud' && (u.purpose ?? 'user') === 'user',
  );
  if (!user) throw new Error('no cloud user mailbox in the simulated tenant');
  userId = user.id;
  for (const name of ['Ada', 'Grace', 'Edsger']) {
    const res = await sim.graphAsApp<{ id: string }>(tid, 'POST', `/users/${userId}/contacts`, {
      displayName: name,
    });
    expect(res.status).toBe(201);
    contactIds.push(res.body.id);
  }

  ({ gateway, redis } = gatewayOnSimulator(sim));
  tenant = { id: randomUUID(), azureTenantId: tid };
});

beforeEach(async () => {
  await sim.control('/faults', 'DELETE');
  await sim.control('/stats', 'DELETE');
});

afterAll(async () => {
  redis?.disconnect();
  await sim?.stop();
});

const names = (responses: Array<{ status: number; body?: unknown } | undefined>) =>
  responses.map((r) => [r?.status, (r?.body as { displayName?: string } | undefined)?.displayName]);

describe('GraphGateway $batch', () => {
  it('sends a throttled (429) sub-request again, alone, after its Retry-After, and it succeeds', async () => {
    await sim.control('/faults', 'PUT', {
      subRequestBurst: {
        status: 429,
        count: 1,
        retryAfterSeconds: 1,
        pathPrefix: `/users/${userId}/contacts/${contactIds[1]}`,
      },
    });
    const { gate, waits } = recordingGate();
    const outcome = await gateway.batch(tenant, contactIds.map(getContact), gate);

    expect(outcome.throttledForMs).toBeUndefined();
    expect(names(outcome.responses)).toEqual([
      [200, 'Ada'],
      [200, 'Grace'],
      [200, 'Edsger'],
    ]);
    expect([gate.throttledResponses, gate.retries]).toEqual([1, 1]);
    // Two envelopes; each contact reached the mailbox once (the refused one never got there).
    const stats = await sim.control<SimStats>('/stats');
    expect(stats.ops.batch.count).toBe(2);
    expect(stats.ops['contacts.get'].count).toBe(3);
    // The gate held the retry back for the whole Retry-After before sending it.
    expect(Math.max(0, ...waits)).toBeGreaterThanOrEqual(900);
    expect(
      (await sim.control<{ subRequestBurst: { count: number } }>('/faults')).subRequestBurst.count,
    ).toBe(0);
  });

  it('sends a sub-request answered 503 again and reports its success', async () => {
    await sim.control('/faults', 'PUT', {
      subRequestBurst: {
        status: 503,
        count: 1,
        pathPrefix: `/users/${userId}/contacts/${contactIds[2]}`,
      },
    });
    const { gate } = recordingGate();
    const outcome = await gateway.batch(tenant, contactIds.map(getContact), gate);

    expect(outcome.throttledForMs).toBeUndefined();
    expect(names(outcome.responses)).toEqual([
      [200, 'Ada'],
      [200, 'Grace'],
      [200, 'Edsger'],
    ]);
    expect([gate.throttledResponses, gate.retries]).toEqual([1, 1]);
    const stats = await sim.control<SimStats>('/stats');
    expect(stats.ops.batch.count).toBe(2);
    expect(stats.ops['contacts.get'].count).toBe(3);
  });

  it('does not send a 4xx sub-request again and reports it at its own index', async () => {
    // A contact deleted since: Graph answers 404 ErrorItemNotFound.
    const gone = await sim.graphAsApp<{ id: string }>(
      tenant.azureTenantId!,
      'POST',
      `/users/${userId}/contacts`,
      { displayName: 'Gone' },
    );
    expect(
      (
        await sim.graphAsApp(
          tenant.azureTenantId!,
          'DELETE',
          `/users/${userId}/contacts/${gone.body.id}`,
        )
      ).status,
    ).toBe(204);
    await sim.control('/stats', 'DELETE');
    const { gate } = recordingGate();
    const outcome = await gateway.batch(
      tenant,
      [getContact(contactIds[0]), getContact(gone.body.id), getContact(contactIds[2])],
      gate,
    );

    expect(outcome.throttledForMs).toBeUndefined();
    expect(outcome.responses.map((r) => r?.status)).toEqual([200, 404, 200]);
    expect((outcome.responses[1]?.body as { error: { code: string } }).error.code).toBe(
      'ErrorItemNotFound',
    );
    expect([gate.throttledResponses, gate.retries]).toEqual([0, 0]);
    const stats = await sim.control<SimStats>('/stats');
    expect(stats.ops.batch.count).toBe(1);
    expect(stats.ops['contacts.get'].count).toBe(3);
  });

  it('honours the mailbox throttle’s Retry-After: no request reaches the mailbox early', async () => {
    // Two requests a second per mailbox: the third sub-request of the batch is refused.
    await sim.control('/config', 'PUT', {
      throttle: { mailboxWindowRequests: 2, mailboxWindowSeconds: 1 },
    });
    try {
      const { gate } = recordingGate();
      const outcome = await gateway.batch(tenant, contactIds.map(getContact), gate);

      expect(outcome.responses.map((r) => r?.status)).toEqual([200, 200, 200]);
      expect(gate.retries).toBe(1);
      const stats = await sim.control<SimStats>('/stats');
      const mailbox = stats.mailboxes.find((m) => m.userId === userId);
      // The simulator's own clock: a request inside a Retry-After it gave counts as early.
      expect(mailbox).toMatchObject({ throttled: 1, earlyRequests: 0 });
      expect(stats.ops['contacts.get']).toMatchObject({ count: 4, throttled: 1 });
    } finally {
      await sim.control('/config', 'PUT', {
        throttle: { mailboxWindowRequests: 10_000, mailboxWindowSeconds: 600 },
      });
    }
  });
});
