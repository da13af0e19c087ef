import { TenantEntity } from '@app/persistence';
import { Fleet } from './support/fleet';
import { waitForQueueIdle } from './support/wait-for-queue-idle';

/** Acceptance 8 of the contact engine: consent revoked in the middle of a run. */
describe('consent revoked mid-run', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({
      // Short-lived tokens, so revocation bites during the run; a little latency, two mailboxes at a time.
      sim: { usersPerTenant: 30, seed: 41, tokenLifetimeSeconds: 2, serviceTimeMs: { '*': 40 } },
      env: { SYNC_WORKER_CONCURRENCY: '2' },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('stops the remaining mailboxes with CONSENT_REVOKED, marks the tenant, and retries nothing', async () => {
    const listId = await fleet.createList(
      'Directory',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    const since = new Date(Date.now() - 1);
    await fleet.queues.triggerRun({
      tenantId: fleet.tenantId,
      listId,
      trigger: 'manual',
      mode: 'sync',
    });
    for (const until = Date.now() + 60_000; ;) {
      const rows = (await fleet.dataSource.query(
        `SELECT mailboxes_succeeded AS n FROM sync_run WHERE list_id = '${listId}'`,
      )) as Array<{ n: number }>;
      if (rows[0] && Number(rows[0].n) >= 2) break;
      if (Date.now() > until)
        throw new Error(
          `the run did not count 2 succeeded mailboxes within 60 s (it has ${rows[0]?.n ?? 'no run'})`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
    await fleet.simFetch(`/_sim/tenants/${fleet.simTenantId}/consent`, { method: 'DELETE' });
    const revokedAt = Date.now();

    const run = await fleet.waitForRun(listId, since, 60_000);
    // No retry loop: the run ends promptly after the tokens run out.
    expect(Date.now() - revokedAt).toBeLessThan(20_000);
    expect(run.mailboxesSucceeded).toBeGreaterThanOrEqual(2);
    expect(run.mailboxesFailed).toBeGreaterThan(0);
    expect(run.status).toBe('partial'); // some mailboxes succeeded before the revocation
    const tenant = await fleet.dataSource
      .getRepository(TenantEntity)
      .findOneByOrFail({ id: fleet.tenantId });
    expect(tenant.status).toBe('consent_revoked');
    const codes = (await fleet.dataSource.query(
      `SELECT DISTINCT last_error_code AS code FROM mailbox_state WHERE list_id = '${listId}' AND status = 'failed'`,
    )) as Array<{ code: string }>;
    expect(codes.map((c) => c.code)).toEqual(['CONSENT_REVOKED']);
    // The last mailbox's record closes the run a moment before its job completes: wait for that.
    for (const until = Date.now() + 45_000; ;) {
      const active = await fleet.queues.syncMailbox.getActiveCount();
      if (active === 0) break;
      if (Date.now() > until)
        throw new Error(`${active} sync-mailbox jobs still active 45 s after the run closed`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const jobs = await fleet.queues.syncMailbox.getJobs([
      'completed',
      'failed',
      'delayed',
      'waiting',
      'active',
    ]);
    expect(jobs.length).toBe(run.mailboxesTotal);
    expect(jobs.every((j) => j.attemptsMade <= 1 && j.finishedOn !== undefined)).toBe(true);

    // A later trigger does not even start: the tenant is marked.
    await fleet.queues.triggerRun({
      tenantId: fleet.tenantId,
      listId,
      trigger: 'manual',
      mode: 'sync',
    });
    await waitForQueueIdle(fleet.queues.planRun);
    expect(
      (
        (await fleet.dataSource.query(
          `SELECT id FROM sync_run WHERE list_id = '${listId}'`,
        )) as unknown[]
      ).length,
    ).toBe(1);
    // Long enough for each wait above to reach its own deadline and say what it waited for.
  }, 240_000);
});
