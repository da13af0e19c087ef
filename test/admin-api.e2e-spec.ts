import SwaggerParser from '@apidevtools/swagger-parser';
import { AdminHarness, type Browser } from './support/admin-harness';
import { importCsv } from './support/csv-import';

interface ListBody {
  id: string;
  name: string;
}
interface Problem {
  field: string;
  message: string;
}

const DIRECTORY_SETTINGS = {
  sources: [
    {
      id: 'dir',
      kind: 'directory',
      mapping: { keyPath: 'id', fields: { displayName: 'displayName', jobTitle: 'jobTitle' } },
      filter: {
        include: [
          {
            when: [{ type: 'attribute', path: 'accountEnabled', operator: 'equals', value: true }],
          },
        ],
      },
    },
  ],
};

describe('admin API against the simulator', () => {
  let h: AdminHarness;
  let adminA: Browser;
  let adminB: Browser;
  let viewerA: Browser;
  let listA: ListBody;
  let listB: ListBody;

  beforeAll(async () => {
    h = await AdminHarness.start({ worker: true });
    adminA = h.browser();
    adminB = h.browser();
    viewerA = h.browser();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  describe('sign-in and onboarding', () => {
    it('answers 401 to an anonymous caller and redirects sign-in to the /organizations authority with PKCE', async () => {
      const anon = h.browser();
      expect((await anon.request('GET', '/api/lists')).status).toBe(401);
      expect((await anon.request('GET', '/api/auth/me')).status).toBe(401);
      const start = await anon.request('GET', '/api/auth/login');
      expect(start.status).toBe(302);
      const url = new URL(start.headers.get('location')!);
      expect(url.pathname).toBe('/organizations/oauth2/v2.0/authorize');
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('client_id')).toBe(h.config.microsoft!.clientId);
      const cookie = start.headers.getSetCookie().join(';');
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
    });

    it('signs in a first-time admin who may only reach onboarding until consent', async () => {
      const t = h.tenant(0);
      const done = await adminA.signIn(t.adminUpn);
      expect(done.status).toBe(302);
      const sessionCookie = done.headers.getSetCookie().find((c) => c.startsWith('cs_session='))!;
      expect(sessionCookie).toMatch(/HttpOnly/i);
      expect(sessionCookie).toMatch(/SameSite=Lax/i);
      const me = await adminA.request<{ tenantStatus: string; azureTenantId: string }>(
        'GET',
        '/api/auth/me',
      );
      expect(me.body).toMatchObject({ tenantStatus: 'not_onboarded', azureTenantId: t.id });
      const lists = await adminA.request<{ error: string }>('GET', '/api/lists');
      expect(lists.status).toBe(403);
      expect(lists.body.error).toBe('tenant_not_onboarded');
      expect((await adminA.request('GET', '/api/tenant')).body).toMatchObject({
        status: 'not_onboarded',
      });
    });

    it('refuses a sign-in callback with a forged or replayed state', async () => {
      const b = h.browser();
      const forged = await b.request(
        'GET',
        '/api/auth/callback?code=abc&state=forgedforgedforgedforged',
      );
      expect(forged.status).toBe(400);
      const t = h.tenant(0);
      const start = await b.request('GET', `/api/auth/login?login_hint=${t.plainUpn}`);
      const back = await b.submitSimPage(start.headers.get('location')!, t.plainUpn, 'signin');
      // Another browser (without the login cookie) cannot use this callback.
      expect((await h.browser().request('GET', back)).status).toBe(400);
      expect((await b.request('GET', back)).status).toBe(302);
      expect((await b.request('GET', back)).status).toBe(400); // replayed
    });

    it('denied consent gives a clear answer and creates no tenant', async () => {
      const before = await h.counts();
      const denied = await adminA.consent(h.tenant(0).adminUpn, 'cancel');
      expect(denied.status).toBe(400);
      expect(denied.body).toMatchObject({ error: 'consent_denied' });
      expect((denied.body as { message: string }).message).toMatch(/not granted/);
      expect(await h.counts()).toEqual(before);
    });

    it('refuses a forged state, a replayed state and a tenant other than the admin’s', async () => {
      const t = h.tenant(0);
      const forged = await adminA.request(
        'GET',
        `/api/onboarding/callback?admin_consent=True&tenant=${t.id}&state=forgedforgedforgedforged`,
      );
      expect(forged.status).toBe(400);
      const start = await adminA.request('GET', '/api/onboarding/consent');
      const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
      const other = h.tenant(1).id;
      const mismatch = await adminA.request(
        'GET',
        `/api/onboarding/callback?admin_consent=True&tenant=${other}&state=${state}`,
      );
      expect(mismatch.status).toBe(400);
      expect(mismatch.body).toMatchObject({ error: 'tenant_mismatch' });
      const replay = await adminA.request(
        'GET',
        `/api/onboarding/callback?admin_consent=True&tenant=${t.id}&state=${state}`,
      );
      expect(replay.status).toBe(400);
      expect(replay.body).toMatchObject({ error: 'invalid_state' });
      // A state bound to another session is refused too.
      const start2 = await adminA.request('GET', '/api/onboarding/consent');
      const state2 = new URL(start2.headers.get('location')!).searchParams.get('state')!;
      // The thief is a Global Administrator too, so only the state's binding refuses them.
      const thiefUser = h.sim.state.tenants[0].usersByUpn.get(t.plainUpn.toLowerCase())!;
      thiefUser.directoryRoles = ['62e90394-69f5-4237-9190-012177145e10'];
      const thief = h.browser();
      await thief.signIn(t.plainUpn);
      thiefUser.directoryRoles = [];
      const stolen = await thief.request<{ error: string }>(
        'GET',
        `/api/onboarding/callback?admin_consent=True&tenant=${t.id}&state=${state2}`,
      );
      expect(stolen.status).toBe(400);
      expect(stolen.body.error).toBe('invalid_state');
      expect((await h.counts()).tenant).toBe(0);
    });

    it('approved consent is verified with an app-only token and records the tenant', async () => {
      const t = h.tenant(0);
      const ok = await adminA.consent(t.adminUpn, 'accept');
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        azureTenantId: t.id,
        status: 'active',
        missingPermissions: [],
      });
      expect((ok.body as { grantedPermissions: string[] }).grantedPermissions).toContain(
        'Contacts.ReadWrite',
      );
      expect((await adminA.request('GET', '/api/lists')).status).toBe(200);
      const me = await adminA.request('GET', '/api/auth/me');
      expect(me.body).toMatchObject({ tenantStatus: 'active', role: 'admin' });

      const tb = h.tenant(1);
      await adminB.signIn(tb.adminUpn);
      expect((await adminB.consent(tb.adminUpn)).status).toBe(200);
      await viewerA.signIn(t.viewerUpn);
      expect((await viewerA.request('GET', '/api/auth/me')).body).toMatchObject({ role: 'viewer' });
    });

    it('a signed-in user without an app role cannot read', async () => {
      const b = h.browser();
      await b.signIn(h.tenant(0).plainUpn);
      expect((await b.request('GET', '/api/lists')).status).toBe(403);
    });
  });

  describe('resources', () => {
    it('creates a list from the directory with a filter and a mapping; names are unique ignoring case', async () => {
      const created = await adminA.request<ListBody>('POST', '/api/lists', {
        body: { name: 'Company', settings: DIRECTORY_SETTINGS },
      });
      expect(created.status).toBe(201);
      listA = created.body;
      const dup = await adminA.request('POST', '/api/lists', {
        body: { name: ' company ', settings: DIRECTORY_SETTINGS },
      });
      expect(dup.status).toBe(409);
      listB = (
        await adminB.request<ListBody>('POST', '/api/lists', {
          body: { name: 'Company', settings: DIRECTORY_SETTINGS },
        })
      ).body;
      expect(listB.id).toBeDefined();
      const all = await viewerA.request<{ items: ListBody[]; total: number }>('GET', '/api/lists');
      expect(all.body.items.map((l) => l.id)).toEqual([listA.id]);
    });

    it('targets a group, previews, syncs now and reads per-mailbox outcomes', async () => {
      const t = h.sim.state.tenants[0];
      const group = [...t.groups.values()].find((g) => g.memberUserIds.length >= 2)!;
      const target = await adminA.request('POST', `/api/lists/${listA.id}/targets`, {
        body: { kind: 'group', id: group.group.id },
      });
      expect(target.status).toBe(201);
      expect(target.body).toMatchObject({
        kind: 'group',
        mode: 'include',
        objectId: group.group.id,
      });

      const preview = await adminA.request<{ runId: string }>(
        'POST',
        `/api/lists/${listA.id}/preview`,
      );
      expect(preview.status).toBe(202);
      const sync = await adminA.request<{ runId: string; status: string }>(
        'POST',
        `/api/lists/${listA.id}/sync`,
      );
      expect(sync.status).toBe(202);
      expect(sync.body.runId).toMatch(/^[0-9a-f-]{36}$/);
      let run: { status: string; mailboxes: { total: number } } | undefined;
      for (let i = 0; i < 300; i++) {
        const r = await viewerA.request<typeof run>('GET', `/api/runs/${sync.body.runId}`);
        run = r.body;
        if (run && !['queued', 'running'].includes(run.status)) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(run!.status).toBe('succeeded');
      expect(run!.mailboxes.total).toBeGreaterThan(0);
      const outcomes = await viewerA.request<{ items: unknown[] }>(
        'GET',
        `/api/runs/${sync.body.runId}/mailboxes`,
      );
      expect(outcomes.body.items).toHaveLength(Math.min(50, run!.mailboxes.total));
      const history = await viewerA.request<{ items: Array<{ id: string }> }>(
        'GET',
        `/api/runs?listId=${listA.id}`,
      );
      expect(history.body.items.map((r) => r.id)).toContain(sync.body.runId);
    }, 60_000);

    it('validates schedules (cron and IANA time zone) and registers the BullMQ job scheduler', async () => {
      const bad = await adminA.request<{ problems: Problem[] }>(
        'PUT',
        `/api/lists/${listA.id}/schedule`,
        {
          body: { cron: '61 * * * *', timeZone: 'Mars/Olympus' },
        },
      );
      expect(bad.status).toBe(400);
      expect(bad.body.problems.map((p) => p.field).sort()).toEqual(['cron', 'timeZone']);
      // A seconds field, and a pattern firing more often than every 5 minutes (the default minimum).
      for (const cron of ['*/10 * * * * *', '*/2 * * * *', '0,1 9 * * *']) {
        const tooOften = await adminA.request<{ problems: Problem[] }>(
          'PUT',
          `/api/lists/${listA.id}/schedule`,
          { body: { cron, timeZone: 'UTC' } },
        );
        expect(tooOften.status).toBe(400);
        expect(tooOften.body.problems).toEqual([
          { field: 'cron', message: expect.stringMatching(/seconds field|every 5 minutes/) },
        ]);
      }
      const ok = await adminA.request<{ id: string; next: string[] }>(
        'PUT',
        `/api/lists/${listA.id}/schedule`,
        {
          body: { cron: '0 6 * * 1-5', timeZone: 'Europe/Berlin' },
        },
      );
      expect(ok.status).toBe(200);
      expect(ok.body.next).toHaveLength(3);
      const { SyncQueues } = await import('@app/sync');
      const queues = h.app.get(SyncQueues);
      expect(await queues.scheduleIds()).toContain(ok.body.id);
      expect((await adminA.request('DELETE', `/api/lists/${listA.id}/schedule`)).status).toBe(204);
      expect(await queues.scheduleIds()).not.toContain(ok.body.id);
    });

    it('imports CSV entries as a job, refusing a bad file with per-row problems', async () => {
      const manual = await adminA.request<ListBody>('POST', '/api/lists', {
        body: { name: 'Suppliers', settings: { sources: [{ id: 'm', kind: 'manual' }] } },
      });
      const entries = async () => (await h.counts()).list_entry;
      const before = await entries();
      const empty = await adminA.request('POST', `/api/lists/${manual.body.id}/entries/csv`, {
        body: '',
        headers: { 'content-type': 'text/csv' },
      });
      expect(empty.status).toBe(400);
      const bad = await importCsv(
        adminA,
        manual.body.id,
        'displayName,emailAddresses,shoeSize\nAda,ada@example.com,42\n',
      );
      expect(bad.status).toBe('failed');
      expect(bad.problems[0]).toMatchObject({ row: 1, field: 'shoeSize' });
      const badRow = await importCsv(
        adminA,
        manual.body.id,
        'displayName,emailAddresses\nAda,ada@example.com\n,\nBob,ada@example.com\n',
      );
      expect(badRow.status).toBe('failed');
      expect(badRow.problems.map((p) => p.row)).toEqual(expect.arrayContaining([4]));
      expect(await entries()).toEqual(before);
      const good = await importCsv(
        adminA,
        manual.body.id,
        'displayName,emailAddresses\nAda,ada@example.com\nBob,bob@example.com\n',
      );
      expect(good).toMatchObject({ status: 'succeeded', result: { imported: 2 } });
      expect(await entries()).toBe(before + 2);
    });

    it('records an audit event for every change', async () => {
      const audit = await viewerA.request<{ items: Array<{ action: string }> }>(
        'GET',
        '/api/audit?limit=200',
      );
      const actions = audit.body.items.map((e) => e.action);
      for (const a of [
        'tenant.consent',
        'list.create',
        'target.add',
        'run.sync_now',
        'schedule.create',
        'schedule.delete',
        'entries.import_csv',
      ])
        expect(actions).toContain(a);
    });
  });

  describe('API tokens', () => {
    it('work as Bearer only for their tenant and role, and stop when revoked', async () => {
      const created = await adminA.request<{ id: string; token: string; prefix: string }>(
        'POST',
        '/api/tokens',
        {
          body: { name: 'msp script', role: 'viewer' },
        },
      );
      expect(created.status).toBe(201);
      expect(created.body.token.startsWith(created.body.prefix)).toBe(true);
      const listed = await adminA.request<Array<Record<string, unknown>>>('GET', '/api/tokens');
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
      const row = (await h.dataSource.query('SELECT token_hash FROM api_token WHERE id = ?', [
        created.body.id,
      ])) as Array<{
        token_hash: string;
      }>;
      expect(row[0].token_hash).toMatch(/^[0-9a-f]{64}$/);

      const script = h.browser(created.body.token);
      expect((await script.request('GET', '/api/lists')).status).toBe(200);
      expect((await script.request('GET', `/api/lists/${listB.id}`)).status).toBe(404);
      // Viewer token cannot change; no CSRF needed for Bearer, but the role is enforced.
      expect(
        (
          await script.request('POST', '/api/lists', {
            body: { name: 'x', settings: DIRECTORY_SETTINGS },
          })
        ).status,
      ).toBe(403);

      const adminToken = await adminA.request<{ id: string; token: string }>(
        'POST',
        '/api/tokens',
        {
          body: { name: 'writer', role: 'admin' },
        },
      );
      const writer = h.browser(adminToken.body.token);
      const made = await writer.request('POST', '/api/lists', {
        body: { name: 'From script', settings: DIRECTORY_SETTINGS },
      });
      expect(made.status).toBe(201);

      expect((await adminA.request('DELETE', `/api/tokens/${created.body.id}`)).status).toBe(204);
      expect((await script.request('GET', '/api/lists')).status).toBe(401);
      expect((await h.browser('csf_forged').request('GET', '/api/lists')).status).toBe(401);
      // Tenant B cannot revoke A's token.
      expect((await adminB.request('DELETE', `/api/tokens/${adminToken.body.id}`)).status).toBe(
        404,
      );
    });
  });

  describe('bad input', () => {
    const long = 'x'.repeat(5000);
    const cases: Array<{ method: string; path: () => string; bodies: unknown[] }> = [
      {
        method: 'POST',
        path: () => '/api/lists',
        bodies: [
          {},
          { name: 5, settings: DIRECTORY_SETTINGS },
          { name: long, settings: DIRECTORY_SETTINGS },
          { name: 'ok', settings: DIRECTORY_SETTINGS, surprise: true },
          { name: 'ok', settings: { sources: [] } },
          { name: 'ok', settings: { sources: [{ id: 'BAD ID', kind: 'nope' }] } },
          { name: 'ok', settings: DIRECTORY_SETTINGS, defaultRegion: 'usa' },
          [],
          'just a string',
        ],
      },
      {
        method: 'PATCH',
        path: () => `/api/lists/${listA.id}`,
        bodies: [{}, { name: '' }, { enabled: 'yes' }, { description: long }, { unknown: 1 }],
      },
      {
        method: 'POST',
        path: () => `/api/lists/${listA.id}/targets`,
        bodies: [
          {},
          { kind: 'group' },
          { kind: 'group', id: 'not-a-uuid' },
          { kind: 'everyone' },
          { kind: 'filter', filter: { wrong: [] } },
          { kind: 'all', mode: 'sometimes' },
          { kind: 'all', extra: 1 },
        ],
      },
      {
        method: 'PUT',
        path: () => `/api/lists/${listA.id}/schedule`,
        bodies: [
          {},
          { cron: 'every day' },
          { cron: '0 6 * * *', timeZone: 'Nowhere/City' },
          { cron: long },
          { cron: '0 6 * * *', x: 1 },
        ],
      },
      {
        method: 'PUT',
        path: () => '/api/alerts',
        bodies: [
          {},
          { quietMinutes: 0 },
          { quietMinutes: 5, emails: 'ops@example.com' },
          { quietMinutes: 5, webhookUrl: 'http://x.example', webhookSecret: long },
          { quietMinutes: 5, extra: 1 },
        ],
      },
      {
        method: 'PUT',
        path: () => '/api/ews',
        bodies: [
          {},
          { serverUrl: 'ftp://x.example', username: 'u', password: 'p' },
          { serverUrl: 'https://x.example', username: long, password: 'p' },
          { serverUrl: 'https://x.example', username: 'u' },
          { serverUrl: 'https://x.example', username: 'u', password: 'p', domain: 'x' },
        ],
      },
      {
        method: 'POST',
        path: () => '/api/tenant/operators',
        bodies: [
          {},
          { operatorTenantId: 'nope', operatorObjectId: 'nope', role: 'viewer' },
          {
            operatorTenantId: '0f0f0f0f-0000-4000-8000-000000000001',
            operatorObjectId: '0f0f0f0f-0000-4000-8000-000000000002',
            role: 'owner',
          },
          {
            operatorTenantId: '0f0f0f0f-0000-4000-8000-000000000001',
            operatorObjectId: '0f0f0f0f-0000-4000-8000-000000000002',
            role: 'viewer',
            label: long,
          },
          {
            operatorTenantId: '0f0f0f0f-0000-4000-8000-000000000001',
            operatorObjectId: '0f0f0f0f-0000-4000-8000-000000000002',
            role: 'viewer',
            tenantId: 'x',
          },
        ],
      },
      {
        method: 'POST',
        path: () => '/api/tokens',
        bodies: [
          {},
          { name: 'a', role: 'owner' },
          { name: long, role: 'viewer' },
          { name: 'a', role: 'viewer', tenant: 'b' },
        ],
      },
    ];

    it('answers 400 naming each bad field and changes nothing', async () => {
      const before = await h.counts();
      for (const c of cases) {
        for (const body of c.bodies) {
          const res = await adminA.request<{ problems: Problem[] }>(c.method, c.path(), {
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          });
          const label = `${c.method} ${c.path()} ${JSON.stringify(body).slice(0, 80)}`;
          expect([label, res.status]).toEqual([label, 400]);
          expect([label, Array.isArray(res.body.problems)]).toEqual([label, true]);
          expect(res.body.problems.length).toBeGreaterThan(0);
          for (const p of res.body.problems) {
            expect(typeof p.field).toBe('string');
            expect(typeof p.message).toBe('string');
          }
        }
      }
      const unknown = await adminA.request<{ problems: Problem[] }>('POST', '/api/tokens', {
        body: { name: 'a', role: 'viewer', tenant: 'b' },
      });
      expect(unknown.body.problems).toEqual([{ field: 'tenant', message: 'unknown field' }]);
      const malformed = await adminA.request('POST', '/api/lists', {
        body: '{"name": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.status).toBe(400);
      expect(await h.counts()).toEqual(before);
    });
  });

  describe('the OpenAPI document', () => {
    it('is a valid OpenAPI document and lists every route the API serves', async () => {
      const doc = (await h.browser().request<Record<string, unknown>>('GET', '/api/docs-json'))
        .body;
      await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
      const documented = new Set(
        Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
          ([path, methods]) =>
            Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
        ),
      );
      // The routes Express actually serves, with :params written as OpenAPI writes them.
      type Router = {
        stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }>;
      };
      const express = h.app.getHttpAdapter().getInstance() as { router?: Router; _router?: Router };
      const router = (express.router ?? express._router)!; // Express 5 names it `router`
      const served = router.stack
        .filter(
          (layer) =>
            layer.route &&
            layer.route.path.startsWith('/api/') &&
            !layer.route.path.startsWith('/api/docs'),
        )
        .flatMap((layer) =>
          Object.keys(layer.route!.methods).map(
            (m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`,
          ),
        );
      expect(served.length).toBeGreaterThan(20);
      expect(served.filter((route) => !documented.has(route))).toEqual([]);
    });
  });

  describe('every route from the OpenAPI document', () => {
    type Op = { method: string; path: string };
    let ops: Op[];
    const PUBLIC = ['/api/auth/login', '/api/auth/callback', '/health/live', '/health/ready'];
    const ONBOARDING = [
      '/api/auth/me',
      '/api/auth/logout',
      '/api/tenant',
      '/api/onboarding/consent',
      '/api/onboarding/callback',
    ];
    let targetB: string;
    let tokenB: string;
    let runB: string;
    let grantB: string;
    let importB: string;

    beforeAll(async () => {
      const doc = await h
        .browser()
        .request<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/docs-json');
      ops = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
      );
      targetB = (
        await adminB.request<{ id: string }>('POST', `/api/lists/${listB.id}/targets`, {
          body: { kind: 'all' },
        })
      ).body.id;
      await adminB.request('PUT', `/api/lists/${listB.id}/schedule`, {
        body: { cron: '0 5 * * *' },
      });
      tokenB = (
        await adminB.request<{ id: string }>('POST', '/api/tokens', {
          body: { name: 'b', role: 'viewer' },
        })
      ).body.id;
      grantB = (
        await adminB.request<{ id: string }>('POST', '/api/tenant/operators', {
          body: {
            operatorTenantId: crypto.randomUUID(),
            operatorObjectId: crypto.randomUUID(),
            role: 'viewer',
          },
        })
      ).body.id;
      expect(grantB).toBeTruthy();
      const sync = await adminB.request<{ runId: string }>('POST', `/api/lists/${listB.id}/sync`);
      runB = sync.body.runId;
      expect(runB).toBeTruthy();
      importB = (
        await adminB.request<{ jobId: string }>('POST', `/api/lists/${listB.id}/entries/csv`, {
          body: 'displayName\nB\n',
          headers: { 'content-type': 'text/csv' },
        })
      ).body.jobId;
      expect(importB).toBeTruthy();
    });

    const concrete = (path: string, ids: Record<string, string>): string =>
      path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? ids.id);
    const idsOfB = (path: string): Record<string, string> => ({
      id: path.startsWith('/api/runs')
        ? runB
        : path.startsWith('/api/tokens')
          ? tokenB
          : path.startsWith('/api/tenant/operators')
            ? grantB
            : listB.id,
      targetId: targetB,
      jobId: importB,
    });
    const SAMPLE_BODY: Record<string, unknown> = {
      'POST /api/lists': { name: 'Zed', settings: DIRECTORY_SETTINGS },
      'POST /api/calendar-lists': {
        name: 'Cal',
        settings: { sources: [{ id: 'm', kind: 'manual' }] },
      },
      'PATCH /api/calendar-lists/{id}': { name: 'Renamed' },
      'POST /api/calendar-lists/{id}/targets': { kind: 'all' },
      'PATCH /api/calendar-lists/{id}/targets/{targetId}': { mode: 'exclude' },
      'PUT /api/calendar-lists/{id}/schedule': { cron: '0 7 * * *' },
      'POST /api/calendar-lists/{id}/runs': { mode: 'dry_run' },
      'POST /api/calendar-lists/{id}/sources/{sourceId}/events': {
        subject: 'Offsite',
        start: { date: '2027-05-03' },
        end: { date: '2027-05-04' },
      },
      'PATCH /api/calendar-lists/{id}/sources/{sourceId}/events/{eventId}': { subject: 'Moved' },
      'PATCH /api/lists/{id}': { name: 'Renamed' },
      'POST /api/lists/{id}/targets': { kind: 'all' },
      'PATCH /api/lists/{id}/targets/{targetId}': { mode: 'exclude' },
      'POST /api/lists/{id}/entries': { fields: { displayName: 'Ada', emailAddresses: 'a@x.org' } },
      'PATCH /api/lists/{id}/entries/{entryId}': { fields: { jobTitle: 'Countess' } },
      'PUT /api/lists/{id}/schedule': { cron: '0 7 * * *' },
      'POST /api/tokens': { name: 't', role: 'viewer' },
      'PUT /api/alerts': { quietMinutes: 5, emails: ['ops@example.com'] },
      'PUT /api/ews': { serverUrl: 'https://x.example/EWS', username: 'u', password: 'p' },
      'POST /api/ews/test': { mailbox: 'someone@example.com' },
      'POST /api/tenant/operators': {
        operatorTenantId: '0f0f0f0f-0000-4000-8000-000000000001',
        operatorObjectId: '0f0f0f0f-0000-4000-8000-000000000002',
        role: 'viewer',
      },
    };
    const tenantRoutes = (): Op[] =>
      ops.filter((o) => !PUBLIC.includes(o.path) && !ONBOARDING.includes(o.path));

    it('covers every API route', () => {
      const paths = new Set(ops.map((o) => `${o.method} ${o.path}`));
      for (const expected of [
        'POST /api/lists',
        'GET /api/runs/{id}',
        'GET /api/runs/{id}/mailboxes',
        'GET /api/runs/{id}/logs',
        'POST /api/runs/{id}/cancel',
        'GET /api/mailboxes/{userId}/runs',
        'GET /api/logs',
        'DELETE /api/tokens/{id}',
        'POST /api/lists/{id}/entries/csv',
        'GET /api/lists/{id}/entries/csv/{jobId}',
        'GET /api/onboarding/consent',
        'POST /api/tenant/cleanup',
        'GET /api/tenant/cleanup',
        'PUT /api/alerts',
        'POST /api/alerts/test',
        'GET /api/activity',
        'GET /api/holidays/countries',
        'GET /api/holidays/countries/{country}',
        'PUT /api/ews',
        'DELETE /api/ews',
        'POST /api/tenant/operators',
        'GET /api/tenant/operators',
        'DELETE /api/tenant/operators/{id}',
        'GET /api/operator/tenants',
        'POST /api/calendar-lists',
        'POST /api/calendar-lists/{id}/sources/{sourceId}/ics',
        'POST /api/calendar-lists/{id}/targets',
        'PUT /api/calendar-lists/{id}/schedule',
        'POST /api/calendar-lists/{id}/runs',
        'GET /api/calendar-lists/{id}/runs',
        'POST /api/calendar-lists/{id}/sources/{sourceId}/events',
        'PATCH /api/calendar-lists/{id}/sources/{sourceId}/events/{eventId}',
      ])
        expect(paths).toContain(expected);
    });

    it('anonymous callers get 401 on every non-public route', async () => {
      const anon = h.browser();
      for (const o of ops.filter((x) => !PUBLIC.includes(x.path))) {
        const res = await anon.request(o.method, concrete(o.path, idsOfB(o.path)), {
          body: SAMPLE_BODY[`${o.method} ${o.path}`],
        });
        expect([o.method, o.path, res.status]).toEqual([o.method, o.path, 401]);
      }
    });

    it("an admin of tenant A gets 404 for tenant B's resources on every route with an id", async () => {
      const before = await h.counts();
      for (const o of tenantRoutes().filter((x) => x.path.includes('{'))) {
        const res = await adminA.request(o.method, concrete(o.path, idsOfB(o.path)), {
          body:
            SAMPLE_BODY[`${o.method} ${o.path}`] ??
            (o.path.endsWith('/csv') ? undefined : undefined),
          ...(o.path.endsWith('/csv')
            ? {
                body: 'displayName,emailAddresses\nA,a@example.com\n',
                headers: { 'content-type': 'text/csv' },
              }
            : {}),
        });
        expect([o.method, o.path, res.status]).toEqual([o.method, o.path, 404]);
      }
      expect(await h.counts()).toEqual(before);
    });

    it('a viewer cannot change anything, and a session without the CSRF header cannot either', async () => {
      const before = await h.counts();
      for (const o of tenantRoutes().filter((x) => x.method !== 'GET')) {
        const path = concrete(o.path, { id: listA.id, targetId: listA.id });
        const body = SAMPLE_BODY[`${o.method} ${o.path}`];
        const viewer = await viewerA.request(o.method, path, { body });
        expect([o.method, o.path, viewer.status]).toEqual([o.method, o.path, 403]);
        const noCsrf = await adminA.request(o.method, path, { body, csrf: false });
        expect([o.method, o.path, noCsrf.status]).toEqual([o.method, o.path, 403]);
      }
      const logout = await adminA.request('POST', '/api/auth/logout', { csrf: false });
      expect(logout.status).toBe(403);
      expect(await h.counts()).toEqual(before);
    });

    it('the OpenAPI document is served at /api/docs', async () => {
      const page = await h.browser().request('GET', '/api/docs');
      expect(page.status).toBe(200);
      expect(page.text).toContain('swagger');
    });
  });
});
