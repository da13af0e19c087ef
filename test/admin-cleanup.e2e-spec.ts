import { LOG_STORE, type LogStore } from '@app/logstore';
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

async function waitCleanup(b: Browser, timeoutMs = 60_000): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await b.request<Progress>('GET', '/api/tenant/cleanup');
    expect(r.status).toBe(200);
    if (r.body.state !== 'running') return r.body;
    if (Date.now() > deadline) throw new Error(`clean-up did not end: ${r.text}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}

describe('clean up and revoke', () => {
  let h: AdminHarness;

  beforeAll(async () => {
    // Short-lived tokens, so a consent removed in the simulator shows at the next request.
    h = await AdminHarness.start({
      worker: true,
      sim: { tenants: 3, tokenLifetimeSeconds: 2 },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

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
    return { t, admin, listId: list.body.id, members, ownId: own.body.id };
  }

  it('removes our items from every mailbox, keeps users’ own contacts, wipes logs and suspends the tenant', async () => {
    const { t, admin, listId, members, ownId } = await onboardAndSync(0);
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
    // Lists are disabled at once: no sync can put items back.
    expect((await admin.request('POST', `/api/lists/${listId}/sync`)).status).toBe(409);

    const done = await waitCleanup(admin);
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
    const { t, admin, listId, members, ownId } = await onboardAndSync(1);
    const clientId = h.sim.info.apps[0].clientId;
    await simControl(h, 'DELETE', `/tenants/${t.id}/consent/${clientId}`);
    await new Promise((r) => setTimeout(r, 2500)); // tokens issued before it expire
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
    const done = await waitCleanup(admin);
    expect(done.state).toBe('revoked');
    await expectNoneOfOurs(t.id, members[0], ownId);
  }, 120_000);

  it('a failed clean-up revokes nothing; once the cause is fixed, clean-up runs again and revokes', async () => {
    const { t, admin, members, ownId } = await onboardAndSync(2);
    const clientId = h.sim.info.apps[0].clientId;
    await simControl(h, 'DELETE', `/tenants/${t.id}/consent/${clientId}/roles/Contacts.ReadWrite`);
    await new Promise((r) => setTimeout(r, 2500)); // tokens with the role expire
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(202);
    const failed = await waitCleanup(admin);
    expect(failed.state).toBe('failed');
    expect(['failed', 'partial']).toContain(failed.lists[0].status);
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
    await new Promise((r) => setTimeout(r, 2500));
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(202);
    const done = await waitCleanup(admin);
    expect(done.state).toBe('revoked');
    await expectNoneOfOurs(t.id, members[0], ownId);
    expect(await logStore.errorSummary(tenantRow[0].id)).toEqual([]);
  }, 120_000);
});
