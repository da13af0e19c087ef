import type { ContactPatch, ItemWrite, ItemWriteResult, MailboxSession } from '@app/domain';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { gatewayOnSimulator } from '../testing/gateway-on-simulator';
import { SimulatorProcess } from '../testing/simulator-process';
import { GraphContactsStore } from './graph-contacts-store';

// The Graph contacts adapter's batch writes when Graph refuses some sub-requests: every write
// ends with one final per-item result, and a refused create is sent again without creating twice.
let sim: SimulatorProcess;
let redis: Redis;
let store: GraphContactsStore;
let tid: string;
let userId: string;

interface SimStats {
  ops: Record<string, { count: number; throttled: number; errors: number }>;
  mailboxes: Array<{ userId: string; throttled: number; earlyRequests: number }>;
}

const creates = (names: string[]): ItemWrite<ContactPatch>[] =>
  names.map((name, i) => ({
    kind: 'create',
    sourceKey: `key:${i}:${name}`,
    contentHash: `hash-${i}`,
    patch: { displayName: name, givenName: name },
  }));

async function writeAll(
  session: MailboxSession<ContactPatch, unknown>,
  containerId: string,
  listId: string,
  writes: ItemWrite<ContactPatch>[],
): Promise<ItemWriteResult<ContactPatch>[]> {
  const results: ItemWriteResult<ContactPatch>[] = [];
  await session.write(containerId, listId, writes, async (batch) => {
    results.push(...batch);
  });
  return results;
}

async function freshContainer(): Promise<{
  session: MailboxSession<ContactPatch, unknown>;
  containerId: string;
}> {
  const session = store.open({
    tenant: { id: randomUUID(), azureTenantId: tid },
    mailboxId: userId,
  });
  const containerId = (await session.ensureContainer(
    { kind: 'named', name: `Batch ${randomUUID().slice(0, 8)}` },
    { create: true },
  ))!;
  return { session, containerId };
}

async function ourContactsIn(containerId: string): Promise<string[]> {
  const res = await sim.graphAsApp<{ value: Array<{ displayName: string }> }>(
    tid,
    'GET',
    `/users/${userId}/contactFolders/${containerId}/contacts?$top=100`,
  );
  return res.body.value.map((c) => c.displayName).sort();
}

beforeAll(async () => {
  sim = await SimulatorProcess.start(['--tenants', '1', '--users', '6', '--seed', '11']);
  tid = sim.info.tenants[0].id;
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

  const made = gatewayOnSimulator(sim);
  redis = made.redis;
  store = new GraphContactsStore(made.gateway);
});

beforeEach(async () => {
  await sim.control('/faults', 'DELETE');
});

afterAll(async () => {
  redis?.disconnect();
  await sim?.stop();
});

describe('Graph contacts adapter: batch writes Graph partly refuses', () => {
  it('a create refused with 429 is sent again after its Retry-After and created exactly once', async () => {
    const { session, containerId } = await freshContainer();
    await sim.control('/faults', 'PUT', {
      subRequestBurst: {
        status: 429,
        count: 1,
        retryAfterSeconds: 1,
        pathPrefix: `/users/${userId}/contactFolders/${containerId}/contacts`,
      },
    });
    await sim.control('/stats', 'DELETE');
    const results = await writeAll(
      session,
      containerId,
      randomUUID(),
      creates(['Ada', 'Grace', 'Edsger']),
    );

    expect(results.map((r) => [r.write.sourceKey, r.outcome])).toEqual([
      ['key:0:Ada', 'done'],
      ['key:1:Grace', 'done'],
      ['key:2:Edsger', 'done'],
    ]);
    expect(new Set(results.map((r) => r.itemId)).size).toBe(3);
    expect(await ourContactsIn(containerId)).toEqual(['Ada', 'Edsger', 'Grace']);
    const stats = await sim.control<SimStats>('/stats');
    expect(stats.ops['contacts.create'].count).toBe(3); // the refused one never reached the mailbox
    expect(
      (await sim.control<{ subRequestBurst: { count: number } }>('/faults')).subRequestBurst.count,
    ).toBe(0);
  });

  it('a write answered 503 is sent again; a write to a deleted item ends as gone, not retried', async () => {
    const { session, containerId } = await freshContainer();
    const listId = randomUUID();
    const [ada, grace] = await writeAll(session, containerId, listId, creates(['Ada', 'Grace']));
    expect(
      (await sim.graphAsApp(tid, 'DELETE', `/users/${userId}/contacts/${grace.itemId}`)).status,
    ).toBe(204);
    await sim.control('/faults', 'PUT', {
      subRequestBurst: {
        status: 503,
        count: 1,
        pathPrefix: `/users/${userId}/contacts/${ada.itemId}`,
      },
    });
    await sim.control('/stats', 'DELETE');
    const results = await writeAll(session, containerId, listId, [
      {
        ...ada.write,
        kind: 'update',
        itemId: ada.itemId!,
        contentHash: 'hash-0b',
        patch: { displayName: 'Ada L.' },
      },
      {
        ...grace.write,
        kind: 'update',
        itemId: grace.itemId!,
        contentHash: 'hash-1b',
        patch: { displayName: 'Grace H.' },
      },
    ]);

    expect(results.map((r) => r.outcome)).toEqual(['done', 'gone']);
    expect(await ourContactsIn(containerId)).toEqual(['Ada L.']);
    const stats = await sim.control<SimStats>('/stats');
    // Ada's update reached the mailbox once (after the 503), Grace's once (the 404).
    expect(stats.ops['contacts.update']).toMatchObject({ count: 2, errors: 1 });
  });

  it('keeps to the mailbox throttle’s Retry-After: no request reaches the mailbox early', async () => {
    const { session, containerId } = await freshContainer();
    await sim.control('/config', 'PUT', {
      throttle: { mailboxWindowRequests: 3, mailboxWindowSeconds: 1 },
    });
    try {
      await sim.control('/stats', 'DELETE');
      const results = await writeAll(
        session,
        containerId,
        randomUUID(),
        creates(['A', 'B', 'C', 'D', 'E', 'F', 'G']),
      );
      expect(results.map((r) => r.outcome)).toEqual(Array(7).fill('done'));
      expect(await ourContactsIn(containerId)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
      const mailbox = (await sim.control<SimStats>('/stats')).mailboxes.find(
        (m) => m.userId === userId,
      );
      // The simulator's own clock: a request inside a Retry-After it gave counts as early.
      expect(mailbox?.earlyRequests).toBe(0);
      expect(mailbox?.throttled).toBeGreaterThan(0);
    } finally {
      await sim.control('/config', 'PUT', {
        throttle: { mailboxWindowRequests: 10_000, mailboxWindowSeconds: 600 },
      });
    }
  });
});
