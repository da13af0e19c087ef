import { Fleet, tag } from './support/fleet';
import { startService, type ServiceProcess } from './support/service-process';

/** Acceptance 4 of the contact engine: lost responses and killed workers leave no duplicates. */
describe('crash safety', () => {
  let fleet: Fleet;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({
      sim: { usersPerTenant: 40, seed: 51, serviceTimeMs: { '*': 15 } },
      worker: false,
    });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await fleet?.stop();
  });

  async function expectExactlyOnce(listId: string): Promise<number> {
    const synced = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    let perMailbox: number | undefined;
    for (const { mailbox_id } of synced) {
      const ours = (await fleet.contacts(mailbox_id)).filter((c) => tag(c, 'CsListId') === listId);
      const keys = ours.map((c) => tag(c, 'CsSourceKey'));
      expect(new Set(keys).size).toBe(keys.length);
      perMailbox ??= keys.length;
      expect(keys.length).toBe(perMailbox);
    }
    return perMailbox ?? 0;
  }

  it('a response dropped after a create was applied does not produce a duplicate', async () => {
    workers.push(startService('apps/worker/src/main.ts', { ...fleet.env, LOG_LEVEL: 'info' }));
    await workers[0].listening();
    const listId = await fleet.createList(
      'Dropped',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    await fleet.simFetch('/_sim/faults', {
      method: 'PUT',
      body: { dropAfterWrite: { count: 3, pathPrefix: '/v1.0/$batch' } },
    });
    const run = await fleet.runNow(listId, 'sync', 120_000);
    expect(run.status).toBe('succeeded');
    const stats = await fleet.stats();
    const perMailbox = await expectExactlyOnce(listId);
    expect(perMailbox).toBeGreaterThan(20);
    const mailboxes = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as unknown[];
    // Every create the simulator applied is one contact in place: none was sent twice ...
    expect(stats.ops['contacts.create'].count).toBe(perMailbox * mailboxes.length);
    // ... and the creates whose responses were lost are counted by the attempt that adopted them.
    expect(run.itemsCreated).toBe(stats.ops['contacts.create'].count);
    await workers[0].stop('SIGTERM');
  });

  it.each([0.2, 0.6])(
    'a worker killed with SIGKILL at %p of a run converges after restart with no duplicates and nothing lost',
    async (at) => {
      await fleet.simFetch('/_sim/faults', { method: 'DELETE' });
      const worker = startService('apps/worker/src/main.ts', {
        ...fleet.env,
        LOG_LEVEL: 'info',
        SYNC_WORKER_CONCURRENCY: '4',
      });
      workers.push(worker);
      await worker.listening();
      const listId = await fleet.createList(
        `Killed at ${at}`,
        {
          sources: [{ id: 'dir', kind: 'directory' }],
          folder: { mode: 'dedicated', name: `Killed ${at}` },
        },
        [{ kind: 'all', mode: 'include', value: null }],
      );
      const since = new Date(Date.now() - 1);
      await fleet.queues.triggerRun({
        tenantId: fleet.tenantId,
        listId,
        trigger: 'manual',
        mode: 'sync',
      });
      await fleet.waitForProgress(listId, at);
      await worker.stop('SIGKILL');
      const restarted = startService('apps/worker/src/main.ts', {
        ...fleet.env,
        LOG_LEVEL: 'info',
      });
      workers.push(restarted);
      const run = await fleet.waitForRun(listId, since, 150_000);
      expect(run.status).toBe('succeeded');
      const perMailbox = await expectExactlyOnce(listId);
      expect(perMailbox).toBeGreaterThan(20);
      // A further run finds nothing to repair.
      await fleet.resetStats();
      const again = await fleet.runNow(listId, 'sync', 60_000);
      expect(again).toMatchObject({
        status: 'succeeded',
        itemsCreated: 0,
        itemsUpdated: 0,
        itemsDeleted: 0,
      });
      await restarted.stop('SIGTERM');
    },
    240_000,
  );
});
