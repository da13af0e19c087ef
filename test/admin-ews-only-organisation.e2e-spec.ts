import { CleanupService } from '@app/admin';
import { ewsDirectoryId } from '@app/microsoft';
import { TenantEntity } from '@app/persistence';
import { AdminHarness, type Browser } from './support/admin-harness';

interface ErrorBody {
  error: string;
  message: string;
  problems?: Array<{ field: string; message: string }>;
}

interface Created {
  organization: {
    id: string;
    azureTenantId: string | null;
    displayName: string;
    status: string;
  };
  ews: { configured: boolean; addressListId: string; passwordSet: boolean };
  apiToken: { token: string; role: string };
}

// How an EWS-only organisation (Exchange Server on-premises, no Microsoft 365) comes to exist:
// the installation's operator creates it with its EWS connection; its administrators use the
// API with the Admin token that comes back. The simulator's second tenant is such an
// organisation (ewsOnlyTenants), reachable only through EWS with NTLM.
describe('EWS-only organisations created by the installation operator', () => {
  const operatorToken = 'op-3c9a51e2d7f04b6e8a1c5d2f9b7e4a10';
  const PASSWORD = 'Sim-Ews-Passw0rd';
  let h: AdminHarness;
  let admin: Browser;
  let adminToken: string;
  const operator = () => h.browser(operatorToken);
  const body = () => {
    const gal = h.sim.info.tenants[1];
    return {
      displayName: 'Fabrikam (on-premises)',
      ews: {
        serverUrl: h.sim.info.ewsUrl,
        username: h.sim.info.ewsAccounts[0].userName,
        password: PASSWORD,
        impersonationAddress: gal.adminUpn,
        addressListId: gal.galId.toUpperCase(),
        caCertificate: h.sim.caPem,
      },
      adminToken: { name: 'Fabrikam IT' },
    };
  };

  beforeAll(async () => {
    h = await AdminHarness.start({
      sim: { tenants: 2, ewsOnlyTenants: 1 },
      env: { OPERATOR_TOKEN: operatorToken },
    });
    expect(h.sim.info.tenants[1].ewsOnly).toBe(true);
    admin = h.browser();
    await admin.signIn(h.tenant(0).adminUpn);
    expect((await admin.consent(h.tenant(0).adminUpn)).status).toBe(200);
    adminToken = (
      await admin.request<{ token: string }>('POST', '/api/tokens', {
        body: { name: 'script', role: 'admin' },
      })
    ).body.token;
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('only the installation operator, by Bearer, may create one: 401 anonymous, Basic or an API token, 403 a signed-in tenant admin', async () => {
    const path = '/ops/organizations/ews-only';
    const before = await h.dataSource.query('SELECT COUNT(*) AS n FROM tenant');
    expect((await h.browser().request('POST', path, { body: body() })).status).toBe(401);
    const basic = await h.browser().request('POST', path, {
      body: body(),
      headers: {
        authorization: `Basic ${Buffer.from(`op:${operatorToken}`).toString('base64')}`,
      },
    });
    expect(basic.status).toBe(401);
    const session = await admin.request<ErrorBody>('POST', path, {
      body: body(),
    });
    expect([session.status, session.body.error]).toEqual([403, 'forbidden']);
    const token = await h.browser(adminToken).request<ErrorBody>('POST', path, { body: body() });
    expect([token.status, token.body.error]).toEqual([401, 'unauthorized']);
    expect(await h.dataSource.query('SELECT COUNT(*) AS n FROM tenant')).toEqual(before);
  });

  it('an API token presented there is not looked up: never marked used, a revoked one not audited (review N4)', async () => {
    const path = '/ops/organizations/ews-only';
    const create = async (name: string) =>
      (
        await admin.request<{ id: string; token: string }>('POST', '/api/tokens', {
          body: { name, role: 'admin' },
        })
      ).body;
    const lastUsedAt = async (id: string) =>
      (
        (await h.dataSource.query(
          `SELECT last_used_at FROM api_token WHERE id = '${id}'`,
        )) as Array<{ last_used_at: unknown }>
      )[0].last_used_at;
    const failedSignIns = async () =>
      (
        (await h.dataSource.query(
          `SELECT COUNT(*) AS n FROM audit_event WHERE action = 'auth.sign_in_failed'`,
        )) as Array<{ n: number | string }>
      )[0].n;

    const fresh = await create('never used');
    const revoked = await create('revoked');
    expect((await admin.request('DELETE', `/api/tokens/${revoked.id}`)).status).toBe(204);
    expect(await lastUsedAt(fresh.id)).toBeNull();
    const failedBefore = await failedSignIns();

    for (const token of [fresh.token, revoked.token]) {
      const res = await h.browser(token).request<ErrorBody>('POST', path, { body: body() });
      expect([res.status, res.body.error]).toEqual([401, 'unauthorized']);
    }
    expect(await lastUsedAt(fresh.id)).toBeNull();
    expect(await failedSignIns()).toEqual(failedBefore);

    // The positive control: on /api the same tokens are looked up (marked used, audited).
    expect((await h.browser(fresh.token).request('GET', '/api/lists')).status).toBe(200);
    expect(await lastUsedAt(fresh.id)).not.toBeNull();
    expect((await h.browser(revoked.token).request('GET', '/api/lists')).status).toBe(401);
    expect(Number(await failedSignIns())).toBe(Number(failedBefore) + 1);
  });

  it('a 400 names each bad field', async () => {
    const bad = await operator().request<ErrorBody>('POST', '/ops/organizations/ews-only', {
      body: {
        displayName: '',
        ews: {
          serverUrl: 'http://mail.fabrikam.example/EWS/Exchange.asmx',
          username: 'svc',
          impersonationAddress: 'not-an-address',
          addressListId: 'gal',
        },
        extra: true,
      },
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.problems ?? []).map((d) => d.field).sort();
    expect(fields).toEqual(
      expect.arrayContaining([
        'displayName',
        'ews.addressListId',
        'ews.impersonationAddress',
        'ews.password',
        'ews.serverUrl',
        'extra',
      ]),
    );
    expect(JSON.stringify(bad.body)).toMatch(/Get-GlobalAddressList/);
  });

  it('creates the organisation (no Entra id), its connection and an Admin token; the token reaches its directory through EWS', async () => {
    const created = await operator().request<Created>('POST', '/ops/organizations/ews-only', {
      body: body(),
    });
    expect(created.status).toBe(201);
    expect(created.body.organization).toMatchObject({
      azureTenantId: null,
      displayName: 'Fabrikam (on-premises)',
      status: 'active',
    });
    expect(created.body.ews).toMatchObject({
      configured: true,
      passwordSet: true,
      addressListId: h.sim.info.tenants[1].galId,
    });
    expect(JSON.stringify(created.body)).not.toContain(PASSWORD);
    expect(created.body.apiToken.role).toBe('admin');
    const org = h.browser(created.body.apiToken.token);

    const me = await org.request<{
      azureTenantId: string | null;
      tenantStatus: string;
    }>('GET', '/api/auth/me');
    expect(me.body).toMatchObject({
      azureTenantId: null,
      tenantStatus: 'active',
    });
    const test = await org.request<{ ok: boolean }>('POST', '/api/ews/test', {
      body: {},
    });
    expect(test.body).toMatchObject({ ok: true });
    const groups = await org.request<{
      items: Array<{ id: string; displayName: string }>;
    }>('GET', '/api/directory/groups');
    // The GAL's distribution groups, to pick a group target from.
    expect(groups.body.items.map((g) => g.displayName)).toEqual(
      expect.arrayContaining(['All Company']),
    );
    const upn = h.sim.info.tenants[1].adminUpn.toLowerCase();
    const names = await org.request<{
      items: Array<{ id: string; userPrincipalName: string }>;
    }>('GET', `/api/directory/users?ids=${ewsDirectoryId(upn)}`);
    expect(names.body.items).toEqual([
      expect.objectContaining({
        id: ewsDirectoryId(upn),
        userPrincipalName: upn,
      }),
    ]);
    const audit = (await h.dataSource.query(
      `SELECT action, actor_type FROM audit_event WHERE tenant_id = '${created.body.organization.id}' ORDER BY created_at`,
    )) as Array<{ action: string; actor_type: string }>;
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['tenant.create_ews_only', 'api_token.create']),
    );
    // Its token grants an MSP operator (a Microsoft 365 user elsewhere), who can then use the
    // dashboard for it: the way in for people who would rather not script.
    const msp = h.sim.state.tenants[0];
    const grant = await org.request('POST', '/api/tenant/operators', {
      body: {
        operatorTenantId: msp.id,
        operatorObjectId: msp.adminUserId,
        role: 'admin',
      },
    });
    expect(grant.status).toBe(201);
    const asOperator = await admin.request<{ items: unknown[] }>('GET', '/api/lists', {
      headers: { 'x-tenant-id': created.body.organization.id },
    });
    expect(asOperator.status).toBe(200);
    // After a revocation it is told how to withdraw what it gave us: the service account's
    // impersonation right, not an Entra app it never had.
    const row = await h.dataSource
      .getRepository(TenantEntity)
      .findOneByOrFail({ id: created.body.organization.id });
    const steps = h.app.get(CleanupService).removeAppSteps(row);
    expect(steps.powershell).toMatch(/ApplicationImpersonation/);
    expect(steps.steps.join(' ')).not.toMatch(/Entra/);
    // A second EWS-only organisation: many organisations have no Entra id.
    const second = await operator().request<Created>('POST', '/ops/organizations/ews-only', {
      body: { ...body(), displayName: 'Northwind (on-premises)' },
    });
    expect(second.status).toBe(201);
  });

  it('the user picker searches the Global Address List through FindPeople with a query string: mailboxes only, at most the limit, one SOAP operation', async () => {
    const created = await operator().request<Created>('POST', '/ops/organizations/ews-only', {
      body: { ...body(), displayName: 'Tailspin (on-premises)' },
    });
    expect(created.status).toBe(201);
    const org = h.browser(created.body.apiToken.token);
    const gal = h.sim.info.tenants[1];
    const addUser = async (fields: Record<string, unknown>) => {
      const res = await fetch(`${h.sim.baseUrl}/_sim/tenants/${gal.id}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fields),
        dispatcher: h.dispatcher,
      } as RequestInit);
      expect(res.status).toBe(201);
    };
    await addUser({
      displayName: 'Quentin Varga',
      givenName: 'Quentin',
      surname: 'Varga',
      mailNickname: 'qvarga',
    });
    await addUser({
      displayName: 'Vargas Quinn',
      givenName: 'Vargas',
      surname: 'Quinn',
      mailNickname: 'vquinn',
    });
    await addUser({
      displayName: 'Ilona Varga',
      givenName: 'Ilona',
      surname: 'Varga',
      mailNickname: 'ivarga',
    });
    type Found = {
      items: Array<{
        id: string;
        displayName: string;
        userPrincipalName: string;
        mail: string;
      }>;
    };
    const before = h.sim.state.ewsStats.recorded.filter((r) => r.operation === 'FindPeople').length;
    const found = await org.request<Found>('GET', '/api/directory/users?search=varg');
    expect(found.status).toBe(200);
    // Surname or first name from its start (ambiguous name resolution), in the GAL's order.
    expect(found.body.items.map((u) => u.displayName)).toEqual([
      'Ilona Varga',
      'Quentin Varga',
      'Vargas Quinn',
    ]);
    const mail = `qvarga@${h.tenant(1).adminUpn.split('@')[1]}`.toLowerCase();
    expect(found.body.items[1]).toEqual({
      id: ewsDirectoryId(mail),
      displayName: 'Quentin Varga',
      userPrincipalName: mail,
      mail,
    });
    expect(h.sim.state.ewsStats.recorded.filter((r) => r.operation === 'FindPeople').length).toBe(
      before + 1,
    );
    // First and last name together, either way round; the limit holds.
    const pair = await org.request<Found>('GET', '/api/directory/users?search=Varga%20Quen');
    expect(pair.body.items.map((u) => u.displayName)).toEqual(['Quentin Varga']);
    const limited = await org.request<Found>('GET', '/api/directory/users?search=varg&limit=2');
    expect(limited.body.items).toHaveLength(2);
    // Distribution groups and mail contacts match too, but the picker chooses mailboxes.
    const allCompany = await org.request<Found>('GET', '/api/directory/users?search=All%20Comp');
    expect(allCompany.status).toBe(200);
    expect(allCompany.body.items).toEqual([]);
    const none = await org.request<Found>('GET', '/api/directory/users?search=zzqx');
    expect(none.body.items).toEqual([]);
    const bad = await org.request<ErrorBody>('GET', '/api/directory/users?search=a');
    expect([bad.status, bad.body.problems?.[0]?.field]).toEqual([400, 'search']);
  });
  it('a wrong stored password: two user-picker searches send one refused sign-in to Exchange, not two (AD lock-out)', async () => {
    const created = await operator().request<Created>('POST', '/ops/organizations/ews-only', {
      body: {
        ...body(),
        displayName: 'Wingtip (wrong password)',
        ews: { ...body().ews, password: 'Not-The-Passw0rd' },
      },
    });
    expect(created.status).toBe(201);
    const org = h.browser(created.body.apiToken.token);
    const before = h.sim.state.ewsStats.unauthorized;
    const first = await org.request<ErrorBody>('GET', '/api/directory/users?search=varg');
    const second = await org.request<ErrorBody>('GET', '/api/directory/users?search=quen');
    expect([first.status, second.status]).toEqual([502, 502]);
    expect(h.sim.state.ewsStats.unauthorized - before).toBe(1);
  });

  it('PUT /api/ews keeps addressListId and impersonationAddress when omitted; an EWS-only organisation may not clear them (400 naming the field)', async () => {
    const created = await operator().request<Created>('POST', '/ops/organizations/ews-only', {
      body: { ...body(), displayName: 'Litware (on-premises)' },
    });
    expect(created.status).toBe(201);
    const org = h.browser(created.body.apiToken.token);
    const gal = h.sim.info.tenants[1];
    const { serverUrl, username } = body().ews;
    const kept = await org.request<Record<string, unknown>>('PUT', '/api/ews', {
      body: { serverUrl, username },
    });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({
      addressListId: gal.galId.toLowerCase(),
      impersonationAddress: gal.adminUpn.toLowerCase(),
      caCertificateSet: true,
      passwordSet: true,
    });
    // The directory still reads (the GAL id and the mailbox to read it as were kept).
    const groups = await org.request<{ items: Array<{ displayName: string }> }>(
      'GET',
      '/api/directory/groups',
    );
    expect(groups.status).toBe(200);
    expect(groups.body.items.map((g) => g.displayName)).toEqual(
      expect.arrayContaining(['All Company']),
    );
    const rowBefore = await h.dataSource.query(
      `SELECT * FROM ews_connection WHERE tenant_id = '${created.body.organization.id}'`,
    );
    for (const field of ['addressListId', 'impersonationAddress']) {
      const cleared = await org.request<ErrorBody>('PUT', '/api/ews', {
        body: { serverUrl, username, [field]: null },
      });
      expect([field, cleared.status, cleared.body.problems?.map((p) => p.field)]).toEqual([
        field,
        400,
        [field],
      ]);
      expect(cleared.body.problems?.[0]?.message).toMatch(/EWS-only/);
    }
    expect(
      await h.dataSource.query(
        `SELECT * FROM ews_connection WHERE tenant_id = '${created.body.organization.id}'`,
      ),
    ).toEqual(rowBefore);
  });

  it('its directory without an EWS connection answers 409 ews_directory_not_configured with advice, not a 502', async () => {
    const created = await operator().request<Created>('POST', '/ops/organizations/ews-only', {
      body: { ...body(), displayName: 'Proseware (on-premises)' },
    });
    expect(created.status).toBe(201);
    const org = h.browser(created.body.apiToken.token);
    expect((await org.request('DELETE', '/api/ews')).status).toBe(204);
    for (const path of ['/api/directory/users?search=varg', '/api/directory/groups']) {
      const res = await org.request<ErrorBody>('GET', path);
      expect([path, res.status, res.body.error]).toEqual([
        path,
        409,
        'ews_directory_not_configured',
      ]);
      expect(res.body.message).toMatch(/PUT \/api\/ews/);
    }
  });

  it('/ops answers carry the API security headers (no-store: the body holds a token) and refuse a deeply nested body', async () => {
    const created = await operator().request<Created>('POST', '/ops/organizations/ews-only', {
      body: { ...body(), displayName: 'Adventure Works (on-premises)' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.headers.get('x-content-type-options')).toBe('nosniff');
    const refused = await operator().request<ErrorBody>('POST', '/ops/organizations/ews-only', {
      body: { ...body(), displayName: '' },
    });
    expect([refused.status, refused.headers.get('cache-control')]).toEqual([400, 'no-store']);
    const before = await h.counts();
    const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    const res = await operator().request<ErrorBody>('POST', '/ops/organizations/ews-only', {
      body: `{"displayName":"Deep","ews":${deep}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([
      {
        field: '(body)',
        message: expect.stringMatching(/nested deeper than \d+ levels/),
      },
    ]);
    expect(await h.counts()).toEqual(before);
  });

  it('creation is one transaction: when the token cannot be stored, no organisation, connection or audit row remains', async () => {
    const count = async () =>
      (
        (await h.dataSource.query(
          `SELECT (SELECT COUNT(*) FROM tenant) AS tenants, (SELECT COUNT(*) FROM ews_connection) AS connections, (SELECT COUNT(*) FROM audit_event) AS audit`,
        )) as Array<Record<string, number>>
      )[0];
    const before = await count();
    // A real failure of the token's INSERT in the database (no mock): a trigger refuses it.
    await h.dataSource.query(
      `CREATE TRIGGER refuse_api_token BEFORE INSERT ON api_token BEGIN SELECT RAISE(ABORT, 'api_token refused by the test'); END`,
    );
    try {
      const failed = await operator().request<ErrorBody>('POST', '/ops/organizations/ews-only', {
        body: { ...body(), displayName: 'Half-made (on-premises)' },
      });
      expect(failed.status).toBe(500);
    } finally {
      await h.dataSource.query('DROP TRIGGER refuse_api_token');
    }
    expect(await count()).toEqual(before);
    // A token lifetime beyond API_TOKEN_MAX_DAYS is refused by the token: nothing is created either.
    const tooLong = await operator().request<ErrorBody>('POST', '/ops/organizations/ews-only', {
      body: {
        ...body(),
        displayName: 'Too long (on-premises)',
        adminToken: { name: 'IT', expiresInDays: 3000 },
      },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.problems?.map((p) => p.field)).toEqual(['adminToken.expiresInDays']);
    expect(await count()).toEqual(before);
  });
});
