import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_ERROR_CODES } from '../apps/admin-api/src/http/api-error-codes';
import { AdminHarness, type Browser, type HttpAnswer } from './support/admin-harness';

interface Operation {
  method: string;
  path: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Acceptance 5 of issue #17: every 4xx and 5xx body of the API, unknown routes included, is the
 * one error envelope. Walks the OpenAPI document's operations with bad input (bad ids, bad
 * bodies, no auth, wrong auth, no CSRF token) and checks each error body.
 */
describe('every error body of the admin API is the one envelope', () => {
  let h: AdminHarness;
  let admin: Browser;
  let operations: Operation[];
  const checked: string[] = [];

  beforeAll(async () => {
    // A stand-in dashboard build: GET outside /api answers the dashboard (issue #22).
    const dist = mkdtempSync(join(tmpdir(), 'dash-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>dashboard</title>');
    h = await AdminHarness.start({ env: { DASHBOARD_DIST_DIR: dist } });
    admin = h.browser();
    await admin.signIn(h.tenant(0).adminUpn);
    expect((await admin.consent(h.tenant(0).adminUpn)).status).toBe(200);
    const doc = await h
      .browser()
      .request<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    operations = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => METHODS.includes(m))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(operations.length).toBeGreaterThan(20);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Checks one answer: an error status must carry the envelope with a listed code. */
  function expectEnvelope(what: string, answer: HttpAnswer<unknown>): void {
    if (answer.status < 400) return;
    checked.push(`${what} → ${answer.status}`);
    const body = answer.body as Record<string, unknown> | undefined;
    const shape = {
      what,
      isObject: typeof body === 'object' && body !== null,
      statusCode: body?.statusCode,
      error: body?.error,
      message: typeof body?.message,
      listed: typeof body?.error === 'string' && body.error in API_ERROR_CODES,
      errorId: answer.status === 500 ? typeof body?.errorId : 'n/a',
    };
    expect(shape).toEqual({
      what,
      isObject: true,
      statusCode: answer.status,
      error: expect.stringMatching(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/),
      message: 'string',
      listed: true,
      errorId: answer.status === 500 ? 'string' : 'n/a',
    });
    const problems = body?.problems;
    if (problems !== undefined)
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: expect.any(String), message: expect.any(String) }),
        ]),
      );
  }

  /** The operation's path with each `{param}` replaced. */
  const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, value);

  /** Operations whose success would end the caller's session: called only without auth. */
  const endsSession = (op: Operation) => /logout|sign-?out/i.test(op.path);

  it('walks every OpenAPI operation with no auth, wrong auth, bad ids and bad bodies', async () => {
    const anonymous = h.browser();
    const wrongToken = h.browser('cs_not-a-real-token');
    const noCsrf = h.browser();
    for (const [k, v] of admin.cookies) noCsrf.cookies.set(k, v);
    for (const op of operations) {
      const bad = fill(op.path, 'not-a-uuid');
      const unknown = fill(op.path, randomUUID());
      const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
      const junk = hasBody ? { __unknownField: { nested: [1, 2, 3] } } : undefined;
      expectEnvelope(`anonymous ${op.method} ${bad}`, await anonymous.request(op.method, bad));
      expectEnvelope(
        `wrong token ${op.method} ${unknown}`,
        await wrongToken.request(op.method, unknown, { body: junk }),
      );
      if (op.method !== 'GET')
        expectEnvelope(
          `no CSRF ${op.method} ${unknown}`,
          await noCsrf.request(op.method, unknown, { body: junk, csrf: false }),
        );
      if (endsSession(op)) continue;
      expectEnvelope(
        `admin ${op.method} ${bad}`,
        await admin.request(op.method, bad, { body: junk }),
      );
      if (bad !== unknown)
        expectEnvelope(
          `admin ${op.method} ${unknown}`,
          await admin.request(op.method, unknown, { body: junk }),
        );
      if (hasBody)
        expectEnvelope(
          `admin malformed JSON ${op.method} ${unknown}`,
          await admin.request(op.method, unknown, {
            body: '{"not json',
            headers: { 'content-type': 'application/json' },
          }),
        );
    }
    // Bad input must have been refused in numbers, not slipped through as 2xx.
    expect(checked.length).toBeGreaterThan(operations.length * 2);
    expect(checked.some((c) => c.endsWith('→ 401'))).toBe(true);
    expect(checked.some((c) => c.endsWith('→ 400'))).toBe(true);
    expect(checked.some((c) => c.endsWith('→ 403'))).toBe(true);
    expect(checked.some((c) => c.endsWith('→ 404'))).toBe(true);
  });

  it('answers unknown routes, with any method, signed in or not, with the envelope', async () => {
    const anonymous = h.browser();
    for (const client of [anonymous, admin])
      for (const path of [
        '/',
        '/nope',
        '/api',
        '/api/nope',
        '/api/lists/x/y/z',
        '/api/docs-json/x',
      ])
        for (const method of [...METHODS.map((m) => m.toUpperCase()), 'OPTIONS']) {
          const answer = await client.request(method, path, {
            body: method === 'GET' || method === 'OPTIONS' ? undefined : {},
          });
          if (method === 'GET' && !path.startsWith('/api')) {
            // The dashboard's pages (its client routes too), not an API answer.
            expect(`${method} ${path} ${answer.status}`).toBe(`${method} ${path} 200`);
            expect(answer.text).toContain('<title>dashboard</title>');
            continue;
          }
          expect(`${method} ${path} ${answer.status}`).toBe(`${method} ${path} 404`);
          expectEnvelope(`${method} ${path}`, answer);
          expect(answer.body).toMatchObject({ error: 'not_found' });
        }
  });

  it('answers the onboarding callback errors with the envelope', async () => {
    const answer = await admin.request('GET', '/api/onboarding/callback?state=forged&tenant=x');
    expect(answer.status).toBe(400);
    expectEnvelope('onboarding callback with a forged state', answer);
    expect(answer.body).toMatchObject({ statusCode: 400, error: 'invalid_state' });
  });
});
