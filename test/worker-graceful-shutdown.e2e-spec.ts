import { Fleet, tag } from './support/fleet';
import { startService, type ServiceProcess } from './support/service-process';

const SHUTDOWN_TIMEOUT_MS = 4_000;

/**
 * Acceptance 3 of issue #24: SIGTERM to a worker in the middle of a run. The worker stops taking
 * jobs, lets what is in flight finish until the limit is near, gives the rest back to the queue,
 * and exits 0 within SHUTDOWN_TIMEOUT_MS; another worker finishes the run with every mailbox
 * holding the list exactly once.
 */
describe('graceful worker shutdown', () => {
  let fleet: Fleet;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({
      // Slow creates (600 ms each, 4 at a time): a mailbox's 30 creates take about 5 s, longer
      // than the drain budget (3 s), so SIGTERM finds jobs that cannot finish in time.
      sim: { usersPerTenant: 30, seed: 33, serviceTimeMs: { 'contacts.create': 600 } },
      worker: false,
    });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await fleet?.stop();
  });

  it('returns unfinished jobs to the queue, exits 0 within the limit, and the run converges without duplicates', async () => {
    const env = {
      ...fleet.env,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      SYNC_WORKER_CONCURRENCY: '6',
    };
    const first = startService('apps/worker/src/main.ts', env);
    workers.push(first);
    await first.listening();
    const listId = await fleet.createList(
      'Stopped',
      {
        sources: [{ id: 'dir', kind: 'directory' }],
        folder: { mode: 'dedicated', name: 'Stopped' },
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
    // Some mailboxes done, others in flight.
    for (;;) {
      const rows = (await fleet.dataSource.query(
        `SELECT mailboxes_total AS total, mailboxes_succeeded AS done FROM sync_run WHERE list_id = '${listId}'`,
      )) as Array<{ total: number; done: number }>;
      if (rows[0] && Number(rows[0].total) > 0 && Number(rows[0].done) >= 3) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const active = await fleet.queues.syncMailbox.getActiveCount();
    expect(active).toBeGreaterThan(0);

    const stopping = Date.now();
    const code = await first.stop('SIGTERM');
    const tookMs = Date.now() - stopping;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    const returned = first.logs().find((l) => typeof l.returned === 'number');
    expect(returned).toBeDefined();
    expect(returned!.returned).toBeGreaterThan(0);
    // Given back, not left active to stall: nothing is active once the worker is gone.
    expect(await fleet.queues.syncMailbox.getActiveCount()).toBe(0);
    expect(await fleet.queues.syncMailbox.getFailedCount()).toBe(0);

    const second = startService('apps/worker/src/main.ts', {
      ...env,
      SYNC_WORKER_CONCURRENCY: '16',
    });
    workers.push(second);
    const run = await fleet.waitForRun(listId, since, 150_000);
    expect(run.status).toBe('succeeded');
    expect(Number(run.mailboxesFailed)).toBe(0);

    // Every synced mailbox holds the list exactly once.
    const synced = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    const unsettled = (await fleet.dataSource.query(
      `SELECT COUNT(*) AS n FROM mailbox_state WHERE list_id = '${listId}' AND status NOT IN ('in_sync', 'skipped', 'needs_on_premises')`,
    )) as Array<{ n: number }>;
    expect(Number(unsettled[0].n)).toBe(0);
    expect(synced.length).toBeGreaterThan(20);
    let perMailbox: number | undefined;
    for (const { mailbox_id } of synced) {
      const keys = (await fleet.contacts(mailbox_id))
        .filter((c) => tag(c, 'CsListId') === listId)
        .map((c) => tag(c, 'CsSourceKey'));
      expect(new Set(keys).size).toBe(keys.length);
      perMailbox ??= keys.length;
      expect(keys.length).toBe(perMailbox);
    }
    expect(perMailbox).toBeGreaterThan(20);
    // A further run finds nothing to repair.
    const again = await fleet.runNow(listId, 'sync', 90_000);
    expect(again).toMatchObject({
      status: 'succeeded',
      itemsCreated: 0,
      itemsUpdated: 0,
      itemsDeleted: 0,
    });
    await second.stop('SIGTERM');
  }, 240_000);
});
