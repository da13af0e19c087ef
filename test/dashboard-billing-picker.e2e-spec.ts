import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import type { AdminHarness, Browser } from './support/admin-harness';
import { DIRECTORY_SETTINGS, waitRun } from './support/admin-sim';
import type { DashboardBrowser } from './support/dashboard-browser';
import { startDashboard } from './support/start-dashboard';
import {
  billingEnv,
  invoice,
  invoiceEvent,
  signAt,
  StripeStandIn,
  subscription,
  subscriptionEvent,
  TEST_WEBHOOK_SECRET,
} from './support/stripe-fixtures';
import { until } from './support/until';

interface RunView {
  status: string;
  mailboxes: { total: number; succeeded: number; failed: number; unentitled: number };
  billingStatus: string | null;
}
interface Overview {
  status: string;
  seats: number;
  syncedMailboxes: number;
  mailboxLimit: number;
  notice: string | null;
}
interface Found {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  mail: string | null;
}

const CHECKOUT_URL = 'https://checkout.stripe.com/c/pay/cs_test_dashboard';
const CONFIRM_URL = 'https://invoice.stripe.com/i/acct_test/confirm_dashboard';

/**
 * Issue #22 with #23: the billing screen and the user picker in a real browser (Debian's
 * Chromium, headless) against the admin API, an in-process worker, the simulator and a local
 * HTTP stand-in for the Stripe API. Subscription changes arrive as signed webhooks the worker
 * processes, as in production.
 */
describe('dashboard: billing screen and user picker in a browser', () => {
  let h: AdminHarness;
  let standIn: StripeStandIn;
  let browser: DashboardBrowser;
  let page: Page;
  let api: Browser;
  let tenantId: string;
  let listId: string;
  let targeted: number;
  let clock = Math.floor(Date.now() / 1000) - 600;
  const customer = 'cus_DashboardBilling';
  const subscriptionId = 'sub_DashboardBilling';

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
    standIn.routes.set('POST /v1/customers', () => ({ id: customer, object: 'customer' }));
    standIn.routes.set('POST /v1/checkout/sessions', () => ({
      id: 'cs_test_dashboard',
      object: 'checkout.session',
      url: CHECKOUT_URL,
    }));
    ({ h, api, browser, page } = await startDashboard({
      worker: true,
      sim: { tenants: 2, usersPerTenant: 24, seed: 52 },
      env: (sim) => {
        const t = sim.state.tenants[0];
        return {
          DEMO_LOGIN_HINT: t.users.get(t.adminUserId)!.user.userPrincipalName!,
          ...billingEnv(standIn.url),
        };
      },
    }));
    tenantId = (await api.request<{ id: string }>('GET', '/api/tenant')).body.id;
    const list = await api.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Company', settings: DIRECTORY_SETTINGS },
    });
    listId = list.body.id;
    await api.request('POST', `/api/lists/${listId}/targets`, { body: { kind: 'all' } });
    const run = await syncNow();
    // The free tier: 10 synced, the rest reported as not entitled.
    expect(run).toMatchObject({
      status: 'succeeded',
      mailboxes: { total: 10 },
      billingStatus: 'free',
    });
    expect(run.mailboxes.unentitled).toBeGreaterThanOrEqual(4);
    targeted = run.mailboxes.total + run.mailboxes.unentitled;

    await signInAs(h.tenant(0).adminUpn);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    await standIn?.stop();
  });

  afterEach(() => browser.expectNoPageErrors());

  async function syncNow(): Promise<RunView> {
    const started = await api.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
    return waitRun<RunView>(api, started.body.runId, 120_000);
  }

  const signInAs = (upn: string) => browser.signInAs(page, h, upn, /^\/lists$/);

  /** A Stripe event signed as Stripe signs it, posted to the webhook; resolves once applied. */
  async function deliver(event: Stripe.Event, applied: (b: Overview) => boolean): Promise<void> {
    const payload = JSON.stringify(event);
    const res = await fetch(`${h.baseUrl}/api/billing/stripe/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signAt(payload, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
      },
      body: payload,
    });
    expect(res.status).toBe(200);
    await until(async () => applied((await api.request<Overview>('GET', '/api/billing')).body));
  }

  const live = (seats: number) => {
    clock += 60;
    return subscription({
      id: subscriptionId,
      customer,
      tenantId,
      status: 'active',
      seats,
      created: clock - 3_000,
    });
  };

  /** The screen at 1280 and 390 px: no serious or critical axe violation, no sideways scroll. */
  const checkWidths = (ready: () => Promise<unknown>) => browser.expectFitsWidths(page, ready);

  it('searches the directory by part of a name, scoped to the tenant, bounded, naming a bad field', async () => {
    const own = [...h.sim.state.tenants[0].users.values()].find(
      (u) => !u.deleted && (u.user.displayName ?? '').includes(' '),
    )!.user;
    const word = own.displayName!.split(' ')[1].slice(0, 3);
    const found = await api.request<{ items: Found[] }>(
      'GET',
      `/api/directory/users?search=${encodeURIComponent(word)}`,
    );
    expect(found.status).toBe(200);
    expect(found.body.items.map((u) => u.id)).toContain(own.id);
    expect(found.body.items.length).toBeLessThanOrEqual(10);
    // The other tenant's people are not in this tenant's directory.
    const other = [...h.sim.state.tenants[1].users.values()].find((u) => !u.deleted)!.user;
    const theirs = await api.request<{ items: Found[] }>(
      'GET',
      `/api/directory/users?search=${encodeURIComponent(other.mail!.split('@')[0])}&limit=25`,
    );
    expect(theirs.body.items.map((u) => u.id)).not.toContain(other.id);
    for (const [query, field] of [
      ['search=a', 'search'],
      ['search=%22x%22', 'search'],
      [`search=${'a'.repeat(65)}`, 'search'],
      ['search=ab&limit=26', 'limit'],
      ['search=ab&ids=x', 'ids'],
      ['', 'ids'],
    ]) {
      const bad = await api.request<{ problems: Array<{ field: string }> }>(
        'GET',
        `/api/directory/users?${query}`,
      );
      expect([query, bad.status, bad.body.problems.map((p) => p.field)]).toEqual([
        query,
        400,
        [field],
      ]);
    }
  });

  it('the user picker finds a person by part of the name and adds them as a target', async () => {
    const board = await api.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Board', settings: DIRECTORY_SETTINGS },
    });
    const person = [...h.sim.state.tenants[0].users.values()]
      .filter((u) => !u.deleted && u.purpose === 'user' && (u.user.displayName ?? '').includes(' '))
      .map((u) => u.user)[3];
    const [first, last] = person.displayName!.split(' ');
    await page.goto(`${h.baseUrl}/lists/${board.body.id}`);
    await page.getByText('No one receives this list yet').waitFor();
    const picker = page.getByRole('combobox', { name: 'Person' });
    await picker.fill(last.slice(0, 3));
    const option = page.getByRole('option', { name: new RegExp(`^${person.displayName}`) });
    await option.waitFor();
    await option.click();
    await page.getByRole('button', { name: 'Add person' }).click();
    const targets = page.getByRole('table', { name: 'Targets' });
    await targets.getByText(`Person: ${first} ${last}`).waitFor();
    const saved = await api.request<Array<{ kind: string; objectId: string; mode: string }>>(
      'GET',
      `/api/lists/${board.body.id}/targets`,
    );
    expect(saved.body).toEqual([
      expect.objectContaining({ kind: 'user', objectId: person.id, mode: 'include' }),
    ]);
    await checkWidths(() => targets.getByText(`Person: ${first} ${last}`).waitFor());
  }, 90_000);

  it('shows the free tier, the seats used and the mailboxes not synced, and why', async () => {
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Billing' }).waitFor();
    await page.getByText('Free tier', { exact: true }).waitFor();
    await page
      .getByText('Up to 10 mailboxes are synced free of charge.', { exact: false })
      .waitFor();
    // Mailboxes a run skipped (no mailbox Graph can reach) hold no seat.
    const { syncedMailboxes } = (await api.request<Overview>('GET', '/api/billing')).body;
    expect(syncedMailboxes).toBeGreaterThanOrEqual(8);
    expect(await page.getByTestId('seats-used').textContent()).toBe(
      `${syncedMailboxes} mailboxes synced; your plan covers 10`,
    );
    const unentitled = page.getByTestId('unentitled');
    await unentitled.getByText(`${targeted - 10} targeted mailboxes are not synced`).waitFor();
    expect(await unentitled.textContent()).toContain('beyond the 10 mailboxes your plan covers');
    expect(await unentitled.textContent()).toContain(
      `Company: ${targeted - 10} of ${targeted} mailboxes not synced in its last run`,
    );
    await checkWidths(() => page.getByTestId('unentitled').waitFor());
  }, 60_000);

  it('subscribing goes to the Checkout page Stripe returned, for the seats asked', async () => {
    // The browser never reaches Stripe: the Checkout page is answered here.
    await page.route(`${CHECKOUT_URL}**`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>Stripe Checkout</title>' }),
    );
    await page.goto(`${h.baseUrl}/billing`);
    await page.getByLabel('Seats (mailboxes)').fill(String(targeted));
    await page.getByRole('button', { name: 'Subscribe with Stripe' }).click();
    await page.waitForURL(CHECKOUT_URL);
    const [session] = standIn.requests.filter((r) => r.path === '/v1/checkout/sessions');
    expect(session.form).toMatchObject({
      mode: 'subscription',
      customer,
      client_reference_id: tenantId,
      'line_items[0][quantity]': String(targeted),
    });
    expect(session.form.success_url).toMatch(/\/billing\?checkout=success/);
    // Back from Stripe.
    await page.goto(`${h.baseUrl}/billing?checkout=success`);
    await page.getByText('Checkout is complete.', { exact: false }).waitFor();
  }, 60_000);

  it('a payment that needs confirming shows the call to action to confirm it', async () => {
    await deliver(
      subscriptionEvent('customer.subscription.updated', live(targeted), clock),
      (b) => b.status === 'active' && b.seats === targeted,
    );
    clock += 60;
    const open = {
      ...invoice({ customer, subscription: subscriptionId, created: clock, status: 'open' }),
      hosted_invoice_url: CONFIRM_URL,
    };
    await deliver(
      invoiceEvent('invoice.payment_action_required', open, clock),
      (b) => b.notice === 'payment_action_required',
    );
    await page.goto(`${h.baseUrl}/billing`);
    const alert = page.getByRole('alert').filter({ hasText: 'Confirm the payment' });
    await alert.getByText('strong customer authentication', { exact: false }).waitFor();
    expect(
      await alert.getByRole('link', { name: 'Confirm the payment' }).getAttribute('href'),
    ).toBe(CONFIRM_URL);
    await page.getByText('Subscribed', { exact: true }).waitFor();
    await checkWidths(() => page.getByRole('link', { name: 'Confirm the payment' }).waitFor());
  }, 90_000);

  it('lowering the seats below the synced mailboxes warns what will stop, then changes them', async () => {
    // With the seats, every targeted mailbox is synced.
    expect((await syncNow()).mailboxes).toMatchObject({ total: targeted, unentitled: 0 });
    standIn.routes.set(`GET /v1/subscriptions/${subscriptionId}`, () => live(targeted));
    standIn.routes.set(`POST /v1/subscriptions/${subscriptionId}`, (req) =>
      live(Number(req.form['items[0][quantity]'])),
    );
    const synced = (await api.request<Overview>('GET', '/api/billing')).body.syncedMailboxes;
    expect(synced).toBeGreaterThan(13);
    await page.goto(`${h.baseUrl}/billing`);
    expect(await page.getByTestId('seats-used').textContent()).toBe(
      `${synced} mailboxes synced; your plan covers ${targeted}`,
    );
    const lower = synced - 3;
    await page.getByLabel('Seats (mailboxes)').fill(String(lower));
    const warning = page
      .getByRole('alert')
      .filter({ hasText: 'Fewer seats than synced mailboxes' });
    await warning
      .getByText(
        `${synced} mailboxes are synced now. With ${lower} seats, 3 of them would stop being updated`,
        { exact: false },
      )
      .waitFor();
    const change = page.getByRole('button', { name: 'Change seats' });
    expect(await change.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: 'Stop updating 3 mailboxes' }).check();
    await change.click();
    await page.getByText(`Seats changed to ${lower}.`).waitFor();
    const updates = standIn.requests.filter(
      (r) => r.method === 'POST' && r.path === `/v1/subscriptions/${subscriptionId}`,
    );
    expect(updates.map((r) => r.form['items[0][quantity]'])).toEqual([String(lower)]);
    expect(updates[0].form.proration_behavior).toBe('create_prorations');
    await checkWidths(() => page.getByRole('button', { name: 'Change seats' }).waitFor());
  }, 120_000);

  it('a Viewer sees the billing facts and no button that would change anything', async () => {
    await signInAs(h.tenant(0).viewerUpn);
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByTestId('seats-used').waitFor();
    await page.getByText('An admin of your organization must confirm it.').waitFor();
    for (const name of ['Subscribe with Stripe', 'Change seats', 'Payment methods and invoices'])
      expect([name, await page.getByRole('button', { name }).count()]).toEqual([name, 0]);
    expect(await page.getByRole('link', { name: 'Confirm the payment' }).count()).toBe(0);
    expect(await page.getByLabel('Seats (mailboxes)').count()).toBe(0);
  }, 60_000);

  it('with billing off, the navigation has no billing and its routes answer 404', async () => {
    await h.restart({
      STRIPE_SECRET_KEY: '',
      STRIPE_WEBHOOK_SECRETS: '',
      STRIPE_SEAT_PRICE_ID: '',
      STRIPE_API_URL: '',
    });
    expect((await fetch(`${h.baseUrl}/api/billing`)).status).toBe(404);
    await signInAs(h.tenant(0).adminUpn);
    await page.getByRole('link', { name: 'Contact lists' }).waitFor();
    expect(await page.getByRole('link', { name: 'Billing' }).count()).toBe(0);
    await page.goto(`${h.baseUrl}/billing`);
    await page.getByText('Billing is off').waitFor();
    expect(await page.getByTestId('seats-used').count()).toBe(0);
  }, 120_000);
});
