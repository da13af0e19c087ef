import type { Locator, Page } from 'playwright-core';
import { ewsDirectoryId } from '@app/microsoft';
import type { AdminHarness, Browser } from './support/admin-harness';
import type { DashboardBrowser } from './support/dashboard-browser';
import { describedBy } from './support/described-by';
import { startDashboard } from './support/start-dashboard';
import { until } from './support/until';
import { visible } from './support/visible';

interface MailboxEvent {
  type: string;
  subject?: string;
  recurrence?: {
    pattern: { type: string; daysOfWeek?: string[] };
    range: { type: string; numberOfOccurrences?: number };
  } | null;
}

/**
 * Issue #22, the calendar list screen's leftovers and an EWS-only organisation (issue #21) in a
 * real browser (Debian's Chromium, headless) against the admin API, an in-process worker and
 * the simulator: a repeating manual event entered with a problem shown next to its field, then
 * synced as a series; the event edited, synced again; the mailbox-calendar source picked from
 * the directory; an Exchange Server organisation's settings, EWS form and user picker.
 */
describe('dashboard: manual events edited and repeating, the mailbox-calendar source, an EWS-only organisation', () => {
  const operatorToken = 'op-7d1e3a9c5b2f4e68a0c4d9b7e1f3a265';
  let h: AdminHarness;
  let browser: DashboardBrowser;
  let page: Page;
  let api: Browser;
  let listId: string;
  let target: { id: string; mail: string };
  const text = (s: string | RegExp) => page.getByText(s).first();
  const entryRows = () => h.count('calendar_entry');
  const eventsOf = async (userId: string): Promise<MailboxEvent[]> => {
    const res = await fetch(
      `${h.sim.baseUrl}/_sim/tenants/${h.sim.info.tenants[0].id}/users/${userId}/mailbox`,
      { dispatcher: h.dispatcher } as RequestInit,
    );
    return ((await res.json()) as { events: MailboxEvent[] }).events;
  };

  beforeAll(async () => {
    ({ h, api, browser, page } = await startDashboard({
      worker: true,
      sim: { tenants: 2, usersPerTenant: 12, seed: 22, ewsOnlyTenants: 1 },
      env: { OPERATOR_TOKEN: operatorToken },
    }));
    const user = [...h.sim.state.tenants[0].users.values()].find(
      (u) => !u.deleted && u.purpose === 'user' && u.mailbox === 'cloud' && u.user.mail,
    )!;
    target = { id: user.user.id!, mail: user.user.mail! };
    const created = await api.request<{ id: string }>('POST', '/api/calendar-lists', {
      body: { name: 'Team calendar', settings: { sources: [{ id: 'manual', kind: 'manual' }] } },
    });
    expect(created.status).toBe(201);
    listId = created.body.id;
    const targeted = await api.request('POST', `/api/calendar-lists/${listId}/targets`, {
      body: { kind: 'user', id: target.id },
    });
    expect(targeted.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  afterEach(() => browser.expectNoPageErrors());

  async function choose(select: Locator, option: string): Promise<void> {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  /** At 390 px the page does not scroll sideways (once the layout has settled after the resize). */
  async function fitsPhoneWidth(): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await until(async () => (await browser.overflowX(page)) === 0, 5_000).catch(() => undefined);
      expect([await browser.overflowX(page), await browser.overflowing(page)]).toEqual([0, []]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  }

  /** "Sync now" on the list's page, then the run page until it says 100 %. */
  async function syncNow(): Promise<void> {
    await page.goto(`${h.baseUrl}/calendars/${listId}`);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const percent = page.getByTestId('run-percent');
    await until(async () => (await percent.textContent()) === '100 %', 90_000);
    const run = await api.request<{ status: string }>(
      'GET',
      `/api/runs/${page.url().split('/').pop()}`,
    );
    expect(run.body.status).toBe('succeeded');
  }

  it('a repeating event: a day-less weekly rule is refused next to its days, then the series reaches the mailbox', async () => {
    await browser.signInAs(page, h, h.tenant(0).adminUpn);
    await page.goto(`${h.baseUrl}/calendars/${listId}`);
    await page.getByRole('heading', { name: 'Manual events' }).waitFor();
    const form = page.getByRole('form', { name: 'New event (manual)' });
    await form.getByLabel('Subject').fill('Team lunch');
    await form.getByLabel('All day').uncheck();
    await form.getByLabel('Starts').fill('2027-03-02T12:00');
    await form.getByLabel(/^Ends/).fill('2027-03-02T13:00');
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await choose(form.getByRole('combobox', { name: 'Repeats' }), 'Weekly');
    // Weekly starts on the start's weekday (2 March 2027 is a Tuesday); without a day it is refused.
    const days = form.getByRole('group', { name: 'On days' });
    expect(await days.getByLabel('Tue').isChecked()).toBe(true);
    await days.getByLabel('Tue').uncheck();
    await form.getByRole('button', { name: 'Add event' }).click();
    await until(async () => (await describedBy(page, days)).join(' ').includes('at least one day'));
    expect(await entryRows()).toBe(0);
    expect(await browser.axe(page)).toEqual([]);
    // The form with its recurrence fields fits a phone's width.
    await fitsPhoneWidth();

    await days.getByLabel('Tue').check();
    await days.getByLabel('Thu').check();
    await choose(form.getByRole('combobox', { name: 'Series ends' }), 'After a number of times');
    await form.getByLabel('Number of times').fill('6');
    await form.getByRole('button', { name: 'Add event' }).click();
    const table = page.getByRole('table', { name: 'Manual events (manual)' });
    await visible(table.getByText('Team lunch'));
    await visible(table.getByText('Repeats weekly on Tue, Thu, 6 times'));
    expect(await form.getByLabel('Subject').inputValue()).toBe('');
    const stored = await api.request<{ items: Array<{ recurrence: unknown }> }>(
      'GET',
      `/api/calendar-lists/${listId}/sources/manual/events`,
    );
    expect(stored.body.items.map((e) => e.recurrence)).toEqual([
      {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: ['tuesday', 'thursday'],
          firstDayOfWeek: 'monday',
        },
        range: { type: 'numbered', startDate: '2027-03-02', numberOfOccurrences: 6 },
      },
    ]);

    await syncNow();
    const masters = (await eventsOf(target.id)).filter((e) => e.type === 'seriesMaster');
    expect(masters.map((e) => [e.subject, e.recurrence?.range.numberOfOccurrences])).toEqual([
      ['Team lunch', 6],
    ]);
    expect(masters[0].recurrence?.pattern.daysOfWeek).toEqual(['tuesday', 'thursday']);
  }, 180_000);

  it('editing an event: the form holds it, a problem shows next to its field, the change reaches the mailbox', async () => {
    await page.goto(`${h.baseUrl}/calendars/${listId}`);
    await page.getByRole('button', { name: 'Edit event Team lunch' }).click();
    const form = page.getByRole('form', { name: 'Edit event (manual)' });
    await visible(form.getByText('Editing “Team lunch”'));
    expect(await form.getByLabel('Subject').inputValue()).toBe('Team lunch');
    expect(await form.getByLabel('Starts').inputValue()).toBe('2027-03-02T12:00');
    expect(await form.getByRole('combobox', { name: 'Repeats' }).inputValue()).toBe('Weekly');
    const times = form.getByLabel('Number of times');
    expect(await times.inputValue()).toBe('6');

    await times.fill('0');
    await form.getByRole('button', { name: 'Save event' }).click();
    await until(async () => (await times.getAttribute('aria-invalid')) === 'true');
    expect((await describedBy(page, times)).join(' ')).toMatch(/>=\s*1|at least 1|too small/i);
    expect(await browser.axe(page)).toEqual([]);

    await times.fill('4');
    await form.getByLabel('Subject').fill('Team lunch (moved)');
    await form.getByRole('button', { name: 'Save event' }).click();
    const table = page.getByRole('table', { name: 'Manual events (manual)' });
    await visible(table.getByText('Team lunch (moved)'));
    await visible(table.getByText('Repeats weekly on Tue, Thu, 4 times'));
    await page.getByRole('form', { name: 'New event (manual)' }).waitFor();
    expect(await entryRows()).toBe(1);

    await syncNow();
    const masters = (await eventsOf(target.id)).filter((e) => e.type === 'seriesMaster');
    expect(masters.map((e) => [e.subject, e.recurrence?.range.numberOfOccurrences])).toEqual([
      ['Team lunch (moved)', 4],
    ]);
  }, 180_000);

  it('the mailbox-calendar source: no mailbox is refused next to the picker; the one picked is stored by id and named again', async () => {
    const person = [...h.sim.state.tenants[0].users.values()]
      .filter((u) => !u.deleted && u.purpose === 'user' && (u.user.displayName ?? '').includes(' '))
      .map((u) => u.user)[2];
    const last = person.displayName!.split(' ').pop()!;
    await page.goto(h.baseUrl + '/calendars/new');
    await page.getByLabel('List name').fill('Board calendar');
    await page.getByRole('button', { name: 'Add a source' }).click();
    await page.getByRole('menuitem', { name: 'A mailbox’s calendar' }).click();
    const source = page.getByRole('group', { name: 'Source 1: A mailbox’s calendar' });
    const picker = source.getByRole('combobox', { name: 'Mailbox' });
    await page.getByRole('button', { name: 'Create calendar list' }).click();
    await until(async () => (await picker.getAttribute('aria-invalid')) === 'true');
    expect((await describedBy(page, picker)).join(' ')).not.toBe('');
    expect(
      await h.dataSource.query("SELECT id FROM calendar_list WHERE name = 'Board calendar'"),
    ).toEqual([]);

    await picker.fill(last.slice(0, 3));
    const option = page.getByRole('option', { name: new RegExp(`^${person.displayName}`) });
    await option.click();
    await source.getByLabel('Calendar name').fill('Board');
    await page.getByRole('button', { name: 'Create calendar list' }).click();
    await page.waitForURL(/\/calendars\/[0-9a-f-]{36}$/);
    const [row] = (await h.dataSource.query(
      "SELECT settings FROM calendar_list WHERE name = 'Board calendar'",
    )) as Array<{ settings: string }>;
    expect(JSON.parse(row.settings).sources).toEqual([
      { id: 'mailbox', kind: 'mailbox-calendar', mailboxId: person.id, calendarName: 'Board' },
    ]);
    await page.reload();
    const again = page
      .getByRole('group', { name: 'Source 1: A mailbox’s calendar' })
      .getByRole('combobox', { name: 'Mailbox' });
    await until(async () => (await again.inputValue()).startsWith(person.displayName!));
    expect(await browser.axe(page)).toEqual([]);
  }, 90_000);

  it('an Exchange Server organisation: settings name it and its EWS server, the EWS form keeps its GAL, the picker searches its GAL', async () => {
    const gal = h.sim.info.tenants[1];
    const created = await h
      .browser(operatorToken)
      .request<{ organization: { id: string }; apiToken: { token: string } }>(
        'POST',
        '/ops/organizations/ews-only',
        {
          body: {
            displayName: 'Fabrikam (on-premises)',
            ews: {
              serverUrl: h.sim.info.ewsUrl,
              username: h.sim.info.ewsAccounts[0].userName,
              password: 'Sim-Ews-Passw0rd',
              impersonationAddress: gal.adminUpn,
              addressListId: gal.galId,
              caCertificate: h.sim.caPem,
            },
            adminToken: { name: 'Fabrikam IT' },
          },
        },
      );
    expect(created.status).toBe(201);
    const org = h.browser(created.body.apiToken.token);
    const msp = h.sim.state.tenants[0];
    expect(
      (
        await org.request('POST', '/api/tenant/operators', {
          body: { operatorTenantId: msp.id, operatorObjectId: msp.adminUserId, role: 'admin' },
        })
      ).status,
    ).toBe(201);
    const board = await org.request<{ id: string }>('POST', '/api/calendar-lists', {
      body: { name: 'Plant shifts', settings: { sources: [{ id: 'manual', kind: 'manual' }] } },
    });
    expect(board.status).toBe(201);

    await page.goto(h.baseUrl + '/');
    await choose(
      page.getByRole('combobox', { name: 'Organization' }),
      'Fabrikam (on-premises) (Admin)',
    );
    await visible(text(/You act for Fabrikam \(on-premises\) as Admin/));
    await page.getByRole('link', { name: 'Organization', exact: true }).click();
    const org0 = page.getByTestId('exchange-organisation');
    await visible(org0.getByText(/Exchange Server on-premises organisation/));
    await visible(org0.getByText(`EWS server: ${h.sim.info.ewsUrl}`));
    await visible(org0.getByText(`Global Address List id: ${gal.galId}`));
    expect(await page.getByText('Microsoft tenant id').count()).toBe(0);
    expect(await page.getByText('Permissions missing').count()).toBe(0);
    expect(await browser.axe(page)).toEqual([]);
    await fitsPhoneWidth();

    // The EWS form shows the GAL id and sends it back: saving does not cut the directory off.
    await org0.getByRole('link', { name: 'Exchange on-premises connection' }).click();
    const form = page.getByRole('form', { name: 'EWS connection' });
    expect(await form.getByLabel('Global Address List id').inputValue()).toBe(gal.galId);
    await form.getByRole('button', { name: 'Save connection' }).click();
    await visible(text('Saved. Test the connection to check it.'));
    const [conn] = (await h.dataSource.query(
      'SELECT address_list_id AS gal FROM ews_connection WHERE tenant_id = ?',
      [created.body.organization.id],
    )) as Array<{ gal: string | null }>;
    expect(conn.gal).toBe(gal.galId);

    // The user picker of the targets searches the GAL (FindPeople with a query string).
    const person = [...h.sim.state.tenants[1].users.values()]
      .filter(
        (u) =>
          !u.deleted && u.purpose === 'user' && u.user.surname && u.user.mail && u.user.givenName,
      )
      .map((u) => u.user)[1];
    const searches = () =>
      h.sim.state.ewsStats.recorded.filter((r) => r.operation === 'FindPeople').length;
    const before = searches();
    await page.goto(`${h.baseUrl}/calendars/${board.body.id}`);
    const picker = page.getByRole('combobox', { name: 'Person' });
    await picker.fill(person.surname!.slice(0, 3));
    await page.getByRole('option', { name: new RegExp(`^${person.displayName}`) }).click();
    await page.getByRole('button', { name: 'Add person' }).click();
    await visible(
      page.getByRole('table', { name: 'Targets' }).getByText(`Person: ${person.displayName}`),
    );
    expect(searches()).toBeGreaterThan(before);
    const targets = await org.request<Array<{ objectId: string }>>(
      'GET',
      `/api/calendar-lists/${board.body.id}/targets`,
    );
    expect(targets.body.map((t) => t.objectId)).toEqual([
      ewsDirectoryId(person.mail!.toLowerCase()),
    ]);
  }, 120_000);
});
