import { Writable } from 'node:stream';
import { AdminHarness, type Browser } from './support/admin-harness';
import { DIRECTORY_SETTINGS, waitRun } from './support/admin-sim';
import type { ServiceProcess } from './support/service-process';

/** JWTs (access and ID tokens): three base64url parts, the first two JSON objects. */
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/;

/** Every secret of `secrets` and every JWT or simulator code found in `lines`. */
export function findLeaks(lines: string[], secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const line of lines) {
    if (line.includes('simcode_')) leaks.push(`authorization code: ${line.slice(0, 200)}`);
    if (line.includes('csst_')) leaks.push(`state: ${line.slice(0, 200)}`);
    if (JWT.test(line)) leaks.push(`JWT: ${line.slice(0, 200)}`);
    for (const secret of secrets)
      if (line.includes(secret)) leaks.push(`secret ${secret.slice(0, 6)}…: ${line.slice(0, 200)}`);
  }
  return leaks;
}

/**
 * Acceptance 6 of the security review: a whole admin story with the API and a worker at their
 * most verbose log levels writes no authorization code, state, CSRF token, password, access
 * token or API token.
 */
describe('logs hold no per-session secret', () => {
  const lines: string[] = [];
  const secrets: string[] = [];
  /** The entries of GET /api/logs, one JSON line each. */
  const syncLogs: string[] = [];
  const PASSWORD = 'Ews-Passw0rd-never-logged!';
  const WEBHOOK_SECRET = 'whsec-never-logged-0123456789abcdef';
  let h: AdminHarness;
  let worker: ServiceProcess;

  beforeAll(async () => {
    const logs = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    h = await AdminHarness.start({
      logs,
      // The simulator's EWS account signs in with PASSWORD: on-premises mailboxes sync through
      // EWS with it on the wire (Basic), and the scan below must not find it anywhere.
      sim: { ewsAccounts: [{ userName: 'svc-sync', password: PASSWORD, impersonation: true }] },
      env: {
        LOG_LEVEL: 'trace',
        ALERT_WEBHOOK_ALLOW_HTTP: 'true',
        ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      },
    });
    worker = await h.startWorkerProcess({ LOG_LEVEL: 'trace' });
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await h?.stop();
  });

  /** Sign-in step by step, keeping the state and the authorization code it carried. */
  async function signIn(b: Browser, upn: string): Promise<void> {
    const start = await b.request('GET', `/api/auth/login?login_hint=${encodeURIComponent(upn)}`);
    const authorize = new URL(start.headers.get('location')!);
    secrets.push(authorize.searchParams.get('state')!);
    const back = await b.submitSimPage(authorize.toString(), upn, 'signin');
    const callback = new URL(back);
    secrets.push(callback.searchParams.get('code')!, callback.searchParams.get('state')!);
    expect((await b.request('GET', back)).status).toBe(302);
    const me = await b.request<{ csrfToken: string }>('GET', '/api/auth/me');
    b.csrf = me.body.csrfToken;
    secrets.push(me.body.csrfToken);
  }

  it('runs sign-in, consent, writes, an API token, EWS and alert secrets and a sync', async () => {
    const admin = h.browser();
    await signIn(admin, h.tenant(0).adminUpn);
    expect(secrets[1]).toMatch(/^simcode_/);
    expect(secrets[0]).toMatch(/^csst_/);

    const consentStart = await admin.request('GET', '/api/onboarding/consent');
    const consentUrl = new URL(consentStart.headers.get('location')!);
    secrets.push(consentUrl.searchParams.get('state')!);
    const back = await admin.submitSimPage(consentUrl.toString(), h.tenant(0).adminUpn, 'accept');
    expect((await admin.request('GET', back)).status).toBe(200);

    const list = await admin.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Scanned', settings: DIRECTORY_SETTINGS },
    });
    expect(list.status).toBe(201);
    expect(
      (
        await admin.request('POST', `/api/lists/${list.body.id}/targets`, {
          body: { kind: 'all', mode: 'include' },
        })
      ).status,
    ).toBe(201);

    const token = await admin.request<{ token: string }>('POST', '/api/tokens', {
      body: { name: 'script', role: 'admin' },
    });
    expect(token.status).toBe(201);
    secrets.push(token.body.token);
    const script = h.browser(token.body.token);
    expect((await script.request('GET', '/api/lists')).status).toBe(200);
    // A wrong token is logged as refused, never by value.
    const wrong = `${token.body.token.slice(0, -4)}XXXX`;
    secrets.push(wrong);
    expect((await h.browser(wrong).request('GET', '/api/lists')).status).toBe(401);

    secrets.push(PASSWORD, WEBHOOK_SECRET);
    expect(
      (
        await admin.request('PUT', '/api/ews', {
          body: {
            serverUrl: h.sim.info.ewsUrl,
            username: 'svc-sync',
            password: PASSWORD,
            authMode: 'ntlm',
            caCertificate: h.sim.caPem,
          },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin.request('PUT', '/api/alerts', {
          body: {
            quietMinutes: 5,
            webhookUrl: 'http://127.0.0.1:9/hooks/contact-sync',
            webhookSecret: WEBHOOK_SECRET,
          },
        })
      ).status,
    ).toBe(200);

    const sync = await script.request<{ runId: string }>('POST', `/api/lists/${list.body.id}/sync`);
    expect(sync.status).toBe(202);
    const run = await waitRun<{ status: string }>(script, sync.body.runId);
    expect(run.status).toBe('succeeded');

    // The sync logs as the API gives them (GET /api/logs) are scanned too.
    const logs = await admin.request<{ items: unknown[] }>('GET', '/api/logs?limit=200');
    expect(logs.status).toBe(200);
    syncLogs.push(...logs.body.items.map((e) => JSON.stringify(e)));
  }, 120_000);

  it('finds none of them in any log line of the API or the worker', async () => {
    const all = [...lines, ...worker.output().split('\n')].filter(Boolean);
    // The scan saw the story: request lines of the API and job lines of the worker.
    expect(lines.filter((l) => l.includes('/api/auth/callback')).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('/api/onboarding/callback')).length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(50);
    expect(new Set(secrets.filter(Boolean)).size).toBeGreaterThanOrEqual(8);
    expect(findLeaks(all, secrets.filter(Boolean))).toEqual([]);
  });

  it('finds none of them in the sync logs the API serves', () => {
    expect(syncLogs.length).toBeGreaterThan(1);
    expect(syncLogs.some((l) => l.includes('MAILBOX_SYNCED'))).toBe(true);
    expect(findLeaks(syncLogs, secrets.filter(Boolean))).toEqual([]);
  });

  it('the scanner reports a leak when there is one', () => {
    expect(
      findLeaks(
        [
          '{"msg":"x","url":"/api/auth/callback?code=simcode_abc"}',
          '{"token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig"}',
          `{"header":"${secrets[3] ?? 'csrf'}"}`,
        ],
        [secrets[3] ?? 'csrf'],
      ),
    ).toHaveLength(3);
  });
});
