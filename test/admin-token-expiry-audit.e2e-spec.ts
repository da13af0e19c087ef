import { ManualClock } from '@app/logstore';
import { AdminHarness, type Browser } from './support/admin-harness';

interface AuditItem {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
}
interface Problem {
  field: string;
  message: string;
}
interface Token {
  id: string;
  token: string;
  expiresAt: string;
}

/**
 * Issue #19, acceptance 7: every API token expires (a default and a maximum lifetime), a token
 * past its expiry answers 401 — the API's clock is moved, nothing waits — and sign-ins (and
 * refused tokens) are in the audit log, which filters by actor, action, target and time.
 */
describe('API token expiry and the audit of sign-ins', () => {
  const clock = new ManualClock(new Date());
  let h: AdminHarness;
  let admin: Browser;
  let viewer: Browser;
  let adminOid: string;
  let viewerOid: string;

  beforeAll(async () => {
    h = await AdminHarness.start({
      clock,
      env: { API_TOKEN_DEFAULT_DAYS: '30', API_TOKEN_MAX_DAYS: '90' },
    });
    const t = h.tenant(0);
    admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    viewer = h.browser();
    await viewer.signIn(t.viewerUpn);
    adminOid = (await admin.request<{ oid: string }>('GET', '/api/auth/me')).body.oid;
    viewerOid = (await viewer.request<{ oid: string }>('GET', '/api/auth/me')).body.oid;
    expect(viewerOid).not.toBe(adminOid);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  const audit = (query: string) =>
    admin.request<{ items: AuditItem[]; total: number }>('GET', `/api/audit${query}`);
  const createToken = (body: Record<string, unknown>) =>
    admin.request<Token>('POST', '/api/tokens', { body: { name: 'script', ...body } });
  const callWith = async (token: string) =>
    (await h.browser(token).request('GET', '/api/lists')).status;

  it('gives a token the default lifetime, refuses one longer than the maximum, and answers 401 once it expired', async () => {
    const tooLong = await admin.request<{ problems: Problem[] }>('POST', '/api/tokens', {
      body: { name: 'forever', role: 'viewer', expiresInDays: 91 },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.problems).toEqual([
      { field: 'expiresInDays', message: 'at most 90 days (API_TOKEN_MAX_DAYS)' },
    ]);

    const start = clock.now().getTime();
    const standard = await createToken({ role: 'viewer' });
    expect(standard.status).toBe(201);
    expect(Date.parse(standard.body.expiresAt)).toBe(start + 30 * 86_400_000);
    const daily = await createToken({ role: 'admin', expiresInDays: 1 });
    expect(Date.parse(daily.body.expiresAt)).toBe(start + 86_400_000);
    expect(await callWith(standard.body.token)).toBe(200);
    expect(await callWith(daily.body.token)).toBe(200);

    clock.advanceMs(86_400_000 - 1_000);
    expect(await callWith(daily.body.token)).toBe(200);
    clock.advanceMs(1_000);
    expect(await callWith(daily.body.token)).toBe(401);
    expect(await callWith(standard.body.token)).toBe(200);

    clock.advanceDays(29);
    expect(await callWith(standard.body.token)).toBe(401);
    // The sessions are not API tokens: they still work.
    expect((await admin.request('GET', '/api/lists')).status).toBe(200);

    const refused = await audit(`?action=auth.sign_in_failed&targetId=${daily.body.id}`);
    expect(refused.body.items).toEqual([
      expect.objectContaining({
        actorType: 'api_token',
        actorId: daily.body.id,
        targetType: 'api_token',
        details: { reason: 'expired', prefix: daily.body.token.slice(0, 12) },
      }),
    ]);
  });

  it('audits the use of a revoked token as a failed sign-in', async () => {
    const token = await createToken({ role: 'viewer' });
    expect(await callWith(token.body.token)).toBe(200);
    expect((await admin.request('DELETE', `/api/tokens/${token.body.id}`)).status).toBe(204);
    expect(await callWith(token.body.token)).toBe(401);
    // A script retrying in a loop leaves one event a minute, not one per request.
    expect(await callWith(token.body.token)).toBe(401);
    const refused = await audit(`?actorId=${token.body.id}&action=auth.sign_in_failed`);
    expect(refused.body.items.map((e) => e.details)).toEqual([
      { reason: 'revoked', prefix: token.body.token.slice(0, 12) },
    ]);
  });

  it('records sign-ins, and filters the audit log by actor, action, target and time', async () => {
    const signIns = await audit('?action=auth.sign_in');
    const byActor = new Map(signIns.body.items.map((e) => [e.actorId, e]));
    expect(byActor.get(viewerOid)).toMatchObject({
      actorType: 'admin',
      details: { role: 'viewer', via: 'microsoft' },
    });
    // The admin signed in before the tenant existed: the consent is that sign-in's record.
    expect((await audit(`?action=tenant.consent&actorId=${adminOid}`)).body.total).toBe(1);
    // A new sign-in of the admin, now that the tenant is active.
    const again = h.browser();
    await again.signIn(h.tenant(0).adminUpn);
    const adminSignIns = await audit(`?action=auth.sign_in&actorId=${adminOid}`);
    expect(adminSignIns.body.items).toEqual([
      expect.objectContaining({ actorType: 'admin', details: { role: 'admin', via: 'microsoft' } }),
    ]);

    // A user our app gives no role signs in: every route refuses them, and the audit says so.
    const plain = h.browser();
    await plain.signIn(h.tenant(0).plainUpn);
    const plainOid = (await plain.request<{ oid: string }>('GET', '/api/auth/me')).body.oid;
    expect((await plain.request('GET', '/api/lists')).status).toBe(403);
    expect((await audit(`?actorId=${plainOid}`)).body.items).toEqual([
      expect.objectContaining({
        actorType: 'admin',
        action: 'auth.sign_in_failed',
        details: { reason: 'no_role' },
      }),
    ]);

    // By actor: only that actor's events, however many others there are.
    const everything = await audit('?limit=200');
    const mine = await audit(`?actorId=${adminOid}&limit=200`);
    expect(mine.body.total).toBeGreaterThanOrEqual(4);
    expect(mine.body.total).toBeLessThan(everything.body.total);
    expect(new Set(mine.body.items.map((e) => e.actorId))).toEqual(new Set([adminOid]));
    expect(mine.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['tenant.consent', 'auth.sign_in', 'api_token.create']),
    );
    const viewers = await audit(`?actorId=${viewerOid}`);
    expect(viewers.body.items.map((e) => [e.actorId, e.action])).toEqual([
      [viewerOid, 'auth.sign_in'],
    ]);
    // By action prefix, by target, by type.
    const tokenEvents = await audit('?action=api_token.*&limit=200');
    expect(new Set(tokenEvents.body.items.map((e) => e.action))).toEqual(
      new Set(['api_token.create', 'api_token.revoke']),
    );
    const oneTarget = tokenEvents.body.items.find((e) => e.action === 'api_token.revoke')!;
    const forTarget = await audit(`?targetType=api_token&targetId=${oneTarget.targetId}`);
    expect(forTarget.body.items.every((e) => e.targetId === oneTarget.targetId)).toBe(true);
    expect(forTarget.body.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['api_token.create', 'api_token.revoke', 'auth.sign_in_failed']),
    );
    expect((await audit('?actorType=api_token&limit=200')).body.items.length).toBeGreaterThan(0);
    // By time: [from, to) around the admin's latest sign-in holds it; the future holds nothing.
    const at = Date.parse(adminSignIns.body.items[0].at);
    const window = await audit(
      `?from=${new Date(at).toISOString()}&to=${new Date(at + 1).toISOString()}&actorId=${adminOid}`,
    );
    expect(window.body.items.map((e) => e.id)).toContain(adminSignIns.body.items[0].id);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await audit(`?from=${future}`)).body).toEqual({ items: [], total: 0 });

    const bad = await admin.request<{ problems: Problem[] }>(
      'GET',
      '/api/audit?from=yesterday&actorType=robot&action=DROP%20TABLE&colour=red',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p) => p.field).sort()).toEqual([
      'action',
      'actorType',
      'colour',
      'from',
    ]);
    const backwards = await admin.request<{ problems: Problem[] }>(
      'GET',
      `/api/audit?from=${future}&to=${new Date().toISOString()}`,
    );
    expect(backwards.body.problems).toEqual([{ field: 'to', message: 'must be after from' }]);
  });
});
