import type { BillingOverview } from '@app/billing';
import { MailboxStateEntity, StripeEventEntity, TenantEntity } from '@app/persistence';
import Stripe from 'stripe';
import { AdminHarness, type Browser } from './support/admin-harness';
import {
  billingEnv,
  checkoutEvent,
  checkoutSession,
  invoice,
  invoiceEvent,
  StripeStandIn,
  stripeId,
  subscription,
  subscriptionEvent,
  TEST_PRICE_ID,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
} from './support/stripe-fixtures';

/** GET /api/billing: what the admin (and the dashboard's billing screen) sees. */
type Overview = BillingOverview;

const DAY = 86_400;

/**
 * Issue #23: every handled Stripe event type, as a typed payload (stripe 23.2, API
 * 2026-11-18) signed with the library's test header and posted to the running API; the
 * in-process worker processes it through the stripe-event queue on the real Redis; the effect
 * is asserted as the signed-in admin sees it (GET /api/billing). Two simulated tenants, each
 * onboarded by its admin: one subscribes by card with a trial, one by SEPA Direct Debit
 * (a delayed method). The tenant's own routes (Checkout, Portal, seats, usage) go through the
 * same API to a local stand-in for the Stripe API, asserting what is sent.
 */
describe('Stripe events through the API, as the admin sees them (issue #23)', () => {
  let h: AdminHarness;
  let standIn: StripeStandIn;
  const stripe = new Stripe(TEST_SECRET_KEY);
  const admins: Browser[] = [];
  const tenants: string[] = [];
  const start = Math.floor(Date.now() / 1000) - 3 * 3_600;
  let clock = start;
  /** Stripe's time of the next event: a minute after the last. */
  const tick = () => (clock += 60);

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
    h = await AdminHarness.start({ env: billingEnv(standIn.url), worker: true });
    for (const index of [0, 1]) {
      const t = h.tenant(index);
      const admin = h.browser();
      await admin.signIn(t.adminUpn);
      expect((await admin.consent(t.adminUpn)).status).toBe(200);
      admins.push(admin);
      const tenant = await h.dataSource
        .getRepository(TenantEntity)
        .findOneByOrFail({ azureTenantId: t.id });
      tenants.push(tenant.id);
    }
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
    await standIn?.stop();
  });

  const overview = async (index: number): Promise<Overview> => {
    const answer = await admins[index].request<Overview>('GET', '/api/billing');
    expect(answer.status).toBe(200);
    return answer.body;
  };

  /** Posts the signed event to the webhook and waits until the worker has processed it. */
  async function deliver(event: Stripe.Event): Promise<StripeEventEntity> {
    const payload = JSON.stringify(event, null, 2);
    const header = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: TEST_WEBHOOK_SECRET,
    });
    const res = await fetch(`${h.baseUrl}/api/billing/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      body: payload,
    });
    expect(res.status).toBe(200);
    const rows = h.dataSource.getRepository(StripeEventEntity);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const row = await rows.findOneBy({ eventId: event.id });
      if (row && row.status !== 'received') return row;
      if (Date.now() > deadline) throw new Error(`${event.type} not processed: ${row?.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  describe('a card subscription with a trial (tenant A)', () => {
    const customer = stripeId('cus');
    const subscriptionId = stripeId('sub');
    /** The subscription that replaces it after its cancellation. */
    const again = stripeId('sub');
    const trialEnd = start + 14 * DAY;
    const sub = (status: Stripe.Subscription.Status, seats: number, endedAt?: number) =>
      subscription({
        id: subscriptionId,
        customer,
        tenantId: tenants[0],
        status,
        seats,
        created: start,
        endedAt,
        trialEnd: status === 'trialing' ? trialEnd : null,
      });
    const bill = (status: Stripe.Invoice.Status) =>
      invoice({
        customer,
        subscription: subscriptionId,
        created: clock,
        status,
        tenantId: tenants[0],
      });

    it('starts on the free tier', async () => {
      expect(await overview(0)).toEqual({
        status: 'free',
        stripeStatus: 'none',
        seats: 0,
        mailboxLimit: 10,
        freeMailboxes: 10,
        syncedMailboxes: 0,
        inGrace: false,
        graceUntil: null,
        currentPeriodEnd: null,
        trialEnd: null,
        notice: null,
        paymentActionUrl: null,
        hasCustomer: false,
      });
    });

    it('checkout.session.completed links the customer and fetches the subscription Stripe made', async () => {
      standIn.routes.set(`GET /v1/subscriptions/${subscriptionId}`, () => sub('trialing', 25));
      const session = checkoutSession({
        tenantId: tenants[0],
        customer,
        subscription: subscriptionId,
        created: tick(),
        paymentStatus: 'no_payment_required',
      });
      const row = await deliver(checkoutEvent('checkout.session.completed', session, clock));
      expect(row).toMatchObject({
        status: 'processed',
        outcome: 'linked_fetched',
        tenantId: tenants[0],
      });
      expect(
        standIn.requests.filter((r) => r.path === `/v1/subscriptions/${subscriptionId}`),
      ).toHaveLength(1);
      expect(await overview(0)).toMatchObject({
        status: 'trialing',
        stripeStatus: 'trialing',
        seats: 25,
        mailboxLimit: 25,
        trialEnd: new Date(trialEnd * 1000).toISOString(),
        currentPeriodEnd: new Date((start + 30 * DAY) * 1000).toISOString(),
        notice: null,
        hasCustomer: true,
      });
    });

    it('customer.subscription.created, arriving after, keeps the same state', async () => {
      const row = await deliver(
        subscriptionEvent('customer.subscription.created', sub('trialing', 25), tick()),
      );
      expect(row).toMatchObject({ status: 'processed', outcome: 'applied' });
      expect(await overview(0)).toMatchObject({ status: 'trialing', seats: 25 });
    });

    it('customer.subscription.trial_will_end tells the admin when the trial ends', async () => {
      const row = await deliver(
        subscriptionEvent('customer.subscription.trial_will_end', sub('trialing', 25), tick()),
      );
      expect(row).toMatchObject({ status: 'processed', tenantId: tenants[0] });
      expect(await overview(0)).toMatchObject({
        status: 'trialing',
        mailboxLimit: 25,
        notice: 'trial_will_end',
        trialEnd: new Date(trialEnd * 1000).toISOString(),
      });
    });

    it('customer.subscription.updated (trial over) and invoice.paid: active, the notice gone', async () => {
      await deliver(subscriptionEvent('customer.subscription.updated', sub('active', 25), tick()));
      tick();
      const row = await deliver(invoiceEvent('invoice.paid', bill('paid'), clock));
      expect(row).toMatchObject({ status: 'processed', outcome: 'paid', tenantId: tenants[0] });
      expect(await overview(0)).toMatchObject({
        status: 'active',
        stripeStatus: 'active',
        seats: 25,
        notice: null,
        paymentActionUrl: null,
      });
    });

    it('invoice.payment_action_required tells the admin to confirm the payment on the invoice page', async () => {
      tick();
      const open = bill('open');
      const row = await deliver(invoiceEvent('invoice.payment_action_required', open, clock));
      expect(row).toMatchObject({ status: 'processed', outcome: 'action_required' });
      expect(await overview(0)).toMatchObject({
        status: 'active',
        mailboxLimit: 25,
        notice: 'payment_action_required',
        paymentActionUrl: open.hosted_invoice_url,
      });
      // Confirmed (3-D Secure): the invoice is paid and the banner goes.
      tick();
      await deliver(invoiceEvent('invoice.paid', { ...open, status: 'paid' }, clock));
      expect(await overview(0)).toMatchObject({ notice: null, paymentActionUrl: null });
    });

    it('invoice.payment_failed: past due, seats kept through the grace period; invoice.paid ends it', async () => {
      tick();
      const row = await deliver(invoiceEvent('invoice.payment_failed', bill('open'), clock));
      expect(row).toMatchObject({ status: 'processed', outcome: 'past_due' });
      expect(await overview(0)).toMatchObject({
        status: 'past_due',
        stripeStatus: 'past_due',
        seats: 25,
        mailboxLimit: 25,
        inGrace: true,
        graceUntil: new Date((clock + 7 * DAY) * 1000).toISOString(),
        notice: 'payment_failed',
      });
      tick();
      await deliver(invoiceEvent('invoice.paid', bill('paid'), clock));
      expect(await overview(0)).toMatchObject({
        status: 'active',
        inGrace: false,
        graceUntil: null,
        notice: null,
      });
    });

    it('customer.subscription.updated with more seats raises the limit', async () => {
      await deliver(subscriptionEvent('customer.subscription.updated', sub('active', 30), tick()));
      expect(await overview(0)).toMatchObject({ status: 'active', seats: 30, mailboxLimit: 30 });
    });

    it('customer.subscription.deleted: canceled, seats kept through the grace period, the admin told', async () => {
      const endedAt = tick();
      const row = await deliver(
        subscriptionEvent('customer.subscription.deleted', sub('canceled', 30, endedAt), clock),
      );
      expect(row).toMatchObject({ status: 'processed', outcome: 'applied' });
      expect(await overview(0)).toMatchObject({
        status: 'canceled',
        stripeStatus: 'canceled',
        mailboxLimit: 30,
        inGrace: true,
        graceUntil: new Date((endedAt + 7 * DAY) * 1000).toISOString(),
        notice: 'canceled',
      });
      // A late invoice.payment_failed of the canceled subscription changes nothing.
      tick();
      const late = await deliver(invoiceEvent('invoice.payment_failed', bill('open'), clock));
      expect(late.outcome).toBe('stale');
      expect(await overview(0)).toMatchObject({ status: 'canceled', notice: 'canceled' });
      // The final invoice paid: still canceled, the admin still told.
      tick();
      await deliver(invoiceEvent('invoice.paid', bill('paid'), clock));
      expect(await overview(0)).toMatchObject({
        status: 'canceled',
        notice: 'canceled',
        inGrace: true,
      });
    });

    it('subscribing again after the cancellation: the new subscription is live, the notice gone', async () => {
      const renewed = (status: Stripe.Subscription.Status, created: number) =>
        subscription({
          id: again,
          customer,
          tenantId: tenants[0],
          status,
          seats: 12,
          created,
        });
      const t1 = tick();
      standIn.routes.set(`GET /v1/subscriptions/${again}`, () => renewed('active', t1));
      const completed = await deliver(
        checkoutEvent(
          'checkout.session.completed',
          checkoutSession({
            tenantId: tenants[0],
            customer,
            subscription: again,
            created: tick(),
            paymentStatus: 'paid',
          }),
          clock,
        ),
      );
      expect(completed.outcome).toBe('linked_fetched');
      // Its creation (incomplete, before the payment) arrives late; its update after.
      const created = await deliver(
        subscriptionEvent('customer.subscription.created', renewed('incomplete', t1), t1),
      );
      expect(created.outcome).toBe('stale');
      const updated = await deliver(
        subscriptionEvent('customer.subscription.updated', renewed('active', t1), tick()),
      );
      expect(updated.outcome).toBe('applied');
      expect(await overview(0)).toMatchObject({
        status: 'active',
        stripeStatus: 'active',
        seats: 12,
        mailboxLimit: 12,
        inGrace: false,
        graceUntil: null,
        notice: null,
      });
      // A late event of the old, canceled subscription changes nothing.
      const late = await deliver(
        subscriptionEvent('customer.subscription.deleted', sub('canceled', 30, start), tick()),
      );
      expect(late.outcome).toBe('stale');
      expect(await overview(0)).toMatchObject({ status: 'active', seats: 12 });
    });

    it('invoice events of the old, replaced subscription are ignored: the new one keeps its state and notices', async () => {
      const billRenewed = (status: Stripe.Invoice.Status) =>
        invoice({ customer, subscription: again, created: clock, status, tenantId: tenants[0] });
      // The old subscription's final invoice fails once more, after the new one is live.
      tick();
      const failed = await deliver(invoiceEvent('invoice.payment_failed', bill('open'), clock));
      expect(failed).toMatchObject({
        status: 'ignored',
        outcome: 'other_subscription',
        tenantId: tenants[0],
      });
      tick();
      const action = await deliver(
        invoiceEvent('invoice.payment_action_required', bill('open'), clock),
      );
      expect(action).toMatchObject({ status: 'ignored', outcome: 'other_subscription' });
      expect(await overview(0)).toMatchObject({
        status: 'active',
        stripeStatus: 'active',
        seats: 12,
        inGrace: false,
        graceUntil: null,
        notice: null,
        paymentActionUrl: null,
      });
      // The new subscription's payment fails: past due, the admin told...
      tick();
      const own = await deliver(invoiceEvent('invoice.payment_failed', billRenewed('open'), clock));
      expect(own.outcome).toBe('past_due');
      const pastDue = {
        status: 'past_due',
        stripeStatus: 'past_due',
        inGrace: true,
        graceUntil: new Date((clock + 7 * DAY) * 1000).toISOString(),
        notice: 'payment_failed',
      };
      expect(await overview(0)).toMatchObject(pastDue);
      // ...and the old one's invoice paid late settles nothing of the new one's.
      tick();
      const paid = await deliver(invoiceEvent('invoice.paid', bill('paid'), clock));
      expect(paid).toMatchObject({ status: 'ignored', outcome: 'other_subscription' });
      expect(await overview(0)).toMatchObject(pastDue);
      tick();
      await deliver(invoiceEvent('invoice.paid', billRenewed('paid'), clock));
      expect(await overview(0)).toMatchObject({
        status: 'active',
        inGrace: false,
        graceUntil: null,
        notice: null,
      });
    });
  });

  describe('SEPA Direct Debit through Checkout (tenant B), and the tenant routes', () => {
    const customer = 'cus_TenantB';
    const failedSubscription = stripeId('sub');
    const subscriptionId = stripeId('sub');
    const sessionOf = (
      sub: string,
      paymentStatus: Stripe.Checkout.Session.PaymentStatus,
      created: number,
    ) =>
      checkoutSession({
        tenantId: tenants[1],
        customer,
        subscription: sub,
        created,
        paymentStatus,
        automaticTax: true,
      });
    const sent = (method: string, path: string) =>
      standIn.requests.filter((r) => r.method === method && r.path === path);

    it('POST /api/billing/checkout creates the customer and a Checkout Session with our URLs', async () => {
      standIn.routes.set('POST /v1/customers', () => ({ id: customer, object: 'customer' }));
      standIn.routes.set('POST /v1/checkout/sessions', () => ({
        id: 'cs_test_b',
        object: 'checkout.session',
        url: 'https://checkout.stripe.com/c/pay/cs_test_b',
      }));
      const answer = await admins[1].request('POST', '/api/billing/checkout', {
        body: { seats: 15 },
      });
      expect(answer).toMatchObject({
        status: 201,
        body: { url: 'https://checkout.stripe.com/c/pay/cs_test_b' },
      });
      expect(sent('POST', '/v1/customers')).toHaveLength(1);
      expect(sent('POST', '/v1/checkout/sessions')[0].form).toEqual({
        mode: 'subscription',
        customer,
        client_reference_id: tenants[1],
        'line_items[0][price]': TEST_PRICE_ID,
        'line_items[0][quantity]': '15',
        'subscription_data[metadata][tenant_id]': tenants[1],
        success_url: `${h.baseUrl}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${h.baseUrl}/billing?checkout=cancel`,
      });
      expect(await overview(1)).toMatchObject({ status: 'free', hasCustomer: true });
      // Seats are checked before anything reaches Stripe.
      const bad = await admins[1].request('POST', '/api/billing/checkout', {
        body: { seats: 0 },
      });
      expect(bad.status).toBe(400);
      expect(sent('POST', '/v1/checkout/sessions')).toHaveLength(1);
    });

    it('checkout.session.completed with a pending SEPA debit: not subscribed yet, the admin told', async () => {
      const row = await deliver(
        checkoutEvent(
          'checkout.session.completed',
          sessionOf(failedSubscription, 'unpaid', tick()),
          clock,
        ),
      );
      expect(row).toMatchObject({ status: 'processed', outcome: 'linked', tenantId: tenants[1] });
      expect(await overview(1)).toMatchObject({
        status: 'free',
        stripeStatus: 'none',
        mailboxLimit: 10,
        notice: 'payment_pending',
        hasCustomer: true,
      });
      // No subscription was fetched while the payment is pending.
      expect(sent('GET', `/v1/subscriptions/${failedSubscription}`)).toHaveLength(0);
    });

    it('checkout.session.async_payment_failed: still free, the admin told the debit failed', async () => {
      const row = await deliver(
        checkoutEvent(
          'checkout.session.async_payment_failed',
          sessionOf(failedSubscription, 'unpaid', clock),
          tick(),
        ),
      );
      expect(row).toMatchObject({ status: 'processed', outcome: 'notice', tenantId: tenants[1] });
      expect(await overview(1)).toMatchObject({
        status: 'free',
        mailboxLimit: 10,
        notice: 'async_payment_failed',
      });
    });

    it('checkout.session.async_payment_succeeded: subscribed with the seats Stripe has', async () => {
      standIn.routes.set(`GET /v1/subscriptions/${subscriptionId}`, () =>
        subscription({
          id: subscriptionId,
          customer,
          tenantId: tenants[1],
          status: 'active',
          seats: 15,
          created: clock,
        }),
      );
      await deliver(
        checkoutEvent(
          'checkout.session.completed',
          sessionOf(subscriptionId, 'unpaid', tick()),
          clock,
        ),
      );
      expect((await overview(1)).notice).toBe('payment_pending');
      const row = await deliver(
        checkoutEvent(
          'checkout.session.async_payment_succeeded',
          sessionOf(subscriptionId, 'paid', clock),
          tick(),
        ),
      );
      expect(row).toMatchObject({ status: 'processed', outcome: 'linked_fetched' });
      expect(await overview(1)).toMatchObject({
        status: 'active',
        stripeStatus: 'active',
        seats: 15,
        mailboxLimit: 15,
        notice: null,
      });
    });

    it('POST /api/billing/portal opens the Customer Portal for the customer', async () => {
      standIn.routes.set('POST /v1/billing_portal/sessions', () => ({
        id: 'bps_b',
        object: 'billing_portal.session',
        url: 'https://billing.stripe.com/p/session/bps_b',
      }));
      const answer = await admins[1].request('POST', '/api/billing/portal');
      expect(answer).toMatchObject({
        status: 201,
        body: { url: 'https://billing.stripe.com/p/session/bps_b' },
      });
      expect(sent('POST', '/v1/billing_portal/sessions')[0].form).toEqual({
        customer,
        return_url: `${h.baseUrl}/billing`,
      });
    });

    it('PUT /api/billing/seats says how many mailboxes would stop, then prorates; usage per day', async () => {
      // 14 mailboxes synced now.
      const states = h.dataSource.getRepository(MailboxStateEntity);
      for (let i = 0; i < 14; i++)
        await states.save(
          Object.assign(new MailboxStateEntity(), {
            tenantId: tenants[1],
            listId: '00000000-0000-4000-8000-0000000000b1',
            mailboxId: `00000000-0000-4000-8000-0000000002${String(i).padStart(2, '0')}`,
            status: 'in_sync',
            lastSyncedAt: new Date(),
          }),
        );
      const live = (seats: number) =>
        subscription({
          id: subscriptionId,
          customer,
          tenantId: tenants[1],
          status: 'active',
          seats,
          created: clock,
        });
      standIn.routes.set(`POST /v1/subscriptions/${subscriptionId}`, (req) =>
        live(Number(req.form['items[0][quantity]'])),
      );
      const refused = await admins[1].request('PUT', '/api/billing/seats', { body: { seats: 12 } });
      expect(refused).toMatchObject({
        status: 409,
        body: { error: 'seats_below_usage', syncedMailboxes: 14, seats: 12, wouldFreeze: 2 },
      });
      expect(sent('POST', `/v1/subscriptions/${subscriptionId}`)).toHaveLength(0);
      const lowered = await admins[1].request<Overview>('PUT', '/api/billing/seats', {
        body: { seats: 12, acceptFrozen: true },
      });
      expect(lowered).toMatchObject({
        status: 200,
        body: { seats: 12, mailboxLimit: 12, syncedMailboxes: 14 },
      });
      expect(sent('POST', `/v1/subscriptions/${subscriptionId}`)[0].form).toEqual({
        'items[0][id]': `si_${subscriptionId.slice(4)}`,
        'items[0][quantity]': '12',
        proration_behavior: 'create_prorations',
        'metadata[tenant_id]': tenants[1],
      });

      // The worker's sweep (every second here) records the day's synced mailboxes.
      const expected = [{ day: new Date().toISOString().slice(0, 10), mailboxes: 14 }];
      const deadline = Date.now() + 20_000;
      let days: unknown;
      for (;;) {
        const usage = await admins[1].request<{ days: unknown }>(
          'GET',
          '/api/billing/usage?days=7',
        );
        expect(usage.status).toBe(200);
        days = usage.body.days;
        if (JSON.stringify(days) === JSON.stringify(expected)) break;
        if (Date.now() > deadline) throw new Error(`usage not recorded: ${JSON.stringify(days)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(days).toEqual(expected);
    });
  });

  it('an event of a customer we do not know is recorded as ignored and changes nothing', async () => {
    const before = [await overview(0), await overview(1)];
    const row = await deliver(
      invoiceEvent(
        'invoice.payment_failed',
        invoice({ customer: stripeId('cus'), subscription: stripeId('sub'), created: tick() }),
        clock,
      ),
    );
    expect(row).toMatchObject({ status: 'ignored', outcome: 'unknown_tenant', tenantId: null });
    expect([await overview(0), await overview(1)]).toEqual(before);
  });
});
