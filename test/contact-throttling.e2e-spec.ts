import { Fleet, tag } from './support/fleet';
import { waitForQueueIdle } from './support/wait-for-queue-idle';

/** Acceptance 5 and 6 of the contact engine: overlapping triggers and lists, and throttling. */
describe('overlap and throttling', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    // A small per-mailbox window: the initial push of 60 contacts cannot fit in it.
    fleet = await Fleet.start({
      sim: {
        usersPerTenant: 60,
        seed: 31,
        throttle: { mailboxWindowRequests: 25, mailboxWindowSeconds: 2, maxRetryAfterSeconds: 2 },
      },
      env: { SYNC_MAX_INLINE_RETRY_SECONDS: '3' },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  const oursIn = async (mailboxId: string, listId: string) =>
    (await fleet.contacts(mailboxId)).filter((c) => tag(c, 'CsListId') === listId);

  it('a throttled run completes, waits out every Retry-After, and never sends early', async () => {
    const listId = await fleet.createList(
      'Throttled',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    const run = await fleet.runNow(listId, 'sync', 240_000);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    const stats = await fleet.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.mailboxes.reduce((n, m) => n + m.earlyRequests, 0)).toBe(0);
    const synced = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    const expected = run.itemsCreated / synced.length;
    for (const { mailbox_id } of synced) {
      const ours = await oursIn(mailbox_id, listId);
      expect(ours).toHaveLength(expected);
      expect(new Set(ours.map((c) => tag(c, 'CsSourceKey'))).size).toBe(expected);
    }
  });

  it('"sync now" ten times gives one run; two lists on the same mailboxes stay within 4 concurrent requests', async () => {
    await fleet.simFetch('/_sim/config', {
      method: 'PUT',
      body: { throttle: { mailboxWindowRequests: 10_000, mailboxWindowSeconds: 600 } },
    });
    const a = await fleet.createList(
      'List A',
      {
        sources: [{ id: 'dir', kind: 'directory' }],
        folder: { mode: 'dedicated', name: 'List A' },
      },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    const b = await fleet.createList(
      'List B',
      {
        sources: [{ id: 'dir', kind: 'directory' }],
        folder: { mode: 'dedicated', name: 'List B' },
      },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    await fleet.resetStats();
    const since = new Date(Date.now() - 1);
    await Promise.all(
      Array.from({ length: 10 }, () =>
        fleet.queues.triggerRun({
          tenantId: fleet.tenantId,
          listId: a,
          trigger: 'manual',
          mode: 'sync',
        }),
      ),
    );
    await fleet.queues.triggerRun({
      tenantId: fleet.tenantId,
      listId: b,
      trigger: 'schedule',
      mode: 'sync',
    });
    await Promise.all(
      Array.from({ length: 3 }, () =>
        fleet.queues.triggerRun({
          tenantId: fleet.tenantId,
          listId: a,
          trigger: 'schedule',
          mode: 'sync',
        }),
      ),
    );
    const [runA, runB] = await Promise.all([
      fleet.waitForRun(a, since, 240_000),
      fleet.waitForRun(b, since, 240_000),
    ]);
    expect(runA.status).toBe('succeeded');
    expect(runB.status).toBe('succeeded');
    // Once every trigger's plan job has been considered, none of them may have started a second run.
    await waitForQueueIdle(fleet.queues.planRun);
    const runsOfA = (await fleet.dataSource.query(
      `SELECT id FROM sync_run WHERE list_id = '${a}'`,
    )) as unknown[];
    expect(runsOfA).toHaveLength(1);
    const stats = await fleet.stats();
    // requests to one mailbox did overlap (the default service time), and none was refused for
    // concurrency: the simulator caps maxConcurrency at 4 itself, so the refusals are the proof
    expect(Math.max(...stats.mailboxes.map((m) => m.maxConcurrency))).toBeGreaterThan(1);
    expect(Math.max(...stats.mailboxes.map((m) => m.maxConcurrency))).toBeLessThanOrEqual(4);
    expect(stats.throttled).toBe(0);
    expect(stats.concurrencyRefused).toBe(0);
    const synced = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${a}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    for (const { mailbox_id } of synced.slice(0, 10)) {
      for (const list of [a, b]) {
        const ours = await oursIn(mailbox_id, list);
        expect(new Set(ours.map((c) => tag(c, 'CsSourceKey'))).size).toBe(ours.length);
        expect(ours.length).toBe(runA.itemsCreated / synced.length);
        expect(new Set(ours.map((c) => c.folderName))).toEqual(
          new Set([list === a ? 'List A' : 'List B']),
        );
      }
    }
  });
});
