import type { Page } from 'playwright-core';
import type { AdminHarness, Browser } from './support/admin-harness';
import { DIRECTORY_SETTINGS } from './support/admin-sim';
import type { DashboardBrowser } from './support/dashboard-browser';
import { startDashboard } from './support/start-dashboard';
import { until } from './support/until';

/**
 * Issue #22 (part B): the activity charts, alerts with a test delivery, API tokens shown once
 * and the audit log with filters, in a real browser (Debian's Chromium, headless) against the
 * admin API, an in-process worker and the simulator. Each screen: no serious or critical axe
 * violation, and no sideways scroll at 390 px.
 */
describe('dashboard: activity, alerts, API tokens and audit log in a browser', () => {
  let h: AdminHarness;
  let browser: DashboardBrowser;
  let page: Page;
  let api: Browser;
  let totals: { runs: number; itemsWritten: number; mailboxesSynced: number };

  beforeAll(async () => {
    // The tenant is onboarded and has synced once, through the API (the onboarding journey has
    // its own browser test).
    ({ h, api, browser, page } = await startDashboard({
      worker: true,
      sim: { tenants: 1, usersPerTenant: 12, seed: 23 },
      env: (sim) => {
        const t = sim.state.tenants[0];
        return { DEMO_LOGIN_HINT: t.users.get(t.adminUserId)!.user.userPrincipalName! };
      },
    }));
    const list = await api.request<{ id: string }>('POST', '/api/lists', {
      body: { name: 'Company', settings: DIRECTORY_SETTINGS },
    });
    await api.request('POST', `/api/lists/${list.body.id}/targets`, { body: { kind: 'all' } });
    const sync = await api.request<{ runId: string }>('POST', `/api/lists/${list.body.id}/sync`);
    await until(async () => {
      const r = await api.request<{ status: string }>('GET', `/api/runs/${sync.body.runId}`);
      return !['queued', 'running'].includes(r.body.status);
    });
    totals = (await api.request<{ totals: typeof totals }>('GET', '/api/activity')).body.totals;
    expect(totals.runs).toBe(1);
    expect(totals.itemsWritten).toBeGreaterThan(0);

    await page.goto(h.baseUrl + '/');
    await page.getByText('Sign in with Microsoft').first().click();
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#signin').click();
    await page.waitForURL((u) => u.toString().startsWith(h.baseUrl));
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  afterEach(() => browser.expectNoPageErrors());

  /** The screen at 1280 and 390 px: no serious or critical axe violation, no sideways scroll. */
  async function checkWidths(ready: () => Promise<unknown>): Promise<void> {
    await browser.expectFitsWidths(page, ready);
    await page.reload();
    await ready();
  }

  it('draws the activity of the run history: figures, four charts, each summed up in words', async () => {
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByText('Items per mailbox').waitFor();
    const figure = (label: string) =>
      page.locator('.mantine-Paper-root', { has: page.getByText(label, { exact: true }) });
    expect(await figure('Sync runs').textContent()).toBe(`Sync runs${totals.runs}`);
    expect(await figure('Items written').first().textContent()).toContain(
      totals.itemsWritten.toLocaleString('en-US'),
    );
    await page
      .getByText(`${totals.mailboxesSynced} mailboxes brought in step over 1 run.`)
      .waitFor();
    await page.getByText('No mailbox failed or was throttled in this period.').waitFor();
    // Four charts drawn by Recharts (SVG), bars for the items.
    await until(async () => (await page.locator('.recharts-wrapper').count()) === 4);
    expect(await page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(1);
    await checkWidths(() => page.locator('svg.recharts-surface').first().waitFor());
  }, 60_000);

  it('saves alert recipients and sends a test delivery that says how each channel went', async () => {
    await page.getByRole('link', { name: 'Alerts' }).click();
    const recipients = page.getByRole('combobox', { name: 'E-mail recipients' });
    await recipients.fill('ops@example.com');
    await recipients.press('Enter');
    await page.getByLabel('Webhook URL').fill('http://hooks.example.com/x');
    await page.getByRole('button', { name: 'Save alerts' }).click();
    // The API's problem is shown next to its field; nothing is saved.
    const url = page.getByLabel('Webhook URL');
    await until(async () => (await url.getAttribute('aria-invalid')) === 'true');
    expect((await api.request<{ emails: string[] }>('GET', '/api/alerts')).body.emails).toEqual([]);
    await url.fill('');
    await page.getByRole('button', { name: 'Save alerts' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await api.request<{ emails: string[] }>('GET', '/api/alerts')).body.emails).toEqual([
      'ops@example.com',
    ]);

    await page.getByRole('button', { name: 'Send a test alert' }).click();
    await page.getByText('Test alert sent').waitFor();
    // This deployment has no SMTP server and no webhook is saved: the answer says so.
    await page.getByText('E-mail: not sent, this deployment has no mail server').waitFor();
    await page.getByText('Webhook: not sent, no webhook saved.').waitFor();
    await checkWidths(() => page.getByRole('button', { name: 'Send a test alert' }).waitFor());
  }, 60_000);

  it('creates an API token shown once, then revokes it after a confirmation', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByText('No API token yet').waitFor();
    await page.getByLabel('Token name').fill('Nightly export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await shown.waitFor();
    const token = (await shown.textContent())!;
    expect(token).toMatch(/^csf_/);
    // The token works (a Viewer's), and is not shown again.
    const me = await fetch(h.baseUrl + '/api/lists', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    await checkWidths(() => page.getByRole('table', { name: 'API tokens' }).waitFor());
    expect(await page.getByText(token).count()).toBe(0);
    const row = page.getByRole('row', { name: /Nightly export/ });
    await row.getByText('Active').waitFor();

    await page.getByRole('button', { name: 'Revoke token Nightly export' }).click();
    await page.getByRole('dialog', { name: 'Revoke this token?' }).waitFor();
    await page.getByRole('button', { name: 'Revoke token', exact: true }).click();
    await row.getByText('Revoked').waitFor();
    const refused = await fetch(h.baseUrl + '/api/lists', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.status).toBe(401);
  }, 60_000);

  it('filters the audit log by action and actor, and names a bad filter next to its field', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    const table = page.getByRole('table', { name: 'Audit events' });
    await table.waitFor();
    await page.getByLabel('Action').fill('api_token.*');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('2 events').waitFor();
    const actions = await table.locator('tbody code').allTextContents();
    expect(actions.sort()).toEqual(['api_token.create', 'api_token.revoke']);

    await page.getByLabel('Action').fill('alerts.test');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1 events').waitFor();
    expect(await table.locator('tbody code').allTextContents()).toEqual(['alerts.test']);

    await page.getByLabel('Action').fill('Not An Action');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const action = page.getByLabel('Action');
    await until(async () => (await action.getAttribute('aria-invalid')) === 'true');
    await page.getByRole('button', { name: 'Clear' }).click();
    await table.waitFor();
    await checkWidths(() => page.getByRole('table', { name: 'Audit events' }).waitFor());
  }, 60_000);
});
