import type { Locator, Page } from 'playwright-core';
import type { AdminHarness, Browser } from './support/admin-harness';
import type { DashboardBrowser } from './support/dashboard-browser';
import { describedBy } from './support/described-by';
import { startDashboard } from './support/start-dashboard';
import { until } from './support/until';
import { visible } from './support/visible';

// The simulator's default EWS service account (apps/m365-sim/src/sim-options.ts), NTLM.
const EWS_USER = 'CONTOSO\\svc-sync';
const EWS_PASSWORD = 'Sim-Ews-Passw0rd';
const WRONG_PASSWORD = 'Not-The-Passw0rd-41';

const MALFORMED_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'THIS IS NOT A CONTENT LINE',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');
const GOOD_ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//EN',
  'BEGIN:VEVENT',
  'UID:offsite@example.com',
  'DTSTART;VALUE=DATE:20270505',
  'DTEND;VALUE=DATE:20270506',
  'SUMMARY:Company offsite',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:standup@example.com',
  'DTSTART;TZID=Europe/Berlin:20270105T090000',
  'DTEND;TZID=Europe/Berlin:20270105T091500',
  'RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10',
  'SUMMARY:Stand-up',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

/**
 * Issue #22, the calendar lists and EWS connection screens, in a real browser (Debian's
 * Chromium, headless) against the admin API, an in-process worker and the simulator (its Graph
 * mailboxes and its EWS endpoint with NTLM): a holiday list for DE-BY made by choices, its
 * preview and sync to 100 %, a malformed .ics refused with its line, test connection failing
 * with its code and sentence then succeeding, what a Viewer sees, axe and 390 px.
 */
describe('dashboard: calendar lists and the EWS connection in a browser', () => {
  let h: AdminHarness;
  let browser: DashboardBrowser;
  let page: Page;
  let api: Browser;
  let holidayListId: string;
  let uploadListId: string;
  let onPremMail: string;
  let plannedMailboxes = 0;
  const text = (s: string | RegExp) => page.getByText(s).first();
  const entryRows = () => h.count('calendar_entry');

  beforeAll(async () => {
    ({ h, api, browser, page } = await startDashboard({
      worker: true,
      sim: { tenants: 1, usersPerTenant: 12, seed: 22 },
    }));
    const sim = h.sim.state.tenants[0];
    onPremMail = [...sim.users.values()].find((u) => u.mailbox === 'onprem' && u.user.mail)!.user
      .mail!;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  afterEach(() => browser.expectNoPageErrors());

  async function pick(combobox: Locator, typed: string, option: string): Promise<void> {
    await combobox.click();
    await combobox.fill(typed);
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  it('creates a holiday list for DE-BY by choices; the preview shows its counts and the sync reaches 100 %', async () => {
    await browser.signInAs(page, h, h.tenant(0).adminUpn);
    await page.getByRole('link', { name: 'Calendar lists' }).click();
    await visible(text('No calendar list yet'));
    await page.getByRole('link', { name: 'New calendar list' }).click();
    await page.getByLabel('List name').fill('Holidays Bavaria');
    // Without a source the API's problem shows where the sources go; nothing is stored.
    await page.getByRole('button', { name: 'Create calendar list' }).click();
    await visible(text('at least one source'));
    expect(await h.dataSource.query('SELECT id FROM calendar_list')).toEqual([]);

    await page.getByRole('button', { name: 'Add a source' }).click();
    await page.getByRole('menuitem', { name: 'Public holidays' }).click();
    const source = page.getByRole('group', { name: 'Source 1: Public holidays' });
    await pick(source.getByRole('combobox', { name: 'Country' }), 'Germany', 'Germany (DE)');
    await pick(source.getByRole('combobox', { name: 'State or province' }), 'Bay', 'Bayern (BY)');
    await source.getByRole('combobox', { name: 'Region' }).waitFor();
    await source.getByRole('combobox', { name: 'Language of the names' }).click();
    await page.getByRole('option', { name: 'German (de)' }).click();
    await page.getByRole('button', { name: 'Create calendar list' }).click();
    await page.waitForURL(/\/calendars\/[0-9a-f-]{36}$/);
    holidayListId = page.url().split('/').pop()!;
    const [row] = (await h.dataSource.query('SELECT name, settings FROM calendar_list')) as Array<{
      name: string;
      settings: string;
    }>;
    expect([row.name, JSON.parse(row.settings)]).toEqual([
      'Holidays Bavaria',
      expect.objectContaining({
        sources: [{ id: 'holidays', kind: 'holidays', country: 'DE', state: 'BY', language: 'de' }],
        window: { monthsBack: 6, monthsAhead: 18 },
      }),
    ]);

    await page.getByRole('button', { name: 'Add everyone with a mailbox' }).click();
    await visible(
      page.getByRole('table', { name: 'Targets' }).getByText('Everyone with a mailbox'),
    );
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const result = page.getByTestId('preview-result');
    await visible(result);
    const summary = (await result.locator('p').first().textContent())!;
    const m = /^(\d+) to create, 0 to update, 0 to delete in (\d+) mailboxes$/.exec(summary);
    expect([summary, !!m]).toEqual([summary, true]);
    const [created, mailboxes] = [Number(m![1]), Number(m![2])];
    expect(mailboxes).toBeGreaterThan(1);
    const examples = await result.getByRole('listitem').allTextContents();
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.every((e) => e.startsWith('Create '))).toBe(true);
    const runs = await api.request<{
      items: Array<{ id: string; mode: string; items: { created: number } }>;
    }>('GET', `/api/calendar-lists/${holidayListId}/runs`);
    expect(runs.body.items.map((r) => [r.mode, r.items.created])).toEqual([['dry_run', created]]);
    // The screen's figures are the plan's: per mailbox the same holidays, with German names.
    const plan = await api.request<{
      mailboxes: {
        total: number;
        items: Array<{ counts: { created: number } | null; changes: Array<{ name?: string }> }>;
      };
    }>('GET', `/api/runs/${runs.body.items[0].id}/preview?limit=50`);
    expect(plan.body.mailboxes.total).toBe(mailboxes);
    const planned = plan.body.mailboxes.items.filter((i) => i.counts);
    const perMailbox = new Set(planned.map((i) => i.counts!.created));
    expect(perMailbox.size).toBe(1);
    expect([...perMailbox][0]).toBeGreaterThanOrEqual(12);
    expect(planned.reduce((n, i) => n + i.counts!.created, 0)).toBe(created);
    plannedMailboxes = planned.length;
    expect(planned[0].changes.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Tag der Deutschen Einheit', 'Allerheiligen']),
    );
    expect(await browser.axe(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const percent = page.getByTestId('run-percent');
    await until(async () => (await percent.textContent()) === '100 %', 90_000);
    const figure = page.locator('.mantine-Paper-root', {
      has: page.getByText('Events created', { exact: true }),
    });
    await until(async () => (await figure.textContent()) === `Events created${created}`);
    const runId = page.url().split('/').pop()!;
    const run = await api.request<{ status: string; items: { created: number } }>(
      'GET',
      `/api/runs/${runId}`,
    );
    expect([run.body.status, run.body.items.created]).toEqual(['succeeded', created]);
    // Each planned mailbox was brought in step (the others, e.g. on-premises without an EWS
    // connection, are skipped by the plan and the preview alike).
    const names = (await h.dataSource.query(
      "SELECT COUNT(*) AS n FROM run_mailbox WHERE run_id = ? AND outcome = 'succeeded'",
      [runId],
    )) as Array<{ n: number }>;
    expect(Number(names[0].n)).toBe(plannedMailboxes);
  }, 180_000);

  it('a malformed .ics shows its line and reason next to the file and stores nothing', async () => {
    await page.goto(h.baseUrl + '/calendars/new');
    await page.getByLabel('List name').fill('Team events');
    await page.getByRole('button', { name: 'Add a source' }).click();
    await page.getByRole('menuitem', { name: 'Uploaded .ics file' }).click();
    await page.getByRole('button', { name: 'Create calendar list' }).click();
    await page.waitForURL(/\/calendars\/[0-9a-f-]{36}$/);
    uploadListId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'Uploaded files' }).waitFor();

    const upload = async (name: string, body: string) => {
      await page
        .locator('input[type="file"]')
        .setInputFiles({ name, mimeType: 'text/calendar', buffer: Buffer.from(body) });
      await page.getByRole('button', { name: 'Upload .ics for upload' }).click();
    };
    await upload('broken.ics', MALFORMED_ICS);
    const file = page.getByRole('button', { name: /iCalendar file \(upload\)/ });
    await until(async () => (await file.getAttribute('aria-invalid')) === 'true');
    expect(await describedBy(page, file)).toContain(
      'Refused, nothing stored: line 4: not a content line (NAME;PARAMS:VALUE)',
    );
    expect(await entryRows()).toBe(0);
    expect(await browser.axe(page)).toEqual([]);

    await upload('team.ics', GOOD_ICS);
    await visible(text(/^2 events stored \(1 series, 0 cancelled occurrences\)/));
    expect(await entryRows()).toBe(2);
  }, 60_000);

  it('a feed URL that is not https is refused next to its field; manual events are added with their problems shown', async () => {
    const settingsNow = async () =>
      JSON.parse(
        (
          (await h.dataSource.query('SELECT settings FROM calendar_list WHERE id = ?', [
            uploadListId,
          ])) as Array<{ settings: string }>
        )[0].settings,
      ) as { sources: Array<{ id: string; kind: string }> };
    await page.getByRole('button', { name: 'Add a source' }).click();
    await page.getByRole('menuitem', { name: 'iCalendar feed (URL)' }).click();
    const feed = page
      .getByRole('group', { name: 'Source 2: iCalendar feed (URL)' })
      .getByLabel('Feed URL');
    await feed.fill('http://calendar.example.com/team.ics');
    await page.getByRole('button', { name: 'Save calendar list' }).click();
    await until(async () => (await feed.getAttribute('aria-invalid')) === 'true');
    expect(await describedBy(page, feed)).toContain('expected an https:// URL without credentials');
    expect((await settingsNow()).sources).toEqual([{ id: 'upload', kind: 'ics-upload' }]);

    await page.getByRole('button', { name: 'Remove source 2' }).click();
    await page.getByRole('button', { name: 'Add a source' }).click();
    await page.getByRole('menuitem', { name: 'Manual events' }).click();
    await page.getByRole('button', { name: 'Save calendar list' }).click();
    await page.getByRole('heading', { name: 'Manual events' }).waitFor();
    expect((await settingsNow()).sources).toEqual([
      { id: 'upload', kind: 'ics-upload' },
      { id: 'manual', kind: 'manual' },
    ]);

    const form = page.getByRole('form', { name: 'New event (manual)' });
    await form.getByLabel('Subject').fill('Summer party');
    await form.getByLabel('Starts').fill('2027-07-02');
    await form.getByLabel(/^Ends/).fill('2027-07-02');
    await form.getByRole('button', { name: 'Add event' }).click();
    const ends = form.getByLabel(/^Ends/);
    await until(async () => (await ends.getAttribute('aria-invalid')) === 'true');
    expect((await describedBy(page, ends)).join(' ')).toContain('must be after the start date');
    expect(await entryRows()).toBe(2);
    await ends.fill('2027-07-03');
    await form.getByRole('button', { name: 'Add event' }).click();
    const table = page.getByRole('table', { name: 'Manual events (manual)' });
    await visible(table.getByText('Summer party'));
    await visible(table.getByText(/^2027-07-02 \(all day/));
    expect(await entryRows()).toBe(3);
    expect(await browser.axe(page)).toEqual([]);
  }, 60_000);

  it('EWS: a validation error next to its field; test connection with a wrong password shows its code and sentence, with the right one succeeds', async () => {
    await page.getByRole('link', { name: 'Exchange on-premises' }).click();
    const form = page.getByRole('form', { name: 'EWS connection' });
    await visible(text('Not configured'));
    await form.getByLabel('EWS server URL').fill(h.sim.info.ewsUrl.replace('https:', 'http:'));
    await form.getByLabel('Service account').fill(EWS_USER);
    await form.getByLabel(/^Password/).fill(WRONG_PASSWORD);
    await form.getByLabel('Mailbox to impersonate in a test').fill(onPremMail);
    await form.getByLabel('CA certificate (PEM)').fill(h.sim.caPem);
    await form.getByRole('button', { name: 'Save connection' }).click();
    const url = form.getByLabel('EWS server URL');
    await until(async () => (await url.getAttribute('aria-invalid')) === 'true');
    expect(await describedBy(page, url)).toContainEqual(
      expect.stringContaining('the EWS URL must start with https://'),
    );
    expect(await h.dataSource.query('SELECT id FROM ews_connection')).toEqual([]);

    await url.fill(h.sim.info.ewsUrl);
    await form.getByRole('button', { name: 'Save connection' }).click();
    await visible(text('Password set'));
    await visible(text('Configured'));
    // Write-only: the field is empty again and says a password is stored.
    expect(await form.getByLabel(/^Password/).inputValue()).toBe('');
    await visible(form.getByText(/A password is set\. It is never shown/));
    await visible(form.getByText(/A CA certificate is set/));
    expect(await h.dataSource.query('SELECT auth_mode AS mode FROM ews_connection')).toEqual([
      { mode: 'ntlm' },
    ]);

    await page.getByRole('button', { name: 'Test connection' }).click();
    const outcome = page.getByTestId('ews-test-result');
    await visible(outcome.getByText('Connection failed'));
    await visible(outcome.getByText('ews_sign_in_failed'));
    expect(await outcome.textContent()).toMatch(/password/);
    expect(await browser.axe(page)).toEqual([]);

    await form.getByLabel(/^Password/).fill(EWS_PASSWORD);
    await form.getByRole('button', { name: 'Save connection' }).click();
    await until(async () => (await form.getByLabel(/^Password/).inputValue()) === '');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await visible(outcome.getByText('Connection works'));
    await visible(
      outcome.getByText(
        `signed in and opened the Contacts folder of ${onPremMail} through impersonation`,
      ),
    );
    // The CA certificate was kept though the form did not send it again.
    const [{ ca }] = (await h.dataSource.query(
      'SELECT ca_certificate AS ca FROM ews_connection',
    )) as Array<{ ca: string }>;
    expect(ca.replace(/\s+/g, '')).toBe(h.sim.caPem.replace(/\s+/g, ''));
    const html = await page.content();
    expect([html.includes(EWS_PASSWORD), html.includes(WRONG_PASSWORD)]).toEqual([false, false]);

    // An EWS-only organisation's address list (not on this form) survives a save from the form.
    const gal = '0b7c7a4e-5f0e-4c2b-9a51-3d2f7e8c9a10';
    await h.dataSource.query('UPDATE ews_connection SET address_list_id = ?', [gal]);
    await page.reload();
    await visible(text('Configured'));
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/ews') && r.request().method() === 'PUT',
    );
    await page
      .getByRole('form', { name: 'EWS connection' })
      .getByRole('button', { name: 'Save connection' })
      .click();
    expect((await saved).status()).toBe(200);
    expect(await h.dataSource.query('SELECT address_list_id AS gal FROM ews_connection')).toEqual([
      { gal },
    ]);
  }, 90_000);

  it('the new screens fit 390 px without sideways scrolling, and axe finds no serious or critical violation, light or dark', async () => {
    const screens = [
      h.baseUrl + '/calendars',
      `${h.baseUrl}/calendars/${holidayListId}`,
      `${h.baseUrl}/calendars/${uploadListId}`,
      h.baseUrl + '/calendars/new',
      h.baseUrl + '/ews',
    ];
    const problems: Array<{ url: string; width: number; overflow: string[]; axe: string[] }> = [];
    const check = async (url: string, width: number) => {
      const { overflow, axe } = await browser.screenProblems(page, url);
      if (overflow.length || axe.length) problems.push({ url, width, overflow, axe });
    };
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 844 });
      for (const url of screens) await check(url, width);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const url of screens) await check(url, 1280);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  }, 120_000);

  it('a Viewer sees the lists and the connection but no mutating button', async () => {
    await browser.signInAs(page, h, h.tenant(0).viewerUpn);
    await page.goto(h.baseUrl + '/calendars');
    await visible(page.getByRole('link', { name: 'Holidays Bavaria' }));
    expect(await page.getByRole('link', { name: 'New calendar list' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Holidays Bavaria' }).click();
    await visible(text(/You can read this list/));
    expect(await page.getByLabel('List name').inputValue()).toBe('Holidays Bavaria');
    await page.goto(`${h.baseUrl}/calendars/${uploadListId}`);
    await visible(text('An administrator (Sync.Admin) uploads the files.'));
    const forbidden = [
      'Create calendar list',
      'Save calendar list',
      'Add a source',
      'Remove source 1',
      'Upload .ics',
      'Preview changes',
      'Sync now',
      'Delete calendar list…',
      'Add group',
      'Add everyone with a mailbox',
      'Set schedule',
      'Add event',
      'Edit event Summer party',
      'Save event',
      'Delete event',
      'Save connection',
      'Test connection',
      'Remove the connection',
    ];
    const seen: string[] = [];
    for (const url of [
      `${h.baseUrl}/calendars/${holidayListId}`,
      `${h.baseUrl}/calendars/${uploadListId}`,
      h.baseUrl + '/ews',
    ]) {
      await page.goto(url);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      for (const name of forbidden)
        if ((await page.getByRole('button', { name }).count()) > 0) seen.push(`${url}: ${name}`);
    }
    expect(seen).toEqual([]);
    await visible(text('Password set'));
    expect(await page.getByLabel(/^Password/).count()).toBe(0);
    expect(await browser.axe(page)).toEqual([]);
  }, 60_000);

  it('deleting a list removes its events from every mailbox, with the clean-up’s progress', async () => {
    await browser.signInAs(page, h, h.tenant(0).adminUpn);
    await page.goto(`${h.baseUrl}/calendars/${holidayListId}`);
    await page.getByRole('button', { name: 'Delete calendar list…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this calendar list?' });
    await visible(dialog.getByText(/events people created themselves.+are never touched/));
    await dialog.getByRole('button', { name: 'Delete and clean up' }).click();
    await page.waitForURL(/\/calendars\?cleanup=/);
    const progress = page.getByTestId('calendar-cleanup');
    await visible(progress);
    await until(
      async () => (await progress.getByText(/its events are gone from every mailbox/).count()) > 0,
      90_000,
    );
    const line = (await progress.getByRole('status').textContent())!;
    const m = /^(\d+) of (\d+) mailboxes cleaned, (\d+) events deleted$/.exec(line);
    expect([line, !!m && m[1] === m[2] && Number(m[3]) > 0]).toEqual([line, true]);
    expect(await page.getByRole('link', { name: 'Holidays Bavaria' }).count()).toBe(0);
    expect(await browser.axe(page)).toEqual([]);
  }, 120_000);
});
