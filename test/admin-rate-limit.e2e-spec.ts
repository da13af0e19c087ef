import type { AppConfig } from '@app/config';
import { AdminHarness, type Browser, type HttpAnswer } from './support/admin-harness';
import { startService, type ServiceProcess } from './support/service-process';

const PER_MINUTE = 20;
const AUTH_PER_MINUTE = 8;

/** The environment of a second API process on the same database, Redis namespace and keys. */
function sameDeploymentEnv(c: AppConfig): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATA_DIR: c.dataDir,
    DATABASE_URL: c.database.url,
    REDIS_URL: c.redis.url,
    REDIS_KEY_PREFIX: c.redis.keyPrefix,
    ENCRYPTION_KEYS: c.encryption.keys
      .map((k) => `${k.id}:${k.material.toString('base64')}`)
      .join(','),
    ENCRYPTION_ACTIVE_KEY: c.encryption.activeKeyId,
    MICROSOFT_CLIENT_ID: c.microsoft!.clientId,
    MICROSOFT_CLIENT_SECRET: c.microsoft!.clientSecret!,
    MICROSOFT_AUTHORITY_HOST: c.microsoft!.authorityHost,
    MICROSOFT_GRAPH_URL: c.microsoft!.graphBaseUrl,
    MICROSOFT_CA_FILE: c.microsoft!.caFile!,
    API_PORT: '0',
    API_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
    API_AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_PER_MINUTE),
  };
}

interface Limited {
  statusCode: number;
  error: string;
  message: string;
  retryAfterSeconds: number;
}

function expectLimited(res: HttpAnswer<unknown>): void {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.body).toEqual({
    statusCode: 429,
    error: 'rate_limited',
    message: expect.stringMatching(/^Too many requests/),
    retryAfterSeconds: retryAfter,
  } satisfies Limited);
}

/** Sends until the first 429 (at most `max` requests); returns the statuses before it and the 429. */
async function untilLimited(
  send: () => Promise<HttpAnswer<unknown>>,
  max: number,
): Promise<{ before: number[]; limited: HttpAnswer<unknown> | undefined }> {
  const before: number[] = [];
  for (let i = 0; i < max; i++) {
    const res = await send();
    if (res.status === 429) return { before, limited: res };
    before.push(res.status);
  }
  return { before, limited: undefined };
}

describe('admin API rate limits (shared in Redis)', () => {
  let h: AdminHarness;
  let second: ServiceProcess;
  let secondUrl: string;
  let admin: Browser;
  const tokens: string[] = [];

  beforeAll(async () => {
    h = await AdminHarness.start({
      env: {
        API_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        API_AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_PER_MINUTE),
      },
    });
    // A second API process of the same deployment: another Node process, its own Redis client.
    second = startService('apps/admin-api/src/main.ts', sameDeploymentEnv(h.config));
    secondUrl = `http://127.0.0.1:${await second.listening(60_000)}`;
    const t = h.tenant(0);
    admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
    for (const name of ['a', 'b', 'c']) {
      const created = await admin.request<{ token: string }>('POST', '/api/tokens', {
        body: { name, role: 'viewer' },
      });
      expect(created.status).toBe(201);
      tokens.push(created.body.token);
    }
  }, 90_000);
  afterAll(async () => {
    await second?.stop();
    await h?.stop();
  });

  it('answers the N+1st request of a token in the minute with 429 and Retry-After; other callers go on', async () => {
    const a = h.browser(tokens[0]);
    for (let i = 0; i < PER_MINUTE; i++) {
      const res = await a.request('GET', '/api/lists');
      expect([i, res.status]).toEqual([i, 200]);
      expect(res.headers.get('x-ratelimit-limit')).toBe(String(PER_MINUTE));
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(PER_MINUTE - i - 1));
    }
    expectLimited(await a.request('GET', '/api/lists'));
    // Another token and the signed-in admin have their own budgets.
    expect((await h.browser(tokens[1]).request('GET', '/api/lists')).status).toBe(200);
    expect((await admin.request('GET', '/api/lists')).status).toBe(200);
  });

  it('a second API process shares the count through Redis', async () => {
    const a = h.browser(tokens[0]);
    expectLimited(await a.request('GET', `${secondUrl}/api/lists`));
    // Token b spent 1 on the first process; the rest of its budget goes on the second one ...
    const b = h.browser(tokens[1]);
    for (let i = 1; i < PER_MINUTE; i++) {
      const res = await b.request('GET', `${secondUrl}/api/lists`);
      expect([i, res.status]).toEqual([i, 200]);
    }
    // ... and then neither process lets it through.
    expectLimited(await b.request('GET', '/api/lists'));
    expectLimited(await b.request('GET', `${secondUrl}/api/lists`));
    expect((await h.browser(tokens[2]).request('GET', `${secondUrl}/api/lists`)).status).toBe(200);
  });

  it('limits sign-in per client IP more strictly; signed-in reads are not affected', async () => {
    const anon = h.browser();
    const { before, limited } = await untilLimited(
      () => anon.request('GET', '/api/auth/login'),
      AUTH_PER_MINUTE + 1,
    );
    // The set-up's sign-in and consent already spent some of this IP's budget.
    expect(before.length).toBeLessThan(AUTH_PER_MINUTE);
    expect(before.every((s) => s === 302)).toBe(true);
    expect(limited).toBeDefined();
    expectLimited(limited!);
    expectLimited(await anon.request('GET', '/api/onboarding/consent'));
    expectLimited(await anon.request('GET', `${secondUrl}/api/auth/login`));
    expect((await admin.request('GET', '/api/auth/me')).status).toBe(200);
    expect((await h.browser(tokens[2]).request('GET', '/api/lists')).status).toBe(200);
  });

  it('counts anonymous callers and bad tokens by IP, which X-Forwarded-For cannot change without a proxy', async () => {
    const anon = h.browser();
    const { before, limited } = await untilLimited(
      () => anon.request('GET', '/api/lists'),
      PER_MINUTE + 1,
    );
    expect(before.length).toBeLessThan(PER_MINUTE);
    expect(before.every((s) => s === 401)).toBe(true);
    expectLimited(limited!);
    // Trust proxy is off (no ADMIN_PUBLIC_URL): a forged header picks no new bucket.
    expectLimited(
      await anon.request('GET', '/api/lists', { headers: { 'x-forwarded-for': '203.0.113.9' } }),
    );
    // An invalid token is no identity either: it counts on the IP.
    expectLimited(await h.browser('csf_not-a-real-token-0123456789').request('GET', '/api/lists'));
    // A valid token from the same IP has its own budget.
    expect((await h.browser(tokens[2]).request('GET', '/api/lists')).status).toBe(200);
  });

  it('never limits the health probes or the API docs', async () => {
    const anon = h.browser();
    expectLimited(await anon.request('GET', '/api/lists'));
    for (let i = 0; i < PER_MINUTE + 5; i++) {
      expect((await anon.request('GET', '/health/live')).status).toBe(200);
    }
    expect((await anon.request('GET', '/health/ready')).status).toBe(200);
    expect((await anon.request('GET', '/api/docs-json')).status).toBe(200);
    expect((await anon.request('GET', '/api/docs')).status).toBe(200);
  });
});
