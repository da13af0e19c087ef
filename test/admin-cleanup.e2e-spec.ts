import { LOG_STORE, type LogStore } from '@app/logstore';
import { SyncQueues } from '@app/queue';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { CleanupSweeper } from '../apps/worker/src/cleanup-sweeper';
import { AdvanceCleanupProcessor } from '../apps/worker/src/processors/advance-cleanup.processor';
import { FinishRunProcessor } from '../apps/worker/src/processors/finish-run.processor';
import { PlanRunProcessor } from '../apps/worker/src/processors/plan-run.processor';
import { SyncMailboxProcessor } from '../apps/worker/src/processors/sync-mailbox.processor';
import { RunSweeper } from '../apps/worker/src/run-sweeper';
import { AdminHarness, type Browser } from './support/admin-harness';
import {
  DIRECTORY_SETTINGS,
  graphAsApp,
  ourItems,
  simContacts,
  simControl,
  waitRun,
} from './support/admin-sim';

interface Progress {
  state: string;
  phase: string | null;
  attempt: number;
  error: { code: string; message: string } | null;
  lists: Array<{
    listId: string;
    runId: string | null;
    status: string;
    mailboxes: { done: number; total: number };
    itemsDeleted: number;
  }>;
  totals: { mailboxesDone: number; mailboxesTotal: number; itemsDeleted: number };
  removeApp?: { clientId: string; steps: string[]; links: Record<string, string> };
}

const UNFINISHED = ['requested', 'cleaning', 'wiping'];

/** Polls the tenant_cleanup row (never the API) until `until` accepts its state. */
async function waitCleanupRow(
  h: AdminHarness,
  tenantId: string,
  until: (state: string) => boolean = (s) => !UNFINISHED.includes(s),
  timeoutMs = 60_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await h.dataSource.query('SELECT state FROM tenant_cleanup WHERE tenant_id = ?', [
      tenantId,
    ])) as Array<{ state: string }>;
    if (rows[0] && until(rows[0].state)) return rows[0].state;
    if (Date.now() > deadline) throw new Error(`clean-up stayed ${rows[0]?.state ?? 'absent'}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The clean-up once the worker has finished it (waits on the row), as GET shows it. */
async function waitCleanup(h: AdminHarness, b: Browser, tenantId: string): Promise<Progress> {
  await waitCleanupRow(h, tenantId);
  const r = await b.request<Progress>('GET', '/api/tenant/cleanup');
  expect(r.status).toBe(200);
  return r.body;
}

async function tenantRowId(h: AdminHarness, azureTenantId: string): Promise<string> {
  const rows = (await h.dataSource.query('SELECT id FROM tenant WHERE azure_tenant_id = ?', [
    azureTenantId,
  ])) as Array<{ id: string }>;
  return rows[0].id;
}

/** Every row of the tenant a clean-up (or a GET, wrongly) could change. */
async function snapshotRows(h: AdminHarness, tenantId: string): Promise<string> {
  const tables = [
    'tenant_cleanup',
    'sync_run',
    'audit_event',
    'mailbox_state',
    'source_state',
    'contact_list',
    'schedule',
    'alert_settings',
    'ews_connection',
  ];
  const out: Record<string, unknown> = {
    tenant: await h.dataSource.query('SELECT * FROM tenant WHERE id = ?', [tenantId]),
  };
  for (const table of tables)
    out[table] = await h.dataSource.query(
      `SELECT * FROM ${table} WHERE tenant_id = ? ORDER BY id`,
      [tenantId],
    );
  return JSON.stringify(out);
}

describe('clean up and revoke', () => {
  let h: AdminHarness;

  beforeAll(async () => {
    // A consent change is made visible with the simulator's expire-tokens control.
    h = await AdminHarness.start({ worker: true, sim: { tenants: 6 } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  /** Tokens issued so far answer 401: the engine fetches a new one, which shows the consent change. */
  async function expireTokens(tid: string) {
    await simControl(h, 'POST', `/tenants/${tid}/expire-tokens`);
  }

  /** Every mailbox of the tenant holds none of our items; the user's own contact is still there. */
  async function expectNoneOfOurs(tid: string, ownerId: string, ownId: string) {
    const index = h.sim.state.tenants.findIndex((x) => x.id === tid);
    for (const id of h.sim.state.tenants[index].users.keys()) {
      const contacts = await simContacts(h, tid, id);
      expect([id, ourItems(contacts).length]).toEqual([id, 0]);
      if (id === ownerId) expect(contacts.map((c) => c.id)).toContain(ownId);
    }
  }

  /** Signs in, onboards, creates a list for a group, adds a user's own contact, syncs. */
  async function onboardAndSync(index: number) {
    const t = h.tenant(index);
    const admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Company', settings: DIRECTORY_SETTINGS },
    });
    expect(list.status).toBe(201);
    const simTenant = h.sim.state.tenants[index];
    const hasMailbox = (id: string) => {
      const u = simTenant.users.get(id);
      return (
        !!u &&
        u.mailbox === 'cloud' &&
        u.purpose === 'user' &&
        !u.deleted &&
        u.user.accountEnabled === true &&
        (u.user.assignedLicenses ?? []).length > 0
      );
    };
    const group = [...simTenant.groups.values()].find(
      (g) => g.memberUserIds.filter(hasMailbox).length >= 3,
    )!;
    expect(
      (
        await admin.request('POST', `/api/lists/${list.body.id}/targets`, {
          body: { kind: 'group', id: group.group.id },
        })
      ).status,
    ).toBe(201);
    const members = group.memberUserIds.filter(hasMailbox);
    const own = await graphAsApp<{ id: string }>(h, t.id, 'POST', `/users/${members[0]}/contacts`, {
      displayName: 'My dentist',
      emailAddresses: [{ address: 'dentist@example.com', name: 'My dentist' }],
    });
    expect(own.status).toBe(201);
    const sync = await admin.request<{ runId: string }>('POST', `/api/lists/${list.body.id}/sync`);
    expect(sync.status).toBe(202);
    const run = await waitRun<{ status: string; items: { created: number } }>(
      admin,
      sync.body.runId,
    );
    expect(run.status).toBe('succeeded');
    expect(run.items.created).toBeGreaterThan(0);
    const tenantId = await tenantRowId(h, t.id);
    return { t, tenantId, admin, listId: list.body.id, members, ownId: own.body.id };
  }

  it('removes our items from every mailbox, keeps users’ own contacts, wipes logs and suspends the tenant', async () => {
    const { t, tenantId, admin, listId, members, ownId } = await onboardAndSync(0);
    const synced = new Map<string, number>();
    for (const id of members) synced.set(id, ourItems(await simContacts(h, t.id, id)).length);
    expect([...synced.values()].every((n) => n > 0)).toBe(true);
    const totalOurs = [...synced.values()].reduce((a, b) => a + b, 0);

    const stateRows = Number(
      (
        (await h.dataSource.query('SELECT COUNT(*) AS n FROM mailbox_state WHERE list_id = ?', [
          listId,
        ])) as Array<{ n: number }>
      )[0].n,
    );
    expect(stateRows).toBeGreaterThanOrEqual(members.length);

    const viewer = h.browser();
    await viewer.signIn(t.viewerUpn);
    expect((await viewer.request('POST', '/api/tenant/cleanup')).status).toBe(403);
    expect((await admin.request('POST', '/api/tenant/cleanup', { csrf: false })).status).toBe(403);
    expect((await admin.request<Progress>('GET', '/api/tenant/cleanup')).body.state).toBe(
      'not_started',
    );

    const started = await admin.request<Progress>('POST', '/api/tenant/cleanup');
    expect(started.status).toBe(202);
    expect(started.body.lists.map((l) => l.listId)).toEqual([listId]);
    expect(started.body).toMatchObject({ state: 'running', attempt: 1, error: null });
    // Lists are disabled at once: no sync can put items back.
    expect((await admin.request('POST', `/api/lists/${listId}/sync`)).status).toBe(409);

    const done = await waitCleanup(h, admin, tenantId);
    expect(done.state).toBe('revoked');
    expect(done.lists[0]).toMatchObject({ status: 'succeeded' });
    expect(done.lists[0].mailboxes.done).toBe(done.lists[0].mailboxes.total);
    expect(done.lists[0].mailboxes.total).toBe(stateRows);
    expect(done.totals.itemsDeleted).toBe(totalOurs);
    expect(done.removeApp!.clientId).toBe(h.config.microsoft!.clientId);
    expect(done.removeApp!.steps.join('\n')).toMatch(/Enterprise applications/);
    expect(done.removeApp!.links.adminConsentRevocation).toContain(h.config.microsoft!.clientId);

    await expectNoneOfOurs(t.id, members[0], ownId);

    const tenant = (await h.dataSource.query(
      'SELECT id, status FROM tenant WHERE azure_tenant_id = ?',
      [t.id],
    )) as Array<{ id: string; status: string }>;
    expect(tenant[0].status).toBe('suspended');
    const logStore = h.app.get<LogStore>(LOG_STORE);
    expect(await logStore.errorSummary(tenant[0].id)).toEqual([]);
    expect(await logStore.getSnapshot(tenant[0].id, listId)).toBeUndefined();
    const events = (await h.dataSource.query(
      'SELECT action FROM audit_event WHERE tenant_id = ? ORDER BY created_at',
      [tenant[0].id],
    )) as Array<{ action: string }>;
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['tenant.cleanup_start', 'tenant.revoked']),
    );
    expect(
      (await h.dataSource.query('SELECT COUNT(*) AS n FROM mailbox_state WHERE tenant_id = ?', [
        tenant[0].id,
      ])) as Array<{ n: number }>,
    ).toEqual([{ n: 0 }]);

    // The tenant is no longer usable, but the outcome stays readable; a second revoke is refused.
    expect((await admin.request('GET', '/api/lists')).status).toBe(403);
    expect((await admin.request<Progress>('GET', '/api/tenant/cleanup')).body.state).toBe(
      'revoked',
    );
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(409);
    expect((await admin.request('GET', '/api/tenant')).body).toMatchObject({ status: 'suspended' });
  }, 120_000);

  it('a tenant whose consent vanished is orphaned; re-consent restores it and clean-up then succeeds', async () => {
    const { t, tenantId, admin, listId, members, ownId } = await onboardAndSync(1);
    const clientId = h.sim.info.apps[0].clientId;
    await simControl(h, 'DELETE', `/tenants/${t.id}/consent/${clientId}`);
    await expireTokens(t.id);
    const sync = await admin.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
    expect(sync.status).toBe(202);
    // The engine marks the tenant; from then on only onboarding routes answer.
    let run: { status: string; error_code: string } | undefined;
    for (let i = 0; i < 200 && !run; i++) {
      const rows = (await h.dataSource.query(
        'SELECT status, error_code FROM sync_run WHERE id = ? AND finished_at IS NOT NULL',
        [sync.body.runId],
      )) as Array<{ status: string; error_code: string }>;
      run = rows[0];
      if (!run) await new Promise((r) => setTimeout(r, 100));
    }
    expect(run).toEqual({ status: 'failed', error_code: 'CONSENT_REVOKED' });
    expect((await admin.request('GET', `/api/runs/${sync.body.runId}`)).status).toBe(403);

    const view = await admin.request<{ status: string; reconsent: { url: string } }>(
      'GET',
      '/api/tenant',
    );
    expect(view.body.status).toBe('orphaned');
    expect(view.body.reconsent.url).toBe('/api/onboarding/consent');
    expect((await admin.request('GET', '/api/auth/me')).body).toMatchObject({
      tenantStatus: 'orphaned',
    });
    const refused = await admin.request<{ message: string }>('POST', '/api/tenant/cleanup');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/consent again/);
    for (const id of members)
      expect(ourItems(await simContacts(h, t.id, id)).length).toBeGreaterThan(0);

    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    expect((await admin.request('GET', '/api/tenant')).body).toMatchObject({ status: 'active' });
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(202);
    const done = await waitCleanup(h, admin, tenantId);
    expect(done.state).toBe('revoked');
    await expectNoneOfOurs(t.id, members[0], ownId);
  }, 120_000);

  it('a failed clean-up revokes nothing; once the cause is fixed, clean-up runs again and revokes', async () => {
    const { t, tenantId, admin, members, ownId } = await onboardAndSync(2);
    const clientId = h.sim.info.apps[0].clientId;
    await simControl(h, 'DELETE', `/tenants/${t.id}/consent/${clientId}/roles/Contacts.ReadWrite`);
    await expireTokens(t.id);
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(202);
    const failed = await waitCleanup(h, admin, tenantId);
    expect(failed.state).toBe('failed');
    expect(failed).toMatchObject({ phase: 'failed', attempt: 1 });
    expect(failed.error!.code).toBe('CLEANUP_RUN_FAILED');
    // Both mailboxes are refused (the role is gone): no mailbox succeeded, the run failed.
    expect(failed.lists[0].status).toBe('failed');
    expect(failed.removeApp).toBeUndefined();
    const tenantRow = (await h.dataSource.query(
      'SELECT id, status FROM tenant WHERE azure_tenant_id = ?',
      [t.id],
    )) as Array<{ id: string; status: string }>;
    expect(tenantRow[0].status).toBe('active');
    const logStore = h.app.get<LogStore>(LOG_STORE);
    expect((await logStore.errorSummary(tenantRow[0].id)).length).toBeGreaterThan(0);
    expect(ourItems(await simContacts(h, t.id, members[0])).length).toBeGreaterThan(0);

    await simControl(h, 'PUT', `/tenants/${t.id}/consent/${clientId}`);
    await expireTokens(t.id);
    // POST again retries the failed clean-up.
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(202);
    const done = await waitCleanup(h, admin, tenantId);
    expect(done).toMatchObject({ state: 'revoked', phase: 'revoked', attempt: 2, error: null });
    await expectNoneOfOurs(t.id, members[0], ownId);
    expect(await logStore.errorSummary(tenantRow[0].id)).toEqual([]);
  }, 120_000);

  it('a clean-up nobody polls completes: the worker advances it to revoked', async () => {
    const { t, tenantId, admin, members, ownId } = await onboardAndSync(3);
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(202);
    // Only the state row is watched: no GET /api/tenant/cleanup until the end.
    expect(await waitCleanupRow(h, tenantId)).toBe('revoked');
    const tenant = (await h.dataSource.query('SELECT status FROM tenant WHERE id = ?', [
      tenantId,
    ])) as Array<{ status: string }>;
    expect(tenant[0].status).toBe('suspended');
    await expectNoneOfOurs(t.id, members[0], ownId);
    const done = await admin.request<Progress>('GET', '/api/tenant/cleanup');
    expect(done.body).toMatchObject({ state: 'revoked', phase: 'revoked' });
    expect(done.body.totals.itemsDeleted).toBeGreaterThan(0);
  }, 120_000);

  it('GET /api/tenant/cleanup, called 100 times during a clean-up, changes no row', async () => {
    const { t, tenantId, admin, members, ownId } = await onboardAndSync(4);
    const worker = h.worker!;
    const mailboxes = worker.get(SyncMailboxProcessor);
    // Mailbox jobs wait, so the clean-up is caught mid-way: its run planned, nothing removed yet.
    await mailboxes.worker.pause();
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(202);
    await waitCleanupRow(h, tenantId, (s) => s === 'cleaning');
    // The rest of the worker is then held still (jobs and sweeps), so any change between two
    // snapshots could only come from the GET between them.
    const processors: Array<{ worker: { pause(): Promise<void>; resume(): void } }> = [
      PlanRunProcessor,
      FinishRunProcessor,
      AdvanceCleanupProcessor,
    ].map((p) => worker.get<{ worker: { pause(): Promise<void>; resume(): void } }>(p));
    const sweepers = [worker.get(RunSweeper), worker.get(CleanupSweeper)];
    for (const s of sweepers) await s.onApplicationShutdown();
    for (const p of processors) await p.worker.pause();
    processors.push(mailboxes);
    try {
      const phases = new Set<string | null>();
      for (let i = 0; i < 100; i++) {
        const before = await snapshotRows(h, tenantId);
        const r = await admin.request<Progress>('GET', '/api/tenant/cleanup');
        expect(r.status).toBe(200);
        phases.add(r.body.phase);
        expect(await snapshotRows(h, tenantId)).toBe(before);
      }
      // It was a clean-up in progress that the GETs looked at (not one already over).
      expect([...phases]).toEqual(['cleaning']);
    } finally {
      for (const p of processors) p.worker.resume();
      for (const s of sweepers) s.onApplicationBootstrap();
    }
    expect(await waitCleanupRow(h, tenantId)).toBe('revoked');
    await expectNoneOfOurs(t.id, members[0], ownId);
  }, 120_000);

  it('a clean-up whose jobs Redis lost is advanced by the sweep of the next worker start', async () => {
    const { t, tenantId, admin, members, ownId } = await onboardAndSync(5);
    await h.worker!.close();
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(202);
    // Redis loses the advance job the request enqueued: only the tenant_cleanup row remains.
    await h.app.get(SyncQueues).advanceCleanup.obliterate({ force: true });
    expect(await waitCleanupRow(h, tenantId, () => true)).toBe('requested');
    h.worker = await NestFactory.create(WorkerModule.forRoot(h.config), { logger: false });
    await h.worker.init();
    expect(await waitCleanupRow(h, tenantId)).toBe('revoked');
    await expectNoneOfOurs(t.id, members[0], ownId);
  }, 120_000);
});
