import { loadConfig } from '@app/config';
import { openDataSource, StripeEventEntity, TenantEntity } from '@app/persistence';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { startService, type ServiceProcess } from './support/service-process';
import {
  billingEnv,
  checkoutEvent,
  checkoutSession,
  StripeStandIn,
  stripeId,
  subscription,
  subscriptionEvent,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
  TEST_WEBHOOK_SECRET_NEW,
} from './support/stripe-fixtures';
import { serviceEnv } from './support/test-env';

/**
 * Acceptance 5 of issue #23: the Stripe secret key and the webhook endpoint secrets never
 * appear in the logs of the API and the worker (debug level), through accepted and refused
 * deliveries, processing, a Stripe API call, and a config error naming the variables.
 */
describe('billing secrets never in logs (issue #23)', () => {
  const services: ServiceProcess[] = [];
  let standIn: StripeStandIn;
  let dataSource: DataSource | undefined;
  const secrets = [TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET_NEW];

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
  });
  afterAll(async () => {
    for (const s of services) await s.stop();
    await dataSource?.destroy();
    await standIn.stop();
  });

  it('scans the API and worker output', async () => {
    const env = serviceEnv({ ...billingEnv(standIn.url), LOG_LEVEL: 'debug' });
    const api = startService('apps/admin-api/src/main.ts', env);
    services.push(api);
    const port = await api.listening(60_000);
    const worker = startService('apps/worker/src/main.ts', {
      ...env,
      MIGRATIONS_RUN_ON_START: 'false',
    });
    services.push(worker);
    await worker.listening(60_000);

    const stripe = new Stripe(TEST_SECRET_KEY);
    const subscriptionId = stripeId('sub');
    const now = Math.floor(Date.now() / 1000);
    const event = subscriptionEvent(
      'customer.subscription.updated',
      subscription({
        id: subscriptionId,
        customer: stripeId('cus'),
        tenantId: '00000000-0000-4000-8000-00000000abcd',
        status: 'active',
        seats: 20,
        created: now - 60,
      }),
      now,
    );
    const payload = JSON.stringify(event);
    const post = (header: string) =>
      fetch(`http://127.0.0.1:${port}/api/billing/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
      });
    expect((await post('t=1,v1=bad')).status).toBe(400);
    const good = stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
    expect((await post(good)).status).toBe(200);
    const deadline = Date.now() + 30_000;
    while (!/Stripe event processed/.test(worker.output())) {
      if (Date.now() > deadline) throw new Error(`not processed:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // Stripe API calls from the worker: a Checkout completed for a tenant of ours makes it fetch
    // the subscription; one answered, one refused by the stand-in (an error logged).
    dataSource = await openDataSource(loadConfig(env).config.database);
    const newTenant = async () =>
      (
        await dataSource!.getRepository(TenantEntity).save(
          Object.assign(new TenantEntity(), {
            azureTenantId: randomUUID(),
            status: 'active',
            displayName: 'Secrets',
          }),
        )
      ).id;
    const customer = stripeId('cus');
    const answered = stripeId('sub');
    const tenantId = await newTenant();
    standIn.routes.set(`GET /v1/subscriptions/${answered}`, () =>
      subscription({ id: answered, customer, tenantId, status: 'active', seats: 11, created: now }),
    );
    const missing = stripeId('sub');
    for (const sub of [answered, missing]) {
      const completed = JSON.stringify(
        checkoutEvent(
          'checkout.session.completed',
          checkoutSession({
            tenantId: sub === answered ? tenantId : await newTenant(),
            customer: sub === answered ? customer : stripeId('cus'),
            subscription: sub,
            created: now,
            paymentStatus: 'paid',
          }),
          now,
        ),
      );
      const header = stripe.webhooks.generateTestHeaderString({
        payload: completed,
        secret: TEST_WEBHOOK_SECRET_NEW,
      });
      const res = await fetch(`http://127.0.0.1:${port}/api/billing/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: completed,
      });
      expect(res.status).toBe(200);
      const rows = dataSource.getRepository(StripeEventEntity);
      const id = (JSON.parse(completed) as { id: string }).id;
      const until = Date.now() + 30_000;
      for (;;) {
        const row = await rows.findOneBy({ eventId: id });
        if (sub === answered ? row?.status === 'processed' : (row?.attempts ?? 0) >= 1) break;
        if (Date.now() > until) throw new Error(`not processed:\n${worker.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // The refused call's failure is logged (retried later), with the stand-in's error message.
      while (
        sub === missing &&
        !worker.output().includes(`no route GET /v1/subscriptions/${missing}`)
      ) {
        if (Date.now() > until) throw new Error(`no failure logged:\n${worker.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const calls = standIn.requests.filter((r) => r.path.startsWith('/v1/subscriptions/'));
    expect(calls.map((c) => c.path)).toEqual(
      expect.arrayContaining([`/v1/subscriptions/${answered}`, `/v1/subscriptions/${missing}`]),
    );
    expect(calls[0].headers.authorization).toBe(`Bearer ${TEST_SECRET_KEY}`);

    // A config refusal names the variables, never their values.
    const refused = startService('apps/admin-api/src/main.ts', {
      ...env,
      STRIPE_WEBHOOK_SECRETS: `${TEST_WEBHOOK_SECRET},${TEST_WEBHOOK_SECRET_NEW},whsec_third0123`,
      STRIPE_SEAT_PRICE_ID: 'not-a-price',
    });
    services.push(refused);
    await refused.exited(60_000);
    expect(refused.output()).toContain('STRIPE_WEBHOOK_SECRETS');

    const text = api.output() + worker.output() + refused.output();
    expect(text.length).toBeGreaterThan(500);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(6, 30));
    }
  }, 180_000);
});
