import type { Page } from 'playwright-core';
import type { AdminHarness, Browser } from './support/admin-harness';
import { ourItems, simContacts, waitRun } from './support/admin-sim';
import type { DashboardBrowser } from './support/dashboard-browser';
import { describedBy } from './support/described-by';
import { startDashboard } from './support/start-dashboard';
import { until } from './support/until';
import { visible } from './support/visible';

interface RunView {
  status: string;
  mailboxes: { total: number; succeeded: number; failed: number };
}

/**
 * Issue #22, the admin's screens beyond onboarding, in a real browser (Debian's Chromium,
 * headless) against the admin API, an in-process worker and the simulator: a list's manual and
 * CSV entries (the asynchronous all-or-nothing import job), its options and schedule, MSP
 * operators and their tenant switcher, and clean up and revoke to the end.
 */
describe('dashboard: entries, options, operators, clean-up and revoke in a browser', () => {
  let h: AdminHarness;
  let browser: DashboardBrowser;
  let page: Page;
  let api: Browser;
  let tenantId: string;
  let listId: string;
  let listUrl: string;
  let members: string[];
  let mailboxesSynced: number;
  const text = (s: string | RegExp) => page.getByText(s).first();

  beforeAll(async () => {
    // The customer's admin onboards and syncs one list to a small group (through the API: the
    // onboarding journey has its own browser test), so the clean-up has items to remove.
    ({ h, api, browser, page } = await startDashboard({
      worker: true,
      sim: { tenants: 2, usersPerTenant: 16, seed: 22 },
    }));
    tenantId = (await api.request<{ id: string }>('GET', '/api/tenant')).body.id;
    const list = await api.request<{ id: string }>('POST', '/api/lists', {
      body: {
        name: 'Company directory',
        settings: { sources: [{ id: 'dir', kind: 'directory' }] },
      },
    });
    expect(list.status).toBe(201);
    listId = list.body.id;
    listUrl = `${h.baseUrl}/lists/${listId}`;
    const sim = h.sim.state.tenants[0];
    const group = [...sim.groups.values()]
      .filter((g) => g.memberUserIds.length >= 2 && g.memberUserIds.length <= 6)
      .sort((a, b) => a.memberUserIds.length - b.memberUserIds.length)[0];
    members = group.memberUserIds;
    expect(
      (
        await api.request('POST', `/api/lists/${listId}/targets`, {
          body: { kind: 'group', id: group.group.id },
        })
      ).status,
    ).toBe(201);
    const started = await api.request<{ runId: string }>('POST', `/api/lists/${listId}/sync`);
    const run = await waitRun<RunView>(api, started.body.runId, 90_000);
    expect(run.status).toBe('succeeded');
    mailboxesSynced = run.mailboxes.total;
    expect(mailboxesSynced).toBeGreaterThan(0);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const signInAs = (upn: string, landing: RegExp) => browser.signInAs(page, h, upn, landing);

  const entryCount = async () =>
    (await api.request<{ total: number }>('GET', `/api/lists/${listId}/entries`)).body.total;

  async function uploadCsv(csv: string): Promise<void> {
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload CSV' }).click();
  }

  it('a CSV upload with two bad rows shows both rows’ errors and stores nothing', async () => {
    await signInAs(h.tenant(0).adminUpn, /^\/lists$/);
    await page.goto(listUrl);
    await page.getByRole('heading', { name: 'Manual entries' }).waitFor();
    await visible(text(/No manual entry yet/));
    await uploadCsv(
      [
        'displayName,emailAddresses,mobilePhone',
        'Ada Lovelace,ada@example.com,+44 20 7946 0958',
        'Broken Mail,not-an-email,',
        'Grace Hopper,grace@example.com,+1 425 555 0100',
        ',,',
        '',
      ].join('\n'),
    );
    const refused = page
      .getByRole('alert')
      .filter({ hasText: 'CSV refused: nothing was imported' });
    await visible(refused);
    const rows = await refused
      .getByRole('table', { name: 'Refused rows' })
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)),
      );
    // Line 3: the address is not one (so there is no key either); line 5: no name at all.
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['3', 'emailAddresses'],
      ['3', 'key'],
      ['5', 'displayName'],
      ['5', 'key'],
    ]);
    expect(rows[0][2]).toContain('not-an-email');
    expect(rows[2][2]).toBe('a row needs a name, a company or an e-mail');
    await visible(refused.getByText(/4 problems in the file; the list’s entries are unchanged/));
    // All or nothing: the two good rows were not stored either.
    expect(await entryCount()).toBe(0);
    expect((await h.counts()).list_entry).toBe(0);
    expect(await h.dataSource.query('SELECT status FROM import_job')).toEqual([
      { status: 'failed' },
    ]);
    expect(await browser.axe(page)).toEqual([]);

    // The fixed file imports, and the entries table shows it without a reload.
    await uploadCsv(
      [
        'displayName,emailAddresses,mobilePhone',
        'Ada Lovelace,ada@example.com,+44 20 7946 0958',
        'Grace Hopper,grace@example.com,+1 425 555 0100',
        '',
      ].join('\n'),
    );
    await visible(text('2 entries imported'));
    const table = page.getByRole('table', { name: 'Manual entries' });
    await visible(table.getByText('Ada Lovelace'));
    await visible(table.getByText('Grace Hopper'));
    expect(await entryCount()).toBe(2);
  }, 90_000);

  it('adds, edits and deletes manual entries, with the API’s problem next to its field', async () => {
    await page.getByRole('button', { name: 'Add an entry' }).click();
    const dialog = page.getByRole('dialog', { name: 'New entry' });
    await dialog.getByLabel('Display name').fill('Reception');
    await dialog.getByLabel('E-mail').fill('reception@example.com');
    await dialog.getByLabel('Business phone').fill('ask reception');
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    const phone = dialog.getByLabel('Business phone');
    await until(async () => (await phone.getAttribute('aria-invalid')) === 'true');
    expect(await describedBy(page, phone)).toContain('invalid phone: "ask reception"');
    expect(await entryCount()).toBe(2);
    expect(await browser.axe(page)).toEqual([]);

    await phone.fill('+44 20 7946 0000');
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const table = page.getByRole('table', { name: 'Manual entries' });
    await visible(table.getByText('Reception'));
    expect(await entryCount()).toBe(3);

    // Edit: a field changes, the others stay.
    await page.getByRole('button', { name: 'Edit entry Reception' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit entry' });
    expect(await edit.getByLabel('E-mail').inputValue()).toBe('reception@example.com');
    await edit.getByLabel('Display name').fill('Front desk');
    await edit.getByRole('button', { name: 'Save entry' }).click();
    await edit.waitFor({ state: 'hidden' });
    await visible(table.getByText('Front desk'));
    const found = await api.request<{ items: Array<{ fields: Record<string, string> }> }>(
      'GET',
      `/api/lists/${listId}/entries?email=reception@example.com`,
    );
    expect(found.body.items.map((e) => e.fields)).toEqual([
      {
        displayName: 'Front desk',
        emailAddresses: 'reception@example.com',
        businessPhones: '+44 20 7946 0000',
      },
    ]);

    // Delete, after a confirmation that says what happens.
    await page.getByRole('button', { name: 'Delete entry Grace Hopper' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this entry?' });
    await visible(confirm.getByText(/the next run removes this contact from every mailbox/));
    await confirm.getByRole('button', { name: 'Delete entry' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await table.getByText('Grace Hopper').waitFor({ state: 'detached' });
    expect(await entryCount()).toBe(2);
  }, 60_000);

  it('saves the list’s sources, folder, phone region, photos, a field policy and a schedule', async () => {
    const options = page.getByRole('form', { name: 'List options' });
    await options.getByLabel('Manual and CSV entries (below)').check();
    await options.getByRole('radio', { name: /A folder of their own/ }).check();
    await options.getByRole('button', { name: 'Save options' }).click();
    // The API's problem, next to its field.
    const folderName = options.getByLabel('Folder name');
    await until(async () => (await folderName.getAttribute('aria-invalid')) === 'true');
    expect(await describedBy(page, folderName)).toContain('required for a dedicated folder');

    await options.getByRole('radio', { name: /The default Contacts folder/ }).check();
    await options.getByLabel('Category').fill('Company');
    await options.getByRole('combobox', { name: 'Phone region' }).fill('Germany');
    await page.getByRole('option', { name: 'Germany (DE)' }).click();
    await options.getByLabel('Contact photos').check();
    await options.getByRole('button', { name: 'Add a policy for one field' }).click();
    await options.getByRole('combobox', { name: 'Field of policy 1' }).click();
    await page.getByRole('option', { name: 'mobilePhone', exact: true }).click();
    await options.getByRole('button', { name: 'Save options' }).click();
    await visible(text('Options saved. The next run applies them.'));
    const [row] = (await h.dataSource.query(
      'SELECT default_region AS region, settings FROM contact_list WHERE id = ?',
      [listId],
    )) as Array<{ region: string; settings: string }>;
    const settings = JSON.parse(row.settings) as Record<string, unknown>;
    expect(row.region).toBe('DE');
    expect(settings).toMatchObject({
      sources: [
        { id: 'dir', kind: 'directory' },
        { id: 'manual', kind: 'manual' },
      ],
      folder: { mode: 'default', category: 'Company' },
      photos: true,
      policy: { fieldPolicies: { mobilePhone: 'write' } },
    });

    const schedule = page.getByRole('form', { name: 'Schedule' });
    await visible(text(/No schedule: the list runs when someone presses “Sync now”/));
    await schedule.getByRole('combobox', { name: 'Runs' }).click();
    await page.getByRole('option', { name: 'Working days at 06:00' }).click();
    await schedule.getByRole('button', { name: 'Set schedule' }).click();
    await visible(text(/^Next runs: /));
    expect(
      await h.dataSource.query('SELECT cron, enabled FROM schedule WHERE list_id = ?', [listId]),
    ).toEqual([{ cron: '0 6 * * 1-5', enabled: expect.anything() }]);
    expect(await browser.axe(page)).toEqual([]);
  }, 60_000);

  it('an operator switches tenant and sees only what the grant allows: a Viewer sees no mutating button, and the API refuses them anyway', async () => {
    const msp = h.sim.state.tenants[1];
    const mspAdmin = msp.users.get(msp.adminUserId)!.user;
    // The customer's admin grants the MSP's admin Viewer.
    await page.getByRole('link', { name: 'Operators' }).click();
    await visible(text('No operator yet'));
    await page.getByLabel('Operator’s tenant id').fill(msp.id);
    await page.getByLabel('Operator’s object id').fill(mspAdmin.id);
    await page.getByLabel('Label').fill('Northwind MSP');
    await page.getByRole('button', { name: 'Grant access' }).click();
    const grants = page.getByRole('table', { name: 'Operator grants' });
    await visible(grants.getByText('Northwind MSP'));
    await visible(grants.getByText('Viewer'));
    expect(
      await h.dataSource.query('SELECT role, operator_object_id AS oid FROM operator_grant'),
    ).toEqual([{ role: 'viewer', oid: mspAdmin.id }]);
    expect(await browser.axe(page)).toEqual([]);

    // The operator signs in: their own organization is no customer, so it starts onboarding.
    await signInAs(mspAdmin.userPrincipalName!, /^\/onboarding$/);
    const switcher = page.getByRole('combobox', { name: 'Organization' });
    await switcher.click();
    const options = page.getByRole('option');
    expect(await options.allTextContents()).toEqual([
      'My organization',
      expect.stringMatching(/\(Viewer\)$/),
    ]);
    await options.nth(1).click();
    await page.waitForURL(h.baseUrl + '/lists');
    await visible(page.getByRole('link', { name: 'Company directory' }));
    await visible(text(/You act for .+ as Viewer: you can read, not change\./));
    expect(await page.getByRole('link', { name: 'New list' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Company directory' }).click();
    await visible(page.getByRole('table', { name: 'Manual entries' }).getByText('Front desk'));
    await visible(text(/^Next runs: /));
    for (const name of [
      'Sync now',
      'Preview changes',
      'Save list',
      'Add group',
      'Add everyone with a mailbox',
      'Save options',
      'Add an entry',
      'Upload CSV',
      'Save schedule',
      'Remove schedule',
      'Edit entry Front desk',
      'Delete entry Front desk',
    ])
      expect([name, await page.getByRole('button', { name }).count()]).toEqual([name, 0]);
    await page.getByRole('link', { name: 'Organization' }).click();
    await page.getByRole('heading', { name: 'Clean up and revoke' }).waitFor();
    await visible(text('An administrator (Sync.Admin) can do this.'));
    expect(await page.getByRole('button', { name: /Clean up and revoke/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'Operators' }).click();
    await visible(text('Only this organization’s own administrators manage operators'));
    expect(await page.getByRole('button', { name: 'Grant access' }).count()).toBe(0);
    expect(await browser.axe(page)).toEqual([]);

    // The API refuses the same changes from this browser, acting for the tenant.
    const before = await h.counts();
    const refused = await page.evaluate(
      async ({ listId, tenantId }) => {
        const headers = { 'X-Tenant-Id': tenantId };
        const me = (await (await fetch('/api/auth/me', { headers })).json()) as {
          csrfToken: string;
          role: string;
        };
        const post = async (path: string, body?: unknown) => {
          const res = await fetch(path, {
            method: 'POST',
            headers: {
              ...headers,
              'X-CSRF-Token': me.csrfToken,
              'Content-Type': 'application/json',
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          return [path, res.status, ((await res.json()) as { error: string }).error];
        };
        return {
          role: me.role,
          answers: [
            await post(`/api/lists/${listId}/sync`),
            await post(`/api/lists/${listId}/entries`, { fields: { displayName: 'Intruder' } }),
            await post('/api/tenant/cleanup'),
          ],
        };
      },
      { listId, tenantId },
    );
    expect(refused).toEqual({
      role: 'viewer',
      answers: [
        [`/api/lists/${listId}/sync`, 403, 'forbidden'],
        [`/api/lists/${listId}/entries`, 403, 'forbidden'],
        ['/api/tenant/cleanup', 403, 'forbidden'],
      ],
    });
    expect(await h.counts()).toEqual(before);

    // Back to their own organization: the customer's lists are gone from view.
    await page.getByRole('combobox', { name: 'Organization' }).click();
    await page.getByRole('option', { name: 'My organization' }).click();
    await page.waitForURL(h.baseUrl + '/onboarding');
    expect(await text(/You act for/).count()).toBe(0);
  }, 90_000);

  it('the screens fit 390 px without sideways scrolling, and axe finds no serious or critical violation, light or dark', async () => {
    await signInAs(h.tenant(0).adminUpn, /^\/lists$/);
    const screens = [listUrl, h.baseUrl + '/operators', h.baseUrl + '/settings'];
    const problems: Array<{ url: string; width: number; overflow: string[]; axe: string[] }> = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 844 });
      for (const url of screens) {
        const { overflow, axe } = await browser.screenProblems(page, url);
        if (overflow.length || axe.length) problems.push({ url, width, overflow, axe });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // The dark system theme too.
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const url of screens) {
      await page.goto(url);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
      const axe = (await browser.axe(page)).map(
        (v) => `${v.id}: ${v.nodes.map((n) => n.why).join(' | ')}`,
      );
      if (axe.length) problems.push({ url, width: 1280, overflow: [], axe });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 90_000);

  it('revoke with clean-up: the confirmation states what goes, then the progress runs to the end', async () => {
    await page.goto(h.baseUrl + '/settings');
    await page.getByRole('button', { name: 'Clean up and revoke…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clean up and revoke?' });
    const lists = dialog.getByRole('list', { name: 'Lists to clean up' });
    await visible(lists);
    expect(await lists.getByRole('listitem').allTextContents()).toEqual([
      `Company directory: ${mailboxesSynced} ${mailboxesSynced === 1 ? 'mailbox' : 'mailboxes'}`,
    ]);
    await visible(dialog.getByText(/Our sync logs, caches and list snapshots/));
    await visible(dialog.getByText(/Contacts people created themselves are never touched/));
    expect(await browser.axe(page)).toEqual([]);
    const go = dialog.getByRole('button', { name: 'Clean up and revoke' });
    expect(await go.isDisabled()).toBe(true);
    await dialog.getByLabel('Type REVOKE to confirm').fill('REVOKE');
    expect(await go.isDisabled()).toBe(false);
    expect(
      (await h.dataSource.query('SELECT status FROM tenant WHERE id = ?', [tenantId]))[0],
    ).toEqual({ status: 'active' });
    await go.click();

    const progress = page.getByTestId('cleanup-progress');
    await visible(progress);
    const seen = new Set<string>();
    const percent = page.getByTestId('cleanup-percent');
    await until(async () => {
      seen.add((await percent.textContent()) ?? '');
      return (await progress.getByText('Cleaned up and revoked').count()) > 0;
    }, 90_000);
    expect(await percent.textContent()).toBe('100 %');
    await visible(
      progress.getByText(`${mailboxesSynced} of ${mailboxesSynced} mailboxes cleaned`, {
        exact: false,
      }),
    );
    const perList = progress.getByRole('table', { name: 'Clean-up per list' });
    await visible(perList.getByText('Clean'));
    await visible(progress.getByText('Nothing of ours remains in your mailboxes'));
    await visible(progress.getByText(/remove our app in Microsoft Entra ID/));
    // What the page says is what happened.
    expect(
      (await h.dataSource.query('SELECT status FROM tenant WHERE id = ?', [tenantId]))[0],
    ).toEqual({ status: 'suspended' });
    const tid = h.sim.state.tenants[0].id;
    for (const id of members)
      expect([id, ourItems(await simContacts(h, tid, id)).length]).toEqual([id, 0]);
    expect(await browser.axe(page)).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);
});
