import { AdminHarness, type Browser } from './support/admin-harness';
import { DIRECTORY_SETTINGS } from './support/admin-sim';

interface Grant {
  id: string;
  operatorTenantId: string;
  operatorObjectId: string;
  role: string;
  label: string | null;
  grantedBy: string;
}
interface ManagedTenant {
  tenantId: string;
  azureTenantId: string;
  displayName: string | null;
  status: string;
  role: string;
}
interface AuditItem {
  actorType: string;
  actorId: string;
  action: string;
  targetId: string | null;
  details?: unknown;
}
interface Problem {
  field: string;
  message: string;
}

/**
 * MSP operators: M, a user of a third organization (not a customer itself), is granted Viewer
 * on tenant A by A's admin and Admin on tenant B by B's admin, and acts with X-Tenant-Id.
 */
describe('admin API: MSP operators', () => {
  let h: AdminHarness;
  let adminA: Browser;
  let adminB: Browser;
  let viewerA: Browser;
  let operator: Browser;
  let tenantA: string;
  let tenantB: string;
  let mspTid: string;
  let mspOid: string;
  let grantA: Grant;
  let grantB: Grant;
  let listA: string;

  /** M's request acting for `tenantId`. */
  const asM = <T = unknown>(
    tenantId: string,
    method: string,
    path: string,
    init: { body?: unknown; csrf?: boolean } = {},
  ) => operator.request<T>(method, path, { ...init, headers: { 'x-tenant-id': tenantId } });

  beforeAll(async () => {
    h = await AdminHarness.start({ sim: { tenants: 3 } });
    adminA = h.browser();
    adminB = h.browser();
    viewerA = h.browser();
    operator = h.browser();
    const [a, b, msp] = [h.tenant(0), h.tenant(1), h.tenant(2)];
    await adminA.signIn(a.adminUpn);
    expect((await adminA.consent(a.adminUpn)).status).toBe(200);
    await adminB.signIn(b.adminUpn);
    expect((await adminB.consent(b.adminUpn)).status).toBe(200);
    await viewerA.signIn(a.viewerUpn);
    // M is the MSP's own administrator: Sync.Admin in the MSP's tenant, which never onboarded.
    await operator.signIn(msp.adminUpn);
    const me = await operator.request<{ oid: string; azureTenantId: string; role: string }>(
      'GET',
      '/api/auth/me',
    );
    expect(me.body).toMatchObject({ azureTenantId: msp.id, role: 'admin' });
    mspTid = msp.id;
    mspOid = me.body.oid;
    tenantA = (await adminA.request<{ id: string }>('GET', '/api/tenant')).body.id;
    tenantB = (await adminB.request<{ id: string }>('GET', '/api/tenant')).body.id;
    listA = (
      await adminA.request<{ id: string }>('POST', '/api/lists', {
        body: { name: 'Company', settings: DIRECTORY_SETTINGS },
      })
    ).body.id;
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('has no grants at first: the operator sees no tenants and is refused for A', async () => {
    const none = await operator.request<{ items: ManagedTenant[]; total: number }>(
      'GET',
      '/api/operator/tenants',
    );
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ items: [], total: 0 });
    const refused = await asM<{ error: string }>(tenantA, 'GET', '/api/lists');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('operator_not_granted');
  });

  it("A's admin grants M Viewer on A, B's admin grants M Admin on B (201, audited)", async () => {
    const created = await adminA.request<Grant>('POST', '/api/tenant/operators', {
      body: {
        operatorTenantId: mspTid.toUpperCase(),
        operatorObjectId: mspOid,
        role: 'viewer',
        label: 'Northwind IT (MSP)',
      },
    });
    expect(created.status).toBe(201);
    grantA = created.body;
    expect(grantA).toMatchObject({
      operatorTenantId: mspTid.toLowerCase(),
      operatorObjectId: mspOid.toLowerCase(),
      role: 'viewer',
      label: 'Northwind IT (MSP)',
    });
    const dup = await adminA.request('POST', '/api/tenant/operators', {
      body: { operatorTenantId: mspTid, operatorObjectId: mspOid, role: 'admin' },
    });
    expect(dup.status).toBe(409);
    const b = await adminB.request<Grant>('POST', '/api/tenant/operators', {
      body: { operatorTenantId: mspTid, operatorObjectId: mspOid, role: 'admin' },
    });
    expect(b.status).toBe(201);
    grantB = b.body;

    const listed = await adminA.request<{ items: Grant[]; total: number }>(
      'GET',
      '/api/tenant/operators?limit=10&offset=0',
    );
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(1);
    expect(listed.body.items.map((g) => g.id)).toEqual([grantA.id]);
    const audit = await adminA.request<{ items: AuditItem[] }>('GET', '/api/audit');
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'operator_grant.create',
        actorType: 'admin',
        targetId: grantA.id,
      }),
    );
  });

  it('lists grants for Admins of the tenant only, never another tenant’s', async () => {
    const forViewer = await viewerA.request<{ error: string }>('GET', '/api/tenant/operators');
    expect(forViewer.status).toBe(403);
    const fromB = await adminB.request<{ items: Grant[] }>('GET', '/api/tenant/operators');
    expect(fromB.body.items.map((g) => g.id)).toEqual([grantB.id]);
    // B cannot revoke A's grant: the same 404 as for an id that does not exist.
    expect((await adminB.request('DELETE', `/api/tenant/operators/${grantA.id}`)).status).toBe(404);
    expect(
      (await adminA.request('DELETE', `/api/tenant/operators/${crypto.randomUUID()}`)).status,
    ).toBe(404);
  });

  it('a Viewer reads the audit log without operator identities (grant details, operator actors)', async () => {
    const forViewer = await viewerA.request<{ items: AuditItem[] }>('GET', '/api/audit');
    expect(forViewer.status).toBe(200);
    const grantEvent = forViewer.body.items.find((i) => i.action === 'operator_grant.create');
    expect(grantEvent).toMatchObject({ targetId: grantA.id, details: { redacted: true } });
    const text = JSON.stringify(forViewer.body).toLowerCase();
    expect(text).not.toContain(mspTid.toLowerCase());
    expect(text).not.toContain(mspOid.toLowerCase());
    // The tenant's Admins still see who was granted.
    const forAdmin = await adminA.request<{ items: AuditItem[] }>('GET', '/api/audit');
    expect(JSON.stringify(forAdmin.body).toLowerCase()).toContain(mspOid.toLowerCase());
  });

  it('refuses bad grant requests with 400 naming every bad field, changing nothing', async () => {
    const before = await h.counts();
    const bad = await adminA.request<{ problems: Problem[] }>('POST', '/api/tenant/operators', {
      body: { operatorTenantId: 'x', operatorObjectId: 5, role: 'owner', label: '', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p) => p.field).sort()).toEqual([
      'extra',
      'label',
      'operatorObjectId',
      'operatorTenantId',
      'role',
    ]);
    const self = await adminA.request<{ problems: Problem[] }>('POST', '/api/tenant/operators', {
      body: { operatorTenantId: h.tenant(0).id, operatorObjectId: mspOid, role: 'viewer' },
    });
    expect(self.status).toBe(400);
    expect(self.body.problems.map((p) => p.field)).toEqual(['operatorTenantId']);
    expect(await h.counts()).toEqual(before);
  });

  it('the operator lists the tenants they manage with the role of each grant', async () => {
    const res = await operator.request<{ items: ManagedTenant[]; total: number }>(
      'GET',
      '/api/operator/tenants',
    );
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    const byId = new Map(res.body.items.map((t) => [t.tenantId, t]));
    expect(byId.get(tenantA)).toMatchObject({
      azureTenantId: h.tenant(0).id,
      status: 'active',
      role: 'viewer',
    });
    expect(byId.get(tenantB)).toMatchObject({
      azureTenantId: h.tenant(1).id,
      status: 'active',
      role: 'admin',
    });
  });

  it('without X-Tenant-Id the operator is only a user of their own, not onboarded, organization', async () => {
    const lists = await operator.request<{ error: string }>('GET', '/api/lists');
    expect(lists.status).toBe(403);
    expect(lists.body.error).toBe('tenant_not_onboarded');
    expect((await operator.request('GET', '/api/tenant')).body).toMatchObject({
      azureTenantId: mspTid,
      status: 'not_onboarded',
    });
  });

  it("reads A's lists as Viewer but cannot change A, although M is Sync.Admin at home", async () => {
    const me = await asM<{ role: string; azureTenantId: string; operator: unknown }>(
      tenantA,
      'GET',
      '/api/auth/me',
    );
    expect(me.body).toMatchObject({
      role: 'viewer',
      azureTenantId: h.tenant(0).id,
      operator: { homeTenantId: mspTid, tenantId: tenantA },
    });
    const lists = await asM<{ items: Array<{ id: string }> }>(tenantA, 'GET', '/api/lists');
    expect(lists.status).toBe(200);
    expect(lists.body.items.map((l) => l.id)).toEqual([listA]);
    expect((await asM(tenantA, 'GET', `/api/lists/${listA}`)).status).toBe(200);
    const before = await h.counts();
    const create = await asM<{ error: string }>(tenantA, 'POST', '/api/lists', {
      body: { name: 'By M', settings: DIRECTORY_SETTINGS },
    });
    expect(create.status).toBe(403);
    expect(create.body.error).toBe('forbidden');
    expect((await asM(tenantA, 'DELETE', `/api/lists/${listA}`)).status).toBe(403);
    expect(await h.counts()).toEqual(before);
  });

  it('creates a list in B as Admin; the audit log of B names the operator', async () => {
    const made = await asM<{ id: string; name: string }>(tenantB, 'POST', '/api/lists', {
      body: { name: 'Managed by MSP', settings: DIRECTORY_SETTINGS },
    });
    expect(made.status).toBe(201);
    // The list is B's: B's admin sees it, A's does not.
    const inB = await adminB.request<{ items: Array<{ id: string }> }>('GET', '/api/lists');
    expect(inB.body.items.map((l) => l.id)).toContain(made.body.id);
    expect((await adminA.request('GET', `/api/lists/${made.body.id}`)).status).toBe(404);
    // As operator for A, B's list is not there either.
    expect((await asM(tenantA, 'GET', `/api/lists/${made.body.id}`)).status).toBe(404);
    // A state-changing request of the operator's session still needs the CSRF token.
    const noCsrf = await asM(tenantB, 'POST', '/api/lists', {
      body: { name: 'No CSRF', settings: DIRECTORY_SETTINGS },
      csrf: false,
    });
    expect(noCsrf.status).toBe(403);

    const audit = await adminB.request<{ items: AuditItem[] }>('GET', '/api/audit');
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'list.create',
        actorType: 'operator',
        actorId: `${mspTid.toLowerCase()}/${mspOid.toLowerCase()}`,
        targetId: made.body.id,
      }),
    );
  });

  it('an operator can neither grant, revoke nor list grants, nor mint API tokens, even as Admin', async () => {
    const before = await h.counts();
    const grant = await asM<{ error: string }>(tenantB, 'POST', '/api/tenant/operators', {
      body: {
        operatorTenantId: mspTid,
        operatorObjectId: crypto.randomUUID(),
        role: 'admin',
      },
    });
    expect(grant.status).toBe(403);
    expect(grant.body.error).toBe('operator_forbidden');
    const revoke = await asM<{ error: string }>(
      tenantB,
      'DELETE',
      `/api/tenant/operators/${grantB.id}`,
    );
    expect(revoke.status).toBe(403);
    expect(revoke.body.error).toBe('operator_forbidden');
    expect((await asM(tenantB, 'GET', '/api/tenant/operators')).status).toBe(403);
    const token = await asM<{ error: string }>(tenantB, 'POST', '/api/tokens', {
      body: { name: 'msp', role: 'admin' },
    });
    expect(token.status).toBe(403);
    expect(token.body.error).toBe('operator_forbidden');
    // Nor start consent in the managed tenant's name.
    const consent = await asM<{ error: string }>(tenantB, 'GET', '/api/onboarding/consent');
    expect(consent.status).toBe(403);
    // M's own organization is not a customer: no grant can be made there either.
    expect((await operator.request('POST', '/api/tenant/operators', { body: {} })).status).toBe(
      403,
    );
    expect(await h.counts()).toEqual(before);
  });

  it('X-Tenant-Id: a malformed or unknown id is refused; an API token may not send it', async () => {
    const malformed = await asM<{ problems: Problem[] }>('not-a-uuid', 'GET', '/api/lists');
    expect(malformed.status).toBe(400);
    expect(malformed.body.problems).toEqual([{ field: 'X-Tenant-Id', message: 'expected a UUID' }]);
    const unknown = await asM<{ error: string; message: string }>(
      crypto.randomUUID(),
      'GET',
      '/api/lists',
    );
    expect(unknown.status).toBe(403);
    expect(unknown.body.error).toBe('operator_not_granted');

    const token = await adminA.request<{ token: string }>('POST', '/api/tokens', {
      body: { name: 'script', role: 'admin' },
    });
    const script = h.browser(token.body.token);
    expect((await script.request('GET', '/api/lists')).status).toBe(200);
    const withHeader = await script.request<{ problems: Problem[] }>('GET', '/api/lists', {
      headers: { 'x-tenant-id': tenantB },
    });
    expect(withHeader.status).toBe(400);
    expect(withHeader.body.problems.map((p) => p.field)).toEqual(['X-Tenant-Id']);
    // Its own tenant's id is refused too: tokens never take the header.
    const own = await script.request('GET', '/api/lists', {
      headers: { 'x-tenant-id': tenantA },
    });
    expect(own.status).toBe(400);
    expect((await script.request('GET', '/api/operator/tenants')).status).toBe(403);
    // A tenant's own admin sending their own tenant id is simply themselves.
    const self = await adminA.request('GET', '/api/lists', {
      headers: { 'x-tenant-id': tenantA },
    });
    expect(self.status).toBe(200);
    // ...but not another tenant's, without a grant.
    const other = await adminA.request<{ error: string }>('GET', '/api/lists', {
      headers: { 'x-tenant-id': tenantB },
    });
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('operator_not_granted');
  });

  it('an orphaned managed tenant answers the operator as it answers its own admins', async () => {
    await h.dataSource.query("UPDATE tenant SET status = 'orphaned' WHERE id = ?", [tenantB]);
    try {
      const own = await adminB.request<{ error: string }>('GET', '/api/lists');
      const asOperator = await asM<{ error: string }>(tenantB, 'GET', '/api/lists');
      expect(own.status).toBe(403);
      expect(asOperator.status).toBe(403);
      expect(asOperator.body.error).toBe(own.body.error);
      // The tenant and clean-up routes stay open, with the re-consent path.
      const tenant = await asM<{ status: string; reconsent?: unknown }>(
        tenantB,
        'GET',
        '/api/tenant',
      );
      expect(tenant.body).toMatchObject({ status: 'orphaned', reconsent: expect.any(Object) });
      expect((await asM(tenantB, 'GET', '/api/tenant/cleanup')).status).toBe(200);
      const listed = await operator.request<{ items: ManagedTenant[] }>(
        'GET',
        '/api/operator/tenants',
      );
      expect(listed.body.items.find((t) => t.tenantId === tenantB)?.status).toBe('orphaned');
    } finally {
      await h.dataSource.query("UPDATE tenant SET status = 'active' WHERE id = ?", [tenantB]);
    }
  });

  it("A's admin revokes: M's next call for A is refused at once; B is unaffected", async () => {
    expect((await asM(tenantA, 'GET', '/api/lists')).status).toBe(200);
    const revoked = await adminA.request('DELETE', `/api/tenant/operators/${grantA.id}`);
    expect(revoked.status).toBe(204);
    const after = await asM<{ error: string }>(tenantA, 'GET', '/api/lists');
    expect(after.status).toBe(403);
    expect(after.body.error).toBe('operator_not_granted');
    // The same answer as for an id M never had.
    const never = await asM<{ error: string; message: string }>(
      crypto.randomUUID(),
      'GET',
      '/api/lists',
    );
    expect(after.body).toEqual(never.body);
    expect((await asM(tenantB, 'GET', '/api/lists')).status).toBe(200);
    const tenants = await operator.request<{ items: ManagedTenant[] }>(
      'GET',
      '/api/operator/tenants',
    );
    expect(tenants.body.items.map((t) => t.tenantId)).toEqual([tenantB]);
    expect((await adminA.request('DELETE', `/api/tenant/operators/${grantA.id}`)).status).toBe(404);
    const audit = await adminA.request<{ items: AuditItem[] }>('GET', '/api/audit');
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'operator_grant.revoke', targetId: grantA.id }),
    );
  });

  it('documents the routes and X-Tenant-Id in the OpenAPI document', async () => {
    const doc = await h.browser().request<{
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    }>('GET', '/api/docs-json');
    const header = (path: string, method: string) =>
      (doc.body.paths[path]?.[method]?.parameters ?? []).some(
        (p) => p.name === 'X-Tenant-Id' && p.in === 'header',
      );
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/tenant/operators',
        '/api/tenant/operators/{id}',
        '/api/operator/tenants',
      ]),
    );
    expect(header('/api/lists', 'post')).toBe(true);
    expect(header('/api/runs/{id}', 'get')).toBe(true);
    expect(header('/api/tenant/cleanup', 'get')).toBe(true);
    // Routes an operator may not use, or where the header means nothing, do not offer it.
    expect(header('/api/tenant/operators', 'post')).toBe(false);
    expect(header('/api/tokens', 'post')).toBe(false);
    expect(header('/api/operator/tenants', 'get')).toBe(false);
    expect(header('/api/auth/login', 'get')).toBe(false);
  });
});
