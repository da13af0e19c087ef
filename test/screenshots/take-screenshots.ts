// `npm run screenshots`: starts the fleet on seeded data (the simulated Microsoft 365, the admin
// API and a worker in this process, embedded stores in a temporary directory), signs in to the
// dashboard in headless Chromium with the browser's clock frozen, and writes the main screens to
// docs/screenshots/. CI does not compare the pixels; the README shows them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AdminHarness } from '../support/admin-harness';
import { DIRECTORY_SETTINGS } from '../support/admin-sim';
import { DashboardBrowser } from '../support/dashboard-browser';
import { ensureDashboardBuilt } from '../support/dashboard-build';
import {
  billingEnv,
  invoice,
  invoiceEvent,
  signAt,
  StripeStandIn,
  subscription,
  subscriptionEvent,
  TEST_WEBHOOK_SECRET,
} from '../support/stripe-fixtures';
import type Stripe from 'stripe';

const OUT = join(__dirname, '..', '..', 'docs', 'screenshots');
/** What the browser believes the time is (dates and "ago" texts render the same every time). */
const FROZEN = new Date('2026-12-01T09:30:00Z');

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await ensureDashboardBuilt();
  const standIn = await new StripeStandIn().start();
  standIn.routes.set('POST /v1/customers', () => ({ id: 'cus_Screens', object: 'customer' }));
  standIn.routes.set('POST /v1/checkout/sessions', () => ({
    id: 'cs_screens',
    object: 'checkout.session',
    url: 'https://checkout.stripe.com/c/pay/cs_screens',
  }));
  const h = await AdminHarness.start({
    worker: true,
    sim: { tenants: 1, usersPerTenant: 24, seed: 22 },
    env: (sim) => {
      const t = sim.state.tenants[0];
      return { DEMO_LOGIN_HINT: t.users.get(t.adminUserId)!.user.userPrincipalName! };
    },
  });
  const browser = await DashboardBrowser.launch();
  try {
    const page = await browser.page();
    await page.clock.setFixedTime(FROZEN);
    const shot = async (name: string, p: Page = page, fullPage = true) => {
      await p.evaluate(() => document.fonts.ready);
      await p.screenshot({ path: join(OUT, `${name}.png`), fullPage });
      console.log(`docs/screenshots/${name}.png`);
    };

    // Onboarding: signed in through the simulated tenant in one click, consent step.
    await page.goto(h.baseUrl + '/');
    await page.getByText('Sign in with Microsoft').first().click();
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#signin').click();
    await page.getByRole('list', { name: 'Permissions requested' }).waitFor();
    await shot('01-onboarding');

    // The tenant consents and gets a list targeting everyone (through the API).
    const t = h.tenant(0);
    const api = h.browser();
    await api.signIn(t.adminUpn);
    await api.consent(t.adminUpn);
    const list = await api.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Company directory', settings: DIRECTORY_SETTINGS },
    });
    await api.request('POST', `/api/lists/${list.body.id}/targets`, { body: { kind: 'all' } });

    // List editor with its live preview.
    await page.goto(`${h.baseUrl}/lists/${list.body.id}`);
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByTestId('preview-result').waitFor({ timeout: 60_000 });
    await shot('02-list-editor-preview');

    // A sync run: progress, then one mailbox's outcome.
    const sync = await api.request<{ runId: string }>('POST', `/api/lists/${list.body.id}/sync`);
    await until(async () => {
      const r = await api.request<{ status: string }>('GET', `/api/runs/${sync.body.runId}`);
      return !['queued', 'running'].includes(r.body.status);
    });
    await page.goto(`${h.baseUrl}/runs/${sync.body.runId}`);
    await page.getByRole('table', { name: 'Mailbox outcomes' }).waitFor();
    await shot('03-run-progress');
    // A mailbox that did not end in step, if any: its code, what it means and what to do.
    const notInStep = page
      .getByRole('row')
      .filter({ hasText: /Skipped|Failed/ })
      .getByRole('button', { name: /^Outcome of mailbox/ });
    await (
      (await notInStep.count())
        ? notInStep.first()
        : page.getByRole('button', { name: /^Outcome of mailbox/ }).first()
    ).click();
    await page.getByTestId('mailbox-outcome').waitFor();
    await shot('04-mailbox-drill-down', page, false);
    await page.keyboard.press('Escape');

    // Activity charts, audit log.
    await page.goto(`${h.baseUrl}/activity`);
    await page.locator('.recharts-wrapper').nth(3).waitFor();
    await shot('05-activity-charts');
    await page.goto(`${h.baseUrl}/audit`);
    await page.getByRole('table', { name: 'Audit events' }).waitFor();
    await shot('06-audit-log');

    // A phone: the run at 390 px.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${h.baseUrl}/runs/${sync.body.runId}`);
    await page.getByRole('table', { name: 'Mailbox outcomes' }).waitFor();
    await shot('07-phone-run');

    // A calendar list of public holidays (Germany, Bavaria) with its preview.
    await page.setViewportSize({ width: 1280, height: 900 });
    const holidays = await api.request<{ id: string }>('POST', '/api/calendar-lists', {
      body: {
        name: 'Holidays Bavaria',
        settings: {
          sources: [
            { id: 'holidays', kind: 'holidays', country: 'DE', state: 'BY', language: 'de' },
          ],
        },
      },
    });
    await api.request('POST', `/api/calendar-lists/${holidays.body.id}/targets`, {
      body: { kind: 'all' },
    });
    await page.goto(`${h.baseUrl}/calendars/${holidays.body.id}`);
    await page.getByRole('combobox', { name: 'State or province' }).waitFor();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.getByTestId('preview-result').waitFor({ timeout: 60_000 });
    await shot('08-calendar-list');

    // The EWS connection (the simulator's Exchange endpoint, NTLM) after a successful test.
    const onPrem = [...h.sim.state.tenants[0].users.values()].find(
      (u) => u.mailbox === 'onprem' && u.user.mail,
    );
    await api.request('PUT', '/api/ews', {
      body: {
        serverUrl: h.sim.info.ewsUrl,
        username: 'CONTOSO\\svc-sync',
        password: 'Sim-Ews-Passw0rd',
        impersonationAddress: onPrem?.user.mail ?? null,
        caCertificate: h.sim.caPem,
      },
    });
    await page.goto(`${h.baseUrl}/ews`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Connection works').waitFor({ timeout: 30_000 });
    // The click scrolled the page; a full-page shot starts at the top (the header is fixed).
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('09-ews-connection');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Billing on (a local stand-in for the Stripe API), after the screens above so they keep
    // every mailbox synced: the free tier with the mailboxes beyond it, then a subscription
    // whose payment needs confirming and a seat change below the synced mailboxes.
    await h.restart(billingEnv(standIn.url));
    const billingApi = h.browser();
    await billingApi.signIn(t.adminUpn);
    const run = await billingApi.request<{ runId: string }>(
      'POST',
      `/api/lists/${list.body.id}/sync`,
    );
    await until(async () => {
      const r = await billingApi.request<{ status: string }>('GET', `/api/runs/${run.body.runId}`);
      return !['queued', 'running'].includes(r.body.status);
    });
    await browser.context.clearCookies();
    await page.goto(h.baseUrl + '/');
    await page.getByText('Sign in with Microsoft').first().click();
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#signin').click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`${h.baseUrl}/billing`);
    await page.getByTestId('unentitled').waitFor();
    await shot('20-billing-free-tier');

    const tenantId = (await billingApi.request<{ id: string }>('GET', '/api/tenant')).body.id;
    let clock = Math.floor(Date.now() / 1000) - 600;
    const deliver = async (
      event: Stripe.Event,
      applied: (b: { notice: string | null; seats: number }) => boolean,
    ) => {
      const payload = JSON.stringify(event);
      await fetch(`${h.baseUrl}/api/billing/stripe/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': signAt(payload, TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
        },
        body: payload,
      });
      await until(async () =>
        applied(
          (
            await billingApi.request<{ notice: string | null; seats: number }>(
              'GET',
              '/api/billing',
            )
          ).body,
        ),
      );
    };
    await billingApi.request('POST', '/api/billing/checkout', { body: { seats: 30 } });
    await deliver(
      subscriptionEvent(
        'customer.subscription.updated',
        subscription({
          id: 'sub_Screens',
          customer: 'cus_Screens',
          tenantId,
          status: 'active',
          seats: 30,
          created: clock - 3_000,
        }),
        clock,
      ),
      (b) => b.seats === 30,
    );
    const rerun = await billingApi.request<{ runId: string }>(
      'POST',
      `/api/lists/${list.body.id}/sync`,
    );
    await until(async () => {
      const r = await billingApi.request<{ status: string }>(
        'GET',
        `/api/runs/${rerun.body.runId}`,
      );
      return !['queued', 'running'].includes(r.body.status);
    });
    clock += 60;
    await deliver(
      invoiceEvent(
        'invoice.payment_action_required',
        {
          ...invoice({
            customer: 'cus_Screens',
            subscription: 'sub_Screens',
            created: clock,
            status: 'open',
          }),
          hosted_invoice_url: 'https://invoice.stripe.com/i/screens',
        },
        clock,
      ),
      (b) => b.notice === 'payment_action_required',
    );
    await page.goto(`${h.baseUrl}/billing`);
    await page.getByRole('link', { name: 'Confirm the payment' }).waitFor();
    await page.getByLabel('Seats (mailboxes)').fill('12');
    await page.getByText('Fewer seats than synced mailboxes').waitFor();
    await shot('21-billing-confirm-payment-and-seats');

    // The user picker of a list's targets, found by part of a name.
    const person = [...h.sim.state.tenants[0].users.values()].find(
      (u) => !u.deleted && u.purpose === 'user' && (u.user.displayName ?? '').includes(' '),
    )!.user;
    await page.goto(`${h.baseUrl}/lists/${list.body.id}`);
    await page
      .getByRole('combobox', { name: 'Person' })
      .fill(person.displayName!.split(' ')[1].slice(0, 3));
    await page.getByRole('option').first().waitFor();
    await shot('22-user-picker', page, false);
  } finally {
    await browser.close();
    await h.stop();
    await standIn.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
