import { LOG_STORE, type LogStore } from '@app/logstore';
import { AdminHarness, type Browser } from './support/admin-harness';
import { graphAsApp, ourItems, type SimContact } from './support/admin-sim';

/**
 * Issue #7, acceptance 1, told as one story on a fresh simulated tenant: a first-time admin
 * signs in, denies and then grants consent, builds a list from the directory (filter + field
 * mapping) for a group, previews, syncs, reads the outcomes, then cleans up and revokes.
 * Every expectation about who gets what is computed from the simulator's own data (/_sim),
 * never from the product's code. The steps share state and run in order.
 */

interface SimUserView {
  id: string;
  userPrincipalName: string;
  mail: string | null;
  displayName: string;
  accountEnabled: boolean;
  mailbox: 'cloud' | 'onprem' | 'none';
  purpose: string;
  licensed: boolean;
  deleted: boolean;
}
interface SimUserFull extends SimUserView {
  user: {
    department?: string | null;
    jobTitle?: string | null;
    onPremisesExtensionAttributes?: Record<string, string | null>;
  };
}
interface SimGroup {
  id: string;
  displayName: string;
  memberUserIds: string[];
  memberGroupIds: string[];
}
interface MailboxContact extends SimContact {
  emailAddresses?: Array<{ address: string }>;
  jobTitle?: string | null;
  department?: string | null;
}
interface Outcome {
  mailboxId: string;
  status: string;
  code: string | null;
  message: string | null;
  advice: string | null;
  items: { created: number; updated: number; deleted: number };
}
interface Run {
  id: string;
  listId: string;
  mode: string;
  status: string;
  mailboxes: { total: number; succeeded: number; failed: number };
  items: { created: number; updated: number; deleted: number };
  error: unknown;
  errorCodes: unknown[];
}
interface CleanupProgress {
  state: string;
  lists: Array<{
    listId: string;
    runId: string | null;
    status: string;
    mailboxes: { done: number; total: number; failed: number };
    itemsDeleted: number;
  }>;
  totals: { mailboxesDone: number; mailboxesTotal: number; itemsDeleted: number };
  removeApp?: {
    clientId: string;
    steps: string[];
    links: Record<string, string>;
    graphRequest: string;
  };
  wiped?: { logs: number; snapshots: number; mapChunks: number; mailboxStates: number };
}

const POLL_MS = 100;

/** Polls until `done` holds; fails naming what it waited for and the last answer. */
async function poll<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `${what} did not finish within ${timeoutMs} ms; last: ${JSON.stringify(value)}`,
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** A run's per-mailbox outcomes, every page of them. */
async function outcomesOf(b: Browser, runId: string): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: Outcome[]; nextCursor: string | null } } =
      await b.request(
        'GET',
        `/api/runs/${runId}/mailboxes?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
    expect(page.status).toBe(200);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

describe('issue #7: a first-time admin onboards, syncs a filtered directory list to a group, then cleans up and revokes', () => {
  let h: AdminHarness;
  let admin: Browser;
  let tid: string;
  let adminUpn: string;
  let simUsers: SimUserFull[];
  let group: SimGroup;
  let department: string;
  /** Group members with a mailbox the simulator hosts (cloud, enabled, licensed). */
  let expectedMailboxes: string[];
  /** Directory users the list's filter keeps: in `department` and with a mail address. */
  let expectedContacts: SimUserFull[];
  let listId: string;
  let syncRunId: string;
  let own: { mailboxId: string; id: string };

  const sim = async <T>(path: string): Promise<T> => {
    const res = await h.browser().request<T>('GET', `${h.sim.baseUrl}/_sim${path}`);
    if (res.status !== 200) throw new Error(`GET /_sim${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const mailbox = (userId: string) =>
    sim<{ contacts: MailboxContact[] }>(`/tenants/${tid}/users/${userId}/mailbox`);
  /** The contacts of every mailbox of the tenant as the simulator holds them. */
  const allContacts = async () => {
    const out: Record<string, MailboxContact[]> = {};
    for (const u of simUsers) out[u.id] = (await mailbox(u.id)).contacts;
    return out;
  };
  /** Write requests the simulator has served (creates, updates, deletes, photo uploads). */
  const writesServed = async () => {
    const stats = await sim<{ ops: Record<string, { count: number }> }>('/stats');
    return Object.entries(stats.ops)
      .filter(([op]) => /\.(create|update|delete|put)$/.test(op))
      .map(([op, s]) => `${op} ${s.count}`)
      .sort();
  };
  const ours = async (userId: string) =>
    ourItems((await mailbox(userId)).contacts) as MailboxContact[];

  beforeAll(async () => {
    h = await AdminHarness.start({ worker: true, sim: { tenants: 1, usersPerTenant: 30 } });
    admin = h.browser();
    ({ id: tid, adminUpn } = h.tenant(0));
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('starts from a tenant that never consented and a product that knows no tenant', async () => {
    expect(await sim(`/tenants/${tid}/consent`)).toBeNull();
    expect((await h.counts()).tenant).toBe(0);
  });

  it('1. the first-time admin signs in and may only reach onboarding', async () => {
    const done = await admin.signIn(adminUpn);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/?onboarding=1');
    const me = await admin.request<Record<string, unknown>>('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      kind: 'session',
      azureTenantId: tid,
      tenantStatus: 'not_onboarded',
    });
    const tenant = await admin.request<{ status: string; requiredPermissions: string[] }>(
      'GET',
      '/api/tenant',
    );
    expect(tenant.body.status).toBe('not_onboarded');
    expect(tenant.body.requiredPermissions).toContain('Contacts.ReadWrite');
    const lists = await admin.request<{ error: string }>('GET', '/api/lists');
    expect(lists.status).toBe(403);
    expect(lists.body.error).toBe('tenant_not_onboarded');
  });

  it('2. denied consent answers clearly and creates no tenant', async () => {
    const before = await h.counts();
    const denied = await admin.consent(adminUpn, 'cancel');
    expect(denied.status).toBe(400);
    expect(denied.body).toMatchObject({ error: 'consent_denied', microsoftError: 'access_denied' });
    expect((denied.body as { message: string }).message).toMatch(/not granted.*nothing was set up/);
    expect(await h.counts()).toEqual(before);
    expect(before.tenant).toBe(0);
    expect(await sim(`/tenants/${tid}/consent`)).toBeNull();
    expect((await admin.request('GET', '/api/auth/me')).body).toMatchObject({
      tenantStatus: 'not_onboarded',
    });
    expect((await admin.request('GET', '/api/tenant')).body).toMatchObject({
      status: 'not_onboarded',
    });
    expect((await admin.request('GET', '/api/lists')).status).toBe(403);
  });

  it('3. approved consent is verified, the tenant is active and its granted permissions are listed', async () => {
    const ok = await admin.consent(adminUpn, 'accept');
    expect(ok.status).toBe(200);
    const sp = await sim<{ roles: string[] }>(`/tenants/${tid}/consent`);
    expect(sp.roles.length).toBeGreaterThan(0);
    const granted = [...sp.roles].sort();
    expect(ok.body).toMatchObject({
      azureTenantId: tid,
      status: 'active',
      grantedPermissions: granted,
      missingPermissions: [],
    });
    const tenant = await admin.request('GET', '/api/tenant');
    expect(tenant.body).toMatchObject({
      status: 'active',
      grantedPermissions: granted,
      missingPermissions: [],
    });
    expect((await admin.request('GET', '/api/auth/me')).body).toMatchObject({
      tenantStatus: 'active',
      role: 'admin',
    });
    expect((await h.counts()).tenant).toBe(1);
    const lists = await admin.request<{ items: unknown[] }>('GET', '/api/lists');
    expect(lists.status).toBe(200);
    expect(lists.body.items).toEqual([]);
  });

  it('4. creates a list from the directory with a filter and a field mapping, and targets a group', async () => {
    // The simulator's directory, read through /_sim.
    const views = await sim<SimUserView[]>(`/tenants/${tid}/users`);
    simUsers = [];
    for (const v of views) simUsers.push(await sim<SimUserFull>(`/tenants/${tid}/users/${v.id}`));
    const byId = new Map(simUsers.map((u) => [u.id, u]));
    const hosted = (u: SimUserFull) =>
      u.mailbox === 'cloud' && u.purpose === 'user' && u.accountEnabled && u.licensed;
    const groups = await sim<SimGroup[]>(`/tenants/${tid}/groups`);
    // A group without nested groups whose members either have a hosted mailbox or none at all.
    group = groups.find((g) => {
      const members = g.memberUserIds.map((id) => byId.get(id)!);
      return (
        g.memberGroupIds.length === 0 &&
        members.filter(hosted).length >= 2 &&
        members.every((m) => hosted(m) || m.mailbox === 'none')
      );
    })!;
    expect(group).toBeDefined();
    expectedMailboxes = group.memberUserIds.filter((id) => hosted(byId.get(id)!)).sort();

    const withMail = simUsers.filter((u) => !u.deleted && !!u.mail);
    const counts = new Map<string, number>();
    for (const u of withMail)
      if (u.user.department)
        counts.set(u.user.department, (counts.get(u.user.department) ?? 0) + 1);
    department = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    expectedContacts = withMail.filter((u) => u.user.department === department);
    expect(expectedContacts.length).toBeGreaterThanOrEqual(2);
    expect(expectedContacts.length).toBeLessThan(withMail.length); // the filter does filter
    // The mapped field differs from the attribute it replaces, so the mapping is visible.
    for (const u of expectedContacts) {
      expect(u.user.onPremisesExtensionAttributes?.extensionAttribute1).toMatch(/^CC-\d+$/);
      expect(u.user.jobTitle).not.toBe(u.user.onPremisesExtensionAttributes?.extensionAttribute1);
    }

    const created = await admin.request<{ id: string; name: string }>('POST', '/api/lists', {
      body: {
        name: 'Company directory',
        settings: {
          sources: [
            {
              id: 'dir',
              kind: 'directory',
              mapping: {
                keyPath: 'id',
                fields: {
                  displayName: 'displayName',
                  givenName: 'givenName',
                  surname: 'surname',
                  emailAddresses: 'mail',
                  department: 'department',
                  // The cost centre, kept in an extension attribute, shown as the job title.
                  jobTitle: 'onPremisesExtensionAttributes.extensionAttribute1',
                },
              },
              filter: {
                include: [
                  {
                    when: [
                      {
                        type: 'attribute',
                        path: 'department',
                        operator: 'equals',
                        value: department,
                      },
                      { type: 'hasMail' },
                    ],
                  },
                ],
              },
            },
          ],
        },
      },
    });
    expect(created.status).toBe(201);
    listId = created.body.id;
    const target = await admin.request('POST', `/api/lists/${listId}/targets`, {
      body: { kind: 'group', id: group.id },
    });
    expect(target.status).toBe(201);
    expect(target.body).toMatchObject({ kind: 'group', mode: 'include', objectId: group.id });

    // A contact the user made in Outlook: it must survive everything that follows.
    const mine = await graphAsApp<{ id: string }>(
      h,
      tid,
      'POST',
      `/users/${expectedMailboxes[0]}/contacts`,
      {
        displayName: 'My dentist',
        emailAddresses: [{ address: 'dentist@example.com', name: 'My dentist' }],
      },
    );
    expect(mine.status).toBe(201);
    own = { mailboxId: expectedMailboxes[0], id: mine.body.id };
    expect(await ours(own.mailboxId)).toEqual([]);
  });

  it('5. the preview counts the filtered contacts for every group mailbox and writes nothing', async () => {
    const before = await allContacts();
    const writesBefore = await writesServed();
    const preview = await admin.request<{ runId: string; status: string }>(
      'POST',
      `/api/lists/${listId}/preview`,
    );
    expect(preview.status).toBe(202);
    const run = await poll(
      `preview run ${preview.body.runId}`,
      async () => (await admin.request<Run>('GET', `/api/runs/${preview.body.runId}`)).body,
      (r) => !['queued', 'running'].includes(r.status),
    );
    expect(run).toMatchObject({
      mode: 'dry_run',
      status: 'succeeded',
      error: null,
      mailboxes: {
        total: expectedMailboxes.length,
        succeeded: expectedMailboxes.length,
        failed: 0,
      },
      items: {
        created: expectedMailboxes.length * expectedContacts.length,
        updated: 0,
        deleted: 0,
      },
    });
    const previewed = await outcomesOf(admin, run.id);
    expect(previewed.map((o) => o.mailboxId)).toEqual(expectedMailboxes);
    for (const o of previewed) {
      expect([o.mailboxId, o.status, o.code]).toEqual([o.mailboxId, 'succeeded', 'DRY_RUN_PLAN']);
      expect([o.mailboxId, o.items.created]).toEqual([o.mailboxId, expectedContacts.length]);
    }
    // One entry per mailbox: with two, written in the same millisecond, which one is the
    // mailbox's "last" message was a coin toss.
    const tenantId = (
      (await h.dataSource.query('SELECT id FROM tenant')) as Array<{ id: string }>
    )[0].id;
    const entries = await h.app
      .get<LogStore>(LOG_STORE)
      .queryLogs(tenantId, { runId: run.id, limit: 1000 });
    const perMailbox = entries.items
      .filter((e) => e.mailboxId)
      .map((e) => e.mailboxId)
      .sort();
    expect(perMailbox).toEqual(expectedMailboxes);
    expect(await allContacts()).toEqual(before);
    expect(await writesServed()).toEqual(writesBefore);
  });

  it('6. sync now runs to completion; each group mailbox holds exactly the filtered, mapped contacts', async () => {
    const sync = await admin.request<{ runId: string; status: string }>(
      'POST',
      `/api/lists/${listId}/sync`,
    );
    expect(sync.status).toBe(202);
    expect(sync.body).toMatchObject({ status: 'started' });
    expect(sync.body.runId).toMatch(/^[0-9a-f-]{36}$/);
    syncRunId = sync.body.runId;
    const run = await poll(
      `sync run ${syncRunId}`,
      async () => (await admin.request<Run>('GET', `/api/runs/${syncRunId}`)).body,
      (r) => !['queued', 'running'].includes(r.status),
    );
    expect(run).toMatchObject({
      id: syncRunId,
      listId,
      mode: 'sync',
      status: 'succeeded',
      error: null,
      errorCodes: [],
      mailboxes: {
        total: expectedMailboxes.length,
        succeeded: expectedMailboxes.length,
        failed: 0,
      },
      items: {
        created: expectedMailboxes.length * expectedContacts.length,
        updated: 0,
        deleted: 0,
      },
    });
    const synced = await outcomesOf(admin, syncRunId);
    expect(synced.map((o) => o.mailboxId)).toEqual(expectedMailboxes);
    for (const o of synced) {
      expect([o.mailboxId, o.status, o.advice, o.code]).toEqual([
        o.mailboxId,
        'succeeded',
        null,
        'MAILBOX_SYNCED',
      ]);
      expect([o.mailboxId, o.items.created]).toEqual([o.mailboxId, expectedContacts.length]);
    }

    const expectedByMail = new Map(expectedContacts.map((u) => [u.mail!.toLowerCase(), u]));
    for (const id of expectedMailboxes) {
      const items = await ours(id);
      const mails = items.map((c) => c.emailAddresses?.[0]?.address.toLowerCase()).sort();
      expect([id, mails]).toEqual([id, [...expectedByMail.keys()].sort()]);
      for (const c of items) {
        const u = expectedByMail.get(c.emailAddresses![0].address.toLowerCase())!;
        expect({
          displayName: c.displayName,
          jobTitle: c.jobTitle,
          department: c.department,
        }).toEqual({
          displayName: u.displayName,
          jobTitle: u.user.onPremisesExtensionAttributes!.extensionAttribute1,
          department,
        });
      }
    }
    // Nobody outside the group received anything.
    for (const u of simUsers.filter((x) => !expectedMailboxes.includes(x.id)))
      expect([u.id, (await ours(u.id)).length]).toEqual([u.id, 0]);
    const mine = (await mailbox(own.mailboxId)).contacts.find((c) => c.id === own.id);
    expect(mine?.displayName).toBe('My dentist');

    const history = await admin.request<{ items: Array<{ id: string; mode: string }> }>(
      'GET',
      `/api/runs?listId=${listId}`,
    );
    expect(history.body.items.map((r) => r.mode).sort()).toEqual(['dry_run', 'sync']);
  });

  it('7. clean-up and revoke removes our items everywhere, keeps the user’s own, wipes our data and ends the tenant', async () => {
    const started = await admin.request<CleanupProgress>('POST', '/api/tenant/cleanup');
    expect(started.status).toBe(202);
    expect(started.body.lists.map((l) => l.listId)).toEqual([listId]);
    expect(started.body.state).toBe('running'); // the clean-up run was only just queued

    const seen: string[] = [];
    const done = await poll(
      'clean-up and revoke',
      async () => {
        const r = await admin.request<CleanupProgress>('GET', '/api/tenant/cleanup');
        expect(r.status).toBe(200);
        seen.push(`${r.body.state} ${r.body.totals.mailboxesDone}/${r.body.totals.mailboxesTotal}`);
        return r.body;
      },
      (p) => p.state !== 'running',
    );
    expect([done.state, seen]).toEqual(['revoked', seen]);
    expect(done.lists).toHaveLength(1);
    expect(done.lists[0]).toMatchObject({
      listId,
      status: 'succeeded',
      mailboxes: { done: expectedMailboxes.length, total: expectedMailboxes.length, failed: 0 },
      itemsDeleted: expectedMailboxes.length * expectedContacts.length,
    });
    expect(done.totals).toEqual({
      mailboxesDone: expectedMailboxes.length,
      mailboxesTotal: expectedMailboxes.length,
      itemsDeleted: expectedMailboxes.length * expectedContacts.length,
    });
    // How to remove the enterprise app.
    const clientId = h.sim.info.apps[0].clientId;
    expect(done.removeApp!.clientId).toBe(clientId);
    expect(done.removeApp!.steps.join('\n')).toMatch(/Enterprise applications/);
    expect(done.removeApp!.steps.join('\n')).toContain(clientId);
    expect(done.removeApp!.links.adminConsentRevocation).toContain(clientId);
    expect(done.removeApp!.graphRequest).toContain(clientId);
    expect(done.wiped!.logs).toBeGreaterThan(0);

    // Every mailbox of the tenant: none of our items; the user's own contact is still there.
    for (const u of simUsers) expect([u.id, (await ours(u.id)).length]).toEqual([u.id, 0]);
    const mine = (await mailbox(own.mailboxId)).contacts.find((c) => c.id === own.id);
    expect(mine?.displayName).toBe('My dentist');

    // Our logs and caches of the tenant are gone.
    const rows = (await h.dataSource.query(
      'SELECT id, status FROM tenant WHERE azure_tenant_id = ?',
      [tid],
    )) as Array<{ id: string; status: string }>;
    expect(rows).toHaveLength(1);
    const tenantId = rows[0].id;
    const logStore = h.app.get<LogStore>(LOG_STORE);
    expect((await logStore.queryLogs(tenantId)).items).toEqual([]);
    expect(await logStore.errorSummary(tenantId)).toEqual([]);
    expect(await logStore.getSnapshot(tenantId, listId)).toBeUndefined();
    expect(await logStore.getMapInfo(tenantId, listId, expectedMailboxes[0])).toBeUndefined();
    for (const table of ['mailbox_state', 'source_state'])
      expect([
        table,
        (await h.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [
          tenantId,
        ])) as unknown,
      ]).toEqual([table, [{ n: 0 }]]);

    // From now on the API treats the tenant as revoked.
    expect(rows[0].status).toBe('suspended');
    expect((await admin.request('GET', '/api/tenant')).body).toMatchObject({ status: 'suspended' });
    expect((await admin.request('GET', '/api/auth/me')).body).toMatchObject({
      tenantStatus: 'suspended',
    });
    const lists = await admin.request<{ error: string }>('GET', '/api/lists');
    expect(lists.status).toBe(403);
    expect(lists.body.error).toBe('tenant_not_onboarded');
    expect((await admin.request('GET', `/api/runs/${syncRunId}`)).status).toBe(403);
    expect((await admin.request('POST', `/api/lists/${listId}/sync`)).status).toBe(403);
    expect((await admin.request('POST', '/api/tenant/cleanup')).status).toBe(409);
    expect((await admin.request<CleanupProgress>('GET', '/api/tenant/cleanup')).body.state).toBe(
      'revoked',
    );
  });
});
