import { randomBytes } from 'node:crypto';
import { AdminHarness, type Browser } from './support/admin-harness';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/**
 * Acceptance 4 of issue #24: Bull Board for the installation's operators. 401 without
 * credentials (or with a wrong secret), 403 to a tenant's administrator however they sign in,
 * 200 to the installation operator (OPERATOR_TOKEN); and the metrics never on the API port.
 */
describe('queue board and the public port', () => {
  const operatorToken = randomBytes(32).toString('base64url');
  let h: AdminHarness;
  let admin: Browser;
  let adminToken: string;
  const operator = () => h.browser(operatorToken);

  beforeAll(async () => {
    h = await AdminHarness.start({ sim: { tenants: 1 }, env: { OPERATOR_TOKEN: operatorToken } });
    admin = h.browser();
    const tenant = h.tenant(0);
    await admin.signIn(tenant.adminUpn);
    expect((await admin.consent(tenant.adminUpn)).status).toBe(200);
    const minted = await admin.request<{ token: string }>('POST', '/api/tokens', {
      body: { name: 'script', role: 'admin' },
    });
    expect(minted.status).toBe(201);
    adminToken = minted.body.token;
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('answers 401 with a Basic challenge without credentials or with a wrong secret', async () => {
    for (const path of ['/ops/queues', '/ops/queues/api/queues']) {
      const anon = await h.browser().request<ErrorBody>('GET', path);
      expect(anon.status).toBe(401);
      expect(anon.body).toMatchObject({ statusCode: 401, error: 'unauthorized' });
      expect(anon.headers.get('www-authenticate')).toMatch(/^Basic realm="queue board"/);
    }
    const wrong = await h.browser(`${operatorToken}x`).request('GET', '/ops/queues/api/queues');
    expect(wrong.status).toBe(401);
    const wrongBasic = await h.browser().request('GET', '/ops/queues/api/queues', {
      headers: { authorization: `Basic ${Buffer.from('operator:nope').toString('base64')}` },
    });
    expect(wrongBasic.status).toBe(401);
  });

  it("answers 403 to a tenant's administrator, signed in or with an API token", async () => {
    const session = await admin.request<ErrorBody>('GET', '/ops/queues/api/queues');
    expect(session.status).toBe(403);
    expect(session.body).toMatchObject({ statusCode: 403, error: 'forbidden' });
    expect(session.body.message).toMatch(/installation's operators/);
    expect((await admin.request('GET', '/ops/queues')).status).toBe(403);
    const script = await h.browser(adminToken).request<ErrorBody>('GET', '/ops/queues/api/queues');
    expect(script.status).toBe(403);
    // The admin is still an admin of the API itself.
    expect((await h.browser(adminToken).request('GET', '/api/lists')).status).toBe(200);
  });

  it('answers 200 to the installation operator, by Bearer or Basic, with every queue', async () => {
    const page = await operator().request('GET', '/ops/queues');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const queues = await operator().request<{ queues: Array<{ name: string }> }>(
      'GET',
      '/ops/queues/api/queues',
    );
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q) => q.name).sort()).toEqual(
      ['advance-cleanup', 'finish-run', 'import-csv', 'plan-run', 'sync-mailbox'].sort(),
    );
    const basic = await h.browser().request('GET', '/ops/queues/api/queues', {
      headers: { authorization: `Basic ${Buffer.from(`ops:${operatorToken}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
  });

  it('refuses a change from another origin, takes one from the board itself', async () => {
    const host = new URL(h.baseUrl).host;
    const cross = await operator().request<ErrorBody>(
      'PUT',
      '/ops/queues/api/queues/plan-run/pause',
      {
        headers: { origin: 'https://evil.example' },
      },
    );
    expect(cross.status).toBe(403);
    const queue = h.app.get((await import('@app/queue')).SyncQueues).planRun;
    expect(await queue.isPaused()).toBe(false);
    const paused = await operator().request('PUT', '/ops/queues/api/queues/plan-run/pause', {
      headers: { origin: `http://${host}` },
    });
    expect(paused.status).toBeLessThan(300);
    expect(await queue.isPaused()).toBe(true);
    const resumed = await operator().request('PUT', '/ops/queues/api/queues/plan-run/resume', {
      headers: { origin: `http://${host}` },
    });
    expect(resumed.status).toBeLessThan(300);
    expect(await queue.isPaused()).toBe(false);
  });

  it('never serves the metrics on the public API port', async () => {
    for (const browser of [h.browser(), operator(), admin]) {
      const res = await browser.request('GET', '/metrics');
      expect(res.text).not.toContain('csf_');
      expect(res.text).not.toContain('# TYPE');
    }
  });
});
