import { Fleet, tag } from './support/fleet';

/**
 * A run's item counts survive mailbox jobs rescheduled in the middle of their writes (ADR 0057):
 * with no inline wait allowed, every 429 ends the attempt as THROTTLED after part of its
 * creates, and a later attempt finishes the mailbox; the run still counts every create once.
 */
describe('counts of throttled, rescheduled mailbox jobs', () => {
  let fleet: Fleet;
  const USERS = 30;

  beforeAll(async () => {
    // 15 requests per 10 s per mailbox, Retry-After at most 2 s: no mailbox's 30 creates (and
    // its reads) fit in one window, so every mailbox's writes are cut part-way, more than once.
    fleet = await Fleet.start({
      sim: {
        usersPerTenant: USERS,
        seed: 57,
        throttle: { mailboxWindowRequests: 15, mailboxWindowSeconds: 10, maxRetryAfterSeconds: 2 },
      },
      env: { SYNC_MAX_INLINE_RETRY_SECONDS: '0' },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  let listId: string;
  let perMailbox: number | undefined;
  let mailboxes = 0;

  it('counts every create once though each mailbox was rescheduled mid-write', async () => {
    listId = await fleet.createList(
      'Rescheduled',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    await fleet.resetStats();
    const run = await fleet.runNow(listId, 'sync', 240_000);
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    const stats = await fleet.stats();
    const synced = (await fleet.dataSource.query(
      `SELECT mailbox_id FROM mailbox_state WHERE list_id = '${listId}' AND status = 'in_sync'`,
    )) as Array<{ mailbox_id: string }>;
    expect(synced.length).toBeGreaterThan(20);
    mailboxes = synced.length;
    for (const { mailbox_id } of synced) {
      const ours = (await fleet.contacts(mailbox_id)).filter((c) => tag(c, 'CsListId') === listId);
      const keys = new Set(ours.map((c) => tag(c, 'CsSourceKey')));
      expect(keys.size).toBe(ours.length);
      perMailbox ??= ours.length;
      expect(ours.length).toBe(perMailbox);
    }
    expect(perMailbox).toBeGreaterThan(20);
    // Most mailboxes' writes were cut by a 429 (no inline wait: a reschedule); how many depends
    // on how the jobs' requests fall into the windows, so at least half, not all.
    const written = new Set(synced.map((s) => s.mailbox_id));
    const throttledMailboxes = stats.mailboxes.filter(
      (m) => written.has(m.userId.toLowerCase()) && m.throttled > 0,
    );
    expect(throttledMailboxes.length).toBeGreaterThanOrEqual(Math.ceil(synced.length / 2));
    expect(stats.ops['contacts.create'].throttled).toBeGreaterThan(0);
    // The run counts what the simulator applied (its count includes the creates it refused with
    // a 429), which is what the mailboxes hold.
    const creates = stats.ops['contacts.create'];
    expect(creates.count - creates.throttled).toBe(perMailbox! * synced.length);
    expect(run.itemsCreated).toBe(creates.count - creates.throttled);
    // ... and so does each mailbox's row in the run history.
    const rows = (await fleet.dataSource.query(
      `SELECT items_created FROM run_mailbox WHERE run_id = '${run.id}' AND outcome = 'succeeded'`,
    )) as Array<{ items_created: number | string }>;
    expect(rows.map((r) => Number(r.items_created))).toEqual(
      Array.from({ length: synced.length }, () => perMailbox),
    );
  }, 300_000);

  it('counts every delete of a clean-up once though each mailbox was rescheduled mid-delete', async () => {
    // 6 requests per mailbox in a window that real time never frees: every mailbox's clean-up
    // (a listing and one delete per item) is cut by a 429 after its first few deletes, however
    // fast or slow the machine. After each 429 the test moves the simulator's throttle clock past
    // the window, so the rescheduled attempt (Retry-After at most 2 s) goes on where it stopped.
    await fleet.simFetch('/_sim/config', {
      method: 'PUT',
      body: {
        throttle: { mailboxWindowRequests: 6, mailboxWindowSeconds: 600, maxRetryAfterSeconds: 2 },
      },
    });
    await fleet.resetStats();
    let cleaning = true;
    const windowsFreed = (async () => {
      let seen = 0;
      while (cleaning) {
        const { throttled } = await fleet.stats();
        if (throttled > seen) {
          seen = throttled;
          await fleet.simFetch('/_sim/throttle/advance', {
            method: 'POST',
            body: { seconds: 600 },
          });
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let run: Awaited<ReturnType<Fleet['runNow']>>;
    try {
      run = await fleet.runNow(listId, 'cleanup', 240_000);
    } finally {
      cleaning = false;
      await windowsFreed;
    }
    expect(run).toMatchObject({ status: 'succeeded', mailboxesFailed: 0 });
    const stats = await fleet.stats();
    const deletes = stats.ops['contacts.delete'];
    expect(deletes.throttled).toBeGreaterThan(0);
    expect(deletes.count - deletes.throttled).toBe(perMailbox! * mailboxes);
    expect(run.itemsDeleted).toBe(deletes.count - deletes.throttled);
    const left = (await fleet.dataSource.query(
      `SELECT COUNT(*) AS n FROM mailbox_state WHERE list_id = '${listId}' AND folder_id IS NOT NULL`,
    )) as Array<{ n: number | string }>;
    expect(Number(left[0].n)).toBe(0);
  }, 300_000);
});
