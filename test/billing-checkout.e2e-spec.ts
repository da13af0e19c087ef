import { BillingAccountService, createStripeClient } from '@app/billing';
import { loadConfig, type AppConfig } from '@app/config';
import {
  BillingUsageRepository,
  MailboxStateEntity,
  openDataSource,
  runMigrations,
  SubscriptionRepository,
  TenantEntity,
  TenantRepository,
} from '@app/persistence';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  billingEnv,
  StripeStandIn,
  subscription,
  TEST_PRICE_ID,
  TEST_SECRET_KEY,
} from './support/stripe-fixtures';
import { serviceEnv } from './support/test-env';

/**
 * Acceptance 3 of issue #23: Checkout, Customer Portal and seat changes through the official
 * client pointed (host, port, protocol) at a local HTTP stand-in for the Stripe API (Stripe
 * cannot run here), asserting the parameters sent. SQL is a real SQLite file.
 */
describe('Checkout, portal and seat changes (issue #23)', () => {
  let standIn: StripeStandIn;
  let dataSource: DataSource;
  let config: AppConfig;
  let billing: BillingAccountService;
  let tenantId: string;
  const urls = {
    successUrl: 'https://sync.example.com/billing?checkout=success',
    cancelUrl: 'https://sync.example.com/billing?checkout=cancel',
  };

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
    const dir = mkdtempSync(join(tmpdir(), 'billing-'));
    config = loadConfig(
      serviceEnv({
        DATA_DIR: dir,
        DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
        ...billingEnv(standIn.url),
      }),
    ).config;
    dataSource = await openDataSource(config.database);
    await runMigrations(dataSource, config.database, { lockTimeoutMs: 10_000 });
    const m = dataSource.manager;
    billing = new BillingAccountService(
      await createStripeClient(config.billing!),
      new SubscriptionRepository(m),
      new BillingUsageRepository(m),
      new TenantRepository(m),
      config.billing!,
    );
    tenantId = (
      await m.getRepository(TenantEntity).save(
        Object.assign(new TenantEntity(), {
          azureTenantId: '0f0e0d0c-0000-4000-8000-000000000001',
          status: 'active',
          displayName: 'Contoso',
        }),
      )
    ).id;
    standIn.routes.set('POST /v1/customers', () => ({ id: 'cus_Contoso', object: 'customer' }));
    standIn.routes.set('POST /v1/checkout/sessions', () => ({
      id: 'cs_test_1',
      object: 'checkout.session',
      url: 'https://checkout.stripe.com/c/pay/cs_test_1',
    }));
    standIn.routes.set('POST /v1/billing_portal/sessions', () => ({
      id: 'bps_1',
      object: 'billing_portal.session',
      url: 'https://billing.stripe.com/p/session/bps_1',
    }));
  }, 60_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await standIn?.stop();
  });

  const sent = (method: string, path: string) =>
    standIn.requests.filter((r) => r.method === method && r.path === path);

  it('creates a customer once and a subscription Checkout Session with the seats', async () => {
    const { url } = await billing.startCheckout(tenantId, 25, urls);
    expect(url).toBe('https://checkout.stripe.com/c/pay/cs_test_1');
    const [customer] = sent('POST', '/v1/customers');
    expect(customer.form).toMatchObject({ name: 'Contoso', 'metadata[tenant_id]': tenantId });
    const [session] = sent('POST', '/v1/checkout/sessions');
    expect(session.form).toEqual({
      mode: 'subscription',
      customer: 'cus_Contoso',
      client_reference_id: tenantId,
      'line_items[0][price]': TEST_PRICE_ID,
      'line_items[0][quantity]': '25',
      'subscription_data[metadata][tenant_id]': tenantId,
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
    });
    expect(session.headers.authorization).toBe(`Bearer ${TEST_SECRET_KEY}`);
    expect(session.headers['stripe-version']).toBe('2026-11-18.endive');
    expect(session.headers['idempotency-key']).toMatch(/^checkout-/);

    // A second Checkout reuses the customer.
    await billing.startCheckout(tenantId, 30, urls);
    expect(sent('POST', '/v1/customers')).toHaveLength(1);
    expect(sent('POST', '/v1/checkout/sessions')[1].form.customer).toBe('cus_Contoso');
  });

  it('with STRIPE_AUTOMATIC_TAX, Checkout computes tax and collects the tax id', async () => {
    const taxed = loadConfig(
      serviceEnv({
        DATA_DIR: config.dataDir,
        DATABASE_URL: `sqlite:${join(config.dataDir, 'app.db')}`,
        ...billingEnv(standIn.url, { STRIPE_AUTOMATIC_TAX: 'true' }),
      }),
    ).config;
    expect(taxed.billing!.automaticTax).toBe(true);
    const m = dataSource.manager;
    const service = new BillingAccountService(
      await createStripeClient(taxed.billing!),
      new SubscriptionRepository(m),
      new BillingUsageRepository(m),
      new TenantRepository(m),
      taxed.billing!,
    );
    const other = (
      await m.getRepository(TenantEntity).save(
        Object.assign(new TenantEntity(), {
          azureTenantId: '0f0e0d0c-0000-4000-8000-000000000002',
          status: 'active',
          displayName: 'Fabrikam',
        }),
      )
    ).id;
    const before = sent('POST', '/v1/checkout/sessions').length;
    await service.startCheckout(other, 12, urls);
    const session = sent('POST', '/v1/checkout/sessions')[before];
    expect(session.form).toMatchObject({
      client_reference_id: other,
      'line_items[0][quantity]': '12',
      'automatic_tax[enabled]': 'true',
      'tax_id_collection[enabled]': 'true',
      // An existing customer: Checkout stores the address and name it collects on it (Stripe
      // requires both for automatic tax and tax ids with a customer).
      'customer_update[address]': 'auto',
      'customer_update[name]': 'auto',
    });
    // Without the setting (the first test) none of these were sent.
    expect(Object.keys(sent('POST', '/v1/checkout/sessions')[0].form)).not.toContain(
      'automatic_tax[enabled]',
    );
  });

  it('opens the Customer Portal for the tenant customer', async () => {
    const { url } = await billing.openPortal(tenantId, 'https://sync.example.com/billing');
    expect(url).toBe('https://billing.stripe.com/p/session/bps_1');
    expect(sent('POST', '/v1/billing_portal/sessions')[0].form).toEqual({
      customer: 'cus_Contoso',
      return_url: 'https://sync.example.com/billing',
    });
  });

  it('changes seats with proration, and refuses fewer than the synced mailboxes unless told', async () => {
    const created = Math.floor(Date.now() / 1000) - 86_400;
    const live = (seats: number) =>
      subscription({
        id: 'sub_Contoso',
        customer: 'cus_Contoso',
        tenantId,
        status: 'active',
        seats,
        created,
      });
    await new SubscriptionRepository(dataSource.manager).update(tenantId, {
      stripeSubscriptionId: 'sub_Contoso',
      status: 'active',
      seats: 25,
    });
    standIn.routes.set('GET /v1/subscriptions/sub_Contoso', () => live(25));
    standIn.routes.set('POST /v1/subscriptions/sub_Contoso', (req) =>
      live(Number(req.form['items[0][quantity]'])),
    );
    // 14 mailboxes synced now.
    for (let i = 0; i < 14; i++)
      await dataSource.getRepository(MailboxStateEntity).save(
        Object.assign(new MailboxStateEntity(), {
          tenantId,
          listId: '00000000-0000-4000-8000-000000000001',
          mailboxId: `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
          status: 'in_sync',
          lastSyncedAt: new Date(),
        }),
      );

    const raised = await billing.changeSeats(tenantId, 30, false);
    expect(raised).toMatchObject({ seats: 30, mailboxLimit: 30, syncedMailboxes: 14 });
    const [update] = sent('POST', '/v1/subscriptions/sub_Contoso');
    expect(update.form).toEqual({
      'items[0][id]': 'si_Contoso',
      'items[0][quantity]': '30',
      proration_behavior: 'create_prorations',
      'metadata[tenant_id]': tenantId,
    });

    await expect(billing.changeSeats(tenantId, 12, false)).rejects.toMatchObject({
      code: 'seats_below_usage',
      status: 409,
      details: { syncedMailboxes: 14, seats: 12, wouldFreeze: 2 },
    });
    expect(sent('POST', '/v1/subscriptions/sub_Contoso')).toHaveLength(1);
    expect((await billing.changeSeats(tenantId, 12, true)).seats).toBe(12);
    expect(sent('POST', '/v1/subscriptions/sub_Contoso')[1].form['items[0][quantity]']).toBe('12');
  });

  it('records synced mailboxes per day', async () => {
    expect(await billing.recordUsage(tenantId)).toBe(14);
    const days = await billing.usageDays(tenantId, 7);
    expect(days).toEqual([{ day: new Date().toISOString().slice(0, 10), mailboxes: 14 }]);
  });
});
