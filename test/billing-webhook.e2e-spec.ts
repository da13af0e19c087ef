import { StripeEventEntity, SubscriptionEntity, TenantEntity } from '@app/persistence';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { AdminHarness } from './support/admin-harness';
import {
  billingEnv,
  invoice,
  invoiceEvent,
  signAt,
  StripeStandIn,
  stripeId,
  subscription,
  subscriptionEvent,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
  TEST_WEBHOOK_SECRET_NEW,
  unhandledEvent,
} from './support/stripe-fixtures';

/**
 * Acceptance 1 of issue #23: realistic events (typed against stripe 23.2, API 2026-11-18),
 * signed with the library's test header, posted to the running API; the in-process worker
 * processes them through the stripe-event queue on the real Redis. The Stripe API itself is a
 * local stand-in (it cannot run here); the webhook path never calls it unless in doubt.
 */
describe('Stripe webhook (issue #23)', () => {
  let h: AdminHarness;
  let standIn: StripeStandIn;
  const stripe = new Stripe(TEST_SECRET_KEY);

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
    h = await AdminHarness.start({ env: billingEnv(standIn.url), worker: true });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    await standIn?.stop();
  });

  async function newTenant(): Promise<string> {
    const tenant = await h.dataSource.getRepository(TenantEntity).save(
      Object.assign(new TenantEntity(), {
        azureTenantId: randomUUID(),
        status: 'active',
        displayName: 'Billing tenant',
      }),
    );
    return tenant.id;
  }

  async function post(payload: string, header?: string) {
    const res = await fetch(`${h.baseUrl}/api/billing/stripe/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(header === undefined ? {} : { 'stripe-signature': header }),
      },
      body: payload,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const signed = (payload: string, secret = TEST_WEBHOOK_SECRET) =>
    stripe.webhooks.generateTestHeaderString({ payload, secret });

  const eventRow = (eventId: string) =>
    h.dataSource.getRepository(StripeEventEntity).findOne({ where: { eventId } });
  const subscriptionRow = (tenantId: string) =>
    h.dataSource.getRepository(SubscriptionEntity).findOne({ where: { tenantId } });

  async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 20_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const now = () => Math.floor(Date.now() / 1000);

  it('processes a valid event once: the tenant gets its seats', async () => {
    const tenantId = await newTenant();
    const sub = subscription({
      id: stripeId('sub'),
      customer: stripeId('cus'),
      tenantId,
      status: 'active',
      seats: 25,
      created: now() - 60,
    });
    const event = subscriptionEvent('customer.subscription.updated', sub, now() - 30);
    const payload = JSON.stringify(event, null, 2);
    const answer = await post(payload, signed(payload));
    expect(answer).toEqual({ status: 200, body: { received: true, duplicate: false } });
    const row = await until(
      () => eventRow(event.id),
      (r) => r?.status === 'processed',
    );
    expect(row).toMatchObject({
      type: 'customer.subscription.updated',
      outcome: 'applied',
      attempts: 1,
      tenantId,
    });
    expect(row!.payload).toBeNull();
    expect(await subscriptionRow(tenantId)).toMatchObject({
      status: 'active',
      seats: 25,
      stripeSubscriptionId: sub.id,
      stripeCustomerId: sub.customer,
    });
  });

  it('accepts either endpoint secret while one is rotated', async () => {
    const tenantId = await newTenant();
    const sub = subscription({
      id: stripeId('sub'),
      customer: stripeId('cus'),
      tenantId,
      status: 'active',
      seats: 12,
      created: now() - 60,
    });
    const event = subscriptionEvent('customer.subscription.created', sub, now() - 20);
    const payload = JSON.stringify(event);
    expect((await post(payload, signed(payload, TEST_WEBHOOK_SECRET_NEW))).status).toBe(200);
    await until(
      () => subscriptionRow(tenantId),
      (r) => r?.seats === 12,
    );
  });

  it('has one effect for the same event twice and ten times concurrently', async () => {
    const tenantId = await newTenant();
    const sub = subscription({
      id: stripeId('sub'),
      customer: stripeId('cus'),
      tenantId,
      status: 'active',
      seats: 14,
      created: now() - 60,
    });
    const event = subscriptionEvent('customer.subscription.updated', sub, now() - 10);
    const payload = JSON.stringify(event);
    const first = await post(payload, signed(payload));
    const again = await post(payload, signed(payload));
    expect(first.body.duplicate).toBe(false);
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => post(payload, signed(payload))),
    );
    expect(burst.map((b) => b.status)).toEqual(Array(10).fill(200));
    expect(burst.every((b) => b.body.duplicate === true)).toBe(true);
    await until(
      () => eventRow(event.id),
      (r) => r?.status === 'processed',
    );
    const rows = await h.dataSource
      .getRepository(StripeEventEntity)
      .find({ where: { eventId: event.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].attempts).toBe(1);

    // Ten concurrent first deliveries of a new event: one row, processed once.
    const second = subscriptionEvent(
      'customer.subscription.updated',
      { ...sub, items: { ...sub.items, data: [{ ...sub.items.data[0], quantity: 15 }] } },
      now() - 5,
    );
    const secondPayload = JSON.stringify(second);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post(secondPayload, signed(secondPayload))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    const processed = await until(
      () => eventRow(second.id),
      (r) => r?.status === 'processed',
    );
    expect(processed!.attempts).toBe(1);
    expect((await subscriptionRow(tenantId))!.seats).toBe(15);
  });

  it('refuses a bad or missing signature, a stale timestamp and a re-serialised body with 400 and stores nothing', async () => {
    const tenantId = await newTenant();
    const sub = subscription({
      id: stripeId('sub'),
      customer: stripeId('cus'),
      tenantId,
      status: 'active',
      seats: 30,
      created: now() - 60,
    });
    const event = subscriptionEvent('customer.subscription.updated', sub, now() - 10);
    const payload = JSON.stringify(event, null, 2);
    const refusals = [
      await post(payload, signed(payload, 'whsec_notOurSecret0123456789')),
      await post(payload),
      await post(payload, signAt(payload, TEST_WEBHOOK_SECRET, now() - 600)),
      // The same JSON, serialised again (whitespace changed): the signature was over the raw bytes.
      await post(JSON.stringify(JSON.parse(payload)), signed(payload)),
      await post(payload, 't=123,v1=nothex'),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ statusCode: 400, error: 'stripe_signature_invalid' });
      expect(JSON.stringify(r.body)).not.toContain('whsec_');
    }
    expect(refusals[1].body.problems).toEqual([{ field: 'Stripe-Signature', message: 'required' }]);
    expect(await eventRow(event.id)).toBeNull();
    expect(await subscriptionRow(tenantId)).toBeNull();
  });

  it('records an unknown event type as ignored with 200', async () => {
    const event = unhandledEvent(now());
    const payload = JSON.stringify(event);
    expect((await post(payload, signed(payload))).status).toBe(200);
    const row = await until(
      () => eventRow(event.id),
      (r) => r?.status !== 'received' && !!r,
    );
    expect(row).toMatchObject({ status: 'ignored', outcome: 'unhandled_type' });
  });

  it('ends in the right state when events arrive in reverse order', async () => {
    const tenantId = await newTenant();
    const id = stripeId('sub');
    const customer = stripeId('cus');
    const t0 = now() - 300;
    const created = subscriptionEvent(
      'customer.subscription.created',
      subscription({ id, customer, tenantId, status: 'incomplete', seats: 20, created: t0 }),
      t0,
    );
    const updated = subscriptionEvent(
      'customer.subscription.updated',
      subscription({ id, customer, tenantId, status: 'active', seats: 20, created: t0 }),
      t0 + 60,
    );
    const deleted = subscriptionEvent(
      'customer.subscription.deleted',
      subscription({
        id,
        customer,
        tenantId,
        status: 'canceled',
        seats: 20,
        created: t0,
        endedAt: t0 + 120,
      }),
      t0 + 120,
    );
    for (const event of [deleted, updated, created]) {
      const payload = JSON.stringify(event);
      expect((await post(payload, signed(payload))).status).toBe(200);
      await until(
        () => eventRow(event.id),
        (r) => r?.status === 'processed',
      );
    }
    expect(await subscriptionRow(tenantId)).toMatchObject({ status: 'canceled', seats: 20 });
    expect((await eventRow(updated.id))!.outcome).toBe('stale');
    expect((await eventRow(created.id))!.outcome).toBe('stale');
  });

  it('ignores invoice events older than the last one applied, and asks Stripe when one is in doubt', async () => {
    const tenantId = await newTenant();
    const id = stripeId('sub');
    const customer = stripeId('cus');
    const t0 = now() - 1_000;
    const live = (status: Stripe.Subscription.Status) =>
      subscription({ id, customer, tenantId, status, seats: 20, created: t0 });
    standIn.routes.set(`GET /v1/subscriptions/${id}`, () => live('active'));
    const bill = (created: number) =>
      invoice({ customer, subscription: id, created, tenantId, status: 'open' });
    const deliver = async (event: Stripe.Event) => {
      const payload = JSON.stringify(event);
      expect((await post(payload, signed(payload))).status).toBe(200);
      return (await until(
        () => eventRow(event.id),
        (r) => r?.status === 'processed',
      ))!.outcome;
    };
    expect(
      await deliver(subscriptionEvent('customer.subscription.updated', live('active'), t0)),
    ).toBe('applied');
    // The customer confirmed the payment (3-D Secure): invoice.paid came first...
    expect(await deliver(invoiceEvent('invoice.paid', bill(t0 + 120), t0 + 120))).toBe('paid');
    // ...the request to confirm, and an earlier failed attempt, arrive late: no banner, no past due.
    expect(
      await deliver(invoiceEvent('invoice.payment_action_required', bill(t0 + 60), t0 + 60)),
    ).toBe('stale');
    expect(await deliver(invoiceEvent('invoice.payment_failed', bill(t0 + 90), t0 + 90))).toBe(
      'stale',
    );
    expect(await subscriptionRow(tenantId)).toMatchObject({
      status: 'active',
      notice: null,
      paymentActionUrl: null,
      graceUntil: null,
    });
    const fetches = () => standIn.requests.filter((r) => r.path === `/v1/subscriptions/${id}`);
    expect(fetches()).toHaveLength(0);
    // A subscription past due from before the payment, delivered late: Stripe says active.
    expect(
      await deliver(subscriptionEvent('customer.subscription.updated', live('past_due'), t0 + 100)),
    ).toBe('refetched');
    // A failure of the same second as the payment: which came last? Stripe says active.
    expect(await deliver(invoiceEvent('invoice.payment_failed', bill(t0 + 120), t0 + 120))).toBe(
      'refetched',
    );
    expect(fetches()).toHaveLength(2);
    expect(await subscriptionRow(tenantId)).toMatchObject({ status: 'active', graceUntil: null });

    // In order, a failure after the payment does make it past due.
    expect(await deliver(invoiceEvent('invoice.payment_failed', bill(t0 + 200), t0 + 200))).toBe(
      'past_due',
    );
    expect(await subscriptionRow(tenantId)).toMatchObject({
      status: 'past_due',
      notice: 'payment_failed',
    });
    expect(fetches()).toHaveLength(2);
  });

  it('reads a subscription event of another API version from Stripe, in ours', async () => {
    const tenantId = await newTenant();
    const id = stripeId('sub');
    const customer = stripeId('cus');
    const t = now() - 200;
    const ours = subscription({ id, customer, tenantId, status: 'active', seats: 18, created: t });
    standIn.routes.set(`GET /v1/subscriptions/${id}`, () => ours);
    // An endpoint left on 2024-06-20: the period on the subscription, not on its items.
    const { current_period_end, current_period_start, ...item } = {
      ...ours.items.data[0],
      quantity: 17,
    };
    const older = {
      ...subscriptionEvent('customer.subscription.updated', ours, t + 10),
      api_version: '2024-06-20',
    };
    older.data = {
      object: {
        ...ours,
        current_period_end,
        current_period_start,
        items: { ...ours.items, data: [item] },
      } as unknown as Stripe.Subscription,
    };
    const payload = JSON.stringify(older);
    expect((await post(payload, signed(payload))).status).toBe(200);
    const row = await until(
      () => eventRow(older.id),
      (r) => r?.status === 'processed',
    );
    expect(row!.outcome).toBe('fetched');
    const fetched = standIn.requests.filter((r) => r.path === `/v1/subscriptions/${id}`);
    expect(fetched).toHaveLength(1);
    expect(fetched[0].headers['stripe-version']).toBe('2026-11-18.endive');
    expect(await subscriptionRow(tenantId)).toMatchObject({
      status: 'active',
      seats: 18,
      currentPeriodEnd: new Date((t + 30 * 86_400) * 1000),
    });
  });

  it('re-fetches the subscription from Stripe when two events share a second', async () => {
    const tenantId = await newTenant();
    const id = stripeId('sub');
    const customer = stripeId('cus');
    const t = now() - 100;
    standIn.routes.set(`GET /v1/subscriptions/${id}`, () =>
      subscription({ id, customer, tenantId, status: 'active', seats: 40, created: t }),
    );
    const a = subscriptionEvent(
      'customer.subscription.updated',
      subscription({ id, customer, tenantId, status: 'active', seats: 30, created: t }),
      t + 10,
    );
    const b = subscriptionEvent(
      'customer.subscription.updated',
      subscription({ id, customer, tenantId, status: 'active', seats: 35, created: t }),
      t + 10,
    );
    for (const event of [a, b]) {
      const payload = JSON.stringify(event);
      await post(payload, signed(payload));
      await until(
        () => eventRow(event.id),
        (r) => r?.status === 'processed',
      );
    }
    expect((await eventRow(b.id))!.outcome).toBe('refetched');
    expect((await subscriptionRow(tenantId))!.seats).toBe(40);
    const fetched = standIn.requests.filter((r) => r.path === `/v1/subscriptions/${id}`);
    expect(fetched).toHaveLength(1);
    expect(fetched[0].headers['stripe-version']).toBe('2026-11-18.endive');
  });

  it('the sweep processes once an event whose queued job Redis lost', async () => {
    const tenantId = await newTenant();
    await h.worker!.close();
    h.worker = undefined;
    const sub = subscription({
      id: stripeId('sub'),
      customer: stripeId('cus'),
      tenantId,
      status: 'active',
      seats: 33,
      created: now() - 60,
    });
    const event = subscriptionEvent('customer.subscription.updated', sub, now() - 5);
    const payload = JSON.stringify(event);
    expect((await post(payload, signed(payload))).status).toBe(200);
    const stored = await eventRow(event.id);
    expect(stored).toMatchObject({ status: 'received', attempts: 0 });
    // Redis loses its data: the job is gone, SQL still has the event.
    const { SyncQueues } = await import('@app/queue');
    const queues = h.app.get(SyncQueues);
    await queues.stripeEvent.obliterate({ force: true });
    expect(await queues.stripeEvent.getJob(`stripe-${stored!.id}`)).toBeUndefined();
    const { NestFactory } = await import('@nestjs/core');
    const { WorkerModule } = await import('../apps/worker/src/worker.module');
    h.worker = await NestFactory.create(WorkerModule.forRoot(h.config), { logger: false });
    await h.worker.init();
    const row = await until(
      () => eventRow(event.id),
      (r) => r?.status === 'processed',
    );
    expect(row!.attempts).toBe(1);
    expect((await subscriptionRow(tenantId))!.seats).toBe(33);
  });
});
