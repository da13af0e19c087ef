import Stripe from 'stripe';
import { startService, type ServiceProcess } from './support/service-process';
import {
  billingEnv,
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
  const secrets = [TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET_NEW];

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
  });
  afterAll(async () => {
    for (const s of services) await s.stop();
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
