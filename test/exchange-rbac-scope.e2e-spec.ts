import { DEFAULT_APP } from '../apps/m365-sim/src/sim-options';
import { AdminHarness } from './support/admin-harness';
import {
  DIRECTORY_SETTINGS,
  ourItems,
  simContacts,
  simControl,
  waitRun,
} from './support/admin-sim';

const MAILBOX_ROLES = ['Contacts.ReadWrite', 'Calendars.ReadWrite'];

interface TenantAnswer {
  status: string;
  grantedPermissions: string[];
  missingPermissions: string[];
  mailboxAccess: string | null;
  message?: string;
}

/**
 * Issue #19, acceptance 9: least privilege through Exchange's RBAC for Applications. The app's
 * Entra grants for Contacts.ReadWrite and Calendars.ReadWrite are gone (the registration does not
 * ask for them, so the token's `roles` never list them); an Exchange admin assigned "Application
 * Contacts.ReadWrite" to our app with a management scope of some mailboxes. The consent check
 * probes a mailbox instead of declaring the permission missing; a run succeeds on the scoped
 * mailboxes and reports the others as out of scope; the tenant keeps its consent.
 */
describe('Exchange RBAC for Applications limits the app to a scope of mailboxes', () => {
  let h: AdminHarness;

  beforeAll(async () => {
    h = await AdminHarness.start({
      worker: true,
      sim: {
        usersPerTenant: 16,
        apps: [
          {
            ...structuredClone(DEFAULT_APP),
            requiredRoles: DEFAULT_APP.requiredRoles.filter((r) => !MAILBOX_ROLES.includes(r)),
          },
        ],
      },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  /** Users with a mailbox in Exchange Online. */
  const targetable = (index: number) =>
    [...h.sim.state.tenants[index].users.values()].filter(
      (u) => !u.deleted && u.mailbox === 'cloud' && u.purpose === 'user',
    );

  it('syncs the scoped mailboxes, reports the others as out of scope, and keeps the consent', async () => {
    const t = h.tenant(0);
    const tenant = h.sim.state.tenants[0];
    const users = targetable(0);
    // The scope: the consenting admin and every other targetable user.
    const inScope = new Set([
      tenant.adminUserId,
      ...users.filter((_, i) => i % 2 === 0).map((u) => u.user.id),
    ]);
    await simControl(h, 'PUT', `/tenants/${t.id}/exchange-rbac`, {
      roles: ['Application Contacts.ReadWrite', 'Application Calendars.ReadWrite'],
      mailboxes: [...inScope],
    });

    const admin = h.browser();
    await admin.signIn(t.adminUpn);
    const consent = await admin.consent(t.adminUpn);
    expect(consent.status).toBe(200);
    const view = consent.body as TenantAnswer;
    // The token lists no mailbox permission, yet nothing is declared missing: the probe of the
    // admin's mailbox answered, so Exchange scopes the access.
    expect(view.grantedPermissions).not.toContain('Contacts.ReadWrite');
    expect(view).toMatchObject({
      status: 'active',
      missingPermissions: [],
      mailboxAccess: 'exchange_rbac',
    });
    expect(view.message).toMatch(/RBAC for Applications/);

    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Company', settings: DIRECTORY_SETTINGS },
    });
    const listId = list.body.id;
    await admin.request('POST', `/api/lists/${listId}/targets`, { body: { kind: 'all' } });
    const started = await admin.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
    expect(started.status).toBe(202);
    const run = await waitRun<{
      status: string;
      mailboxes: { succeeded: number; failed: number };
    }>(admin, started.body.runId);
    expect(run.status).toBe('partial');

    // Every targeted mailbox: in the scope synced, outside it reported, untouched.
    const states = (await h.dataSource.query(
      `SELECT mailbox_id AS "mailboxId", status, last_error_code AS code FROM mailbox_state WHERE list_id = ?`,
      [listId],
    )) as Array<{ mailboxId: string; status: string; code: string | null }>;
    // (on-premises mailboxes of the hybrid tenant are left to EWS, as always)
    const cloud = new Set(users.map((u) => u.user.id));
    const scoped = states.filter((s) => cloud.has(s.mailboxId) && inScope.has(s.mailboxId));
    const others = states.filter((s) => cloud.has(s.mailboxId) && !inScope.has(s.mailboxId));
    expect(scoped.length).toBeGreaterThan(2);
    expect(others.length).toBeGreaterThanOrEqual(2);
    expect(run.mailboxes).toMatchObject({
      succeeded: states.length - others.length,
      failed: others.length,
    });
    for (const s of scoped) {
      expect([s.mailboxId, s.status]).toEqual([s.mailboxId, 'in_sync']);
      expect(ourItems(await simContacts(h, t.id, s.mailboxId)).length).toBeGreaterThan(0);
    }
    for (const s of others) {
      expect([s.mailboxId, s.status, s.code]).toEqual([
        s.mailboxId,
        'failed',
        'MAILBOX_OUT_OF_SCOPE',
      ]);
      expect(ourItems(await simContacts(h, t.id, s.mailboxId))).toHaveLength(0);
    }
    // The run history names the cause and what to do; the tenant has not lost its consent.
    const detail = await admin.request('GET', `/api/runs/${started.body.runId}`);
    expect(detail.text).toContain('MAILBOX_OUT_OF_SCOPE');
    expect(detail.text).toMatch(/outside the scope/);
    const row = (await h.dataSource.query('SELECT status FROM tenant WHERE azure_tenant_id = ?', [
      t.id,
    ])) as Array<{ status: string }>;
    expect(row[0].status).toBe('active');
    expect((await admin.request<TenantAnswer>('GET', '/api/tenant')).body).toMatchObject({
      status: 'active',
      missingPermissions: [],
      mailboxAccess: 'exchange_rbac',
    });

    // The Exchange admin widens the scope: the next run reaches every mailbox.
    await simControl(h, 'PUT', `/tenants/${t.id}/exchange-rbac`, {
      roles: ['Application Contacts.ReadWrite'],
      mailboxes: states.map((s) => s.mailboxId),
    });
    const again = await admin.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
    const second = await waitRun<{ status: string }>(admin, again.body.runId);
    expect(second).toMatchObject({ status: 'succeeded', mailboxes: { failed: 0 } });
    for (const { mailboxId } of others)
      expect(ourItems(await simContacts(h, t.id, mailboxId)).length).toBeGreaterThan(0);
  }, 180_000);

  it("a refused probe (the admin's own mailbox outside the scope) is not declared missing either", async () => {
    const t = h.tenant(1);
    const tenant = h.sim.state.tenants[1];
    const someone = targetable(1).find((u) => u.user.id !== tenant.adminUserId)!;
    await simControl(h, 'PUT', `/tenants/${t.id}/exchange-rbac`, {
      roles: ['Application Contacts.ReadWrite'],
      mailboxes: [someone.user.id],
    });
    const admin = h.browser();
    await admin.signIn(t.adminUpn);
    const consent = await admin.consent(t.adminUpn);
    expect(consent.status).toBe(200);
    expect(consent.body).toMatchObject({
      status: 'active',
      missingPermissions: [],
      mailboxAccess: 'unverified',
    });
    expect((consent.body as TenantAnswer).message).toMatch(/out of scope/);
  }, 60_000);
});
