import { join } from 'node:path';
import { startService, type ServiceProcess } from './support/service-process';
import { billingEnv, StripeStandIn } from './support/stripe-fixtures';
import { serviceEnv } from './support/test-env';

const PROBE = `--require ${join(__dirname, 'support', 'stripe-load-probe.js')}`;
const MARKER = 'STRIPE_PACKAGE_LOADED';

/**
 * Acceptance 4 of issue #23: without Stripe settings the product runs unbilled, the billing
 * routes answer 404 and no Stripe code path is reached — the `stripe` package is never even
 * required in the API or the worker process (a preloaded probe reports any require of it; the
 * same probe reports it with billing on, so the check can fail).
 */
describe('billing off (self-hosted default)', () => {
  const started: ServiceProcess[] = [];
  let standIn: StripeStandIn;

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
  });
  afterAll(async () => {
    for (const service of started) await service.stop();
    await standIn.stop();
  });

  async function start(entry: string, env: Record<string, string>) {
    const service = startService(entry, { ...env, NODE_OPTIONS: PROBE });
    started.push(service);
    return { service, port: await service.listening(60_000) };
  }

  it('answers 404 on the billing routes and never loads the stripe package', async () => {
    const env = serviceEnv();
    const { service, port } = await start('apps/admin-api/src/main.ts', env);
    const base = `http://127.0.0.1:${port}`;
    const webhook = await fetch(`${base}/api/billing/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{"id":"evt_1","object":"event"}',
    });
    expect(webhook.status).toBe(404);
    expect(await webhook.json()).toMatchObject({ statusCode: 404, error: 'not_found' });
    for (const [method, path] of [
      ['GET', '/api/billing'],
      ['GET', '/api/billing/usage'],
      ['POST', '/api/billing/checkout'],
      ['POST', '/api/billing/portal'],
      ['PUT', '/api/billing/seats'],
    ])
      expect((await fetch(`${base}${path}`, { method })).status).toBe(404);
    const docs = (await (await fetch(`${base}/api/docs-json`)).json()) as { paths: object };
    expect(Object.keys(docs.paths).filter((p) => p.startsWith('/api/billing'))).toEqual([]);

    const worker = await start('apps/worker/src/main.ts', {
      ...env,
      MIGRATIONS_RUN_ON_START: 'false',
    });
    expect(service.output()).not.toContain(MARKER);
    expect(worker.service.output()).not.toContain(MARKER);
  }, 120_000);

  it('the same probe sees the package with billing on (the check can fail)', async () => {
    const { service, port } = await start(
      'apps/admin-api/src/main.ts',
      serviceEnv(billingEnv(standIn.url)),
    );
    const webhook = await fetch(`http://127.0.0.1:${port}/api/billing/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{"id":"evt_1","object":"event"}',
    });
    expect(webhook.status).toBe(400);
    expect(service.output()).toContain(MARKER);
  }, 120_000);
});
