import { ERROR_ADVICE, RunPreviewService, RunsService } from '@app/admin';
import type { Page } from 'playwright-core';
import { AdminHarness } from './support/admin-harness';
import { DashboardBrowser } from './support/dashboard-browser';
import { ensureDashboardBuilt } from './support/dashboard-build';
import { until } from './support/until';
import { visible } from './support/visible';

/**
 * Issue #22: a tenant admin's first journey in the dashboard, in a real browser (Debian's
 * Chromium, headless) against the admin API, an in-process worker and the simulator.
 */
describe('dashboard: the onboarding journey in a browser', () => {
  let h: AdminHarness;
  let browser: DashboardBrowser;
  let page: Page;
  let adminUpn: string;
  let department: string;
  let departmentUserIds: string[];
  let group: { id: string; name: string; memberIds: string[] };
  let tenantId: string;
  let runUrl: string;
  let listUrl: string;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    h = await AdminHarness.start({
      worker: true,
      sim: { tenants: 1, usersPerTenant: 24, seed: 22 },
      env: (sim) => {
        const t = sim.state.tenants[0];
        return { DEMO_LOGIN_HINT: t.users.get(t.adminUserId)!.user.userPrincipalName! };
      },
    });
    adminUpn = h.env.DEMO_LOGIN_HINT;
    const t = h.sim.state.tenants[0];
    const people = [...t.users.values()].filter(
      (u) => !u.deleted && u.purpose === 'user' && u.mailbox === 'cloud' && u.user.department,
    );
    // The department with the most people, and a group with a few mailboxes in it.
    const byDept = new Map<string, string[]>();
    for (const u of people)
      byDept.set(u.user.department!, [...(byDept.get(u.user.department!) ?? []), u.user.id]);
    [department, departmentUserIds] = [...byDept].sort((a, b) => b[1].length - a[1].length)[0];
    const g = [...t.groups.values()]
      .filter((x) => x.memberUserIds.length >= 2 && x.memberUserIds.length <= 8)
      .sort((a, b) => a.memberUserIds.length - b.memberUserIds.length)[0];
    group = { id: g.group.id, name: g.group.displayName!, memberIds: g.memberUserIds };
    browser = await DashboardBrowser.launch();
    page = await browser.page();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const text = (s: string | RegExp) => page.getByText(s).first();

  it('signs in through the simulated tenant in one click and offers consent with each permission and why', async () => {
    await page.goto(h.baseUrl + '/');
    await text('Sign in with Microsoft').click();
    // The simulated Microsoft sign-in page, the demo admin prefilled: one click.
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#signin').click();
    await page.waitForURL((u) => u.toString().startsWith(h.baseUrl + '/onboarding'));
    await text('Getting started').waitFor();
    await expectVisible(page, adminUpn);
    const permissions = page.getByRole('list', { name: 'Permissions requested' });
    await visible(permissions.getByText('Contacts.ReadWrite'));
    await visible(permissions.getByText(/Write the shared contacts into each targeted mailbox/));
    expect(await permissions.getByRole('listitem').count()).toBe(6);
    // The consent step at both widths: no sideways scroll, no serious or critical axe violation.
    for (const width of [1280, 390]) {
      // Loaded at that width (a phone); Mantine's shell keeps the desktop navbar offset when a
      // wide window is narrowed without a reload.
      await page.setViewportSize({ width, height: 844 });
      await page.reload();
      await page.getByRole('list', { name: 'Permissions requested' }).waitFor();
      expect([width, await browser.overflowing(page), await browser.axe(page)]).toEqual([
        width,
        [],
        [],
      ]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await text('Grant admin consent').click();
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#accept').click();
    await page.waitForURL((u) => u.toString().startsWith(h.baseUrl + '/onboarding?consent=done'));
    await page.getByLabel('List name').waitFor();
    const rows = (await h.dataSource.query(`SELECT id, status FROM tenant`)) as Array<{
      id: string;
      status: string;
    }>;
    expect(rows.map((r) => r.status)).toEqual(['active']);
    tenantId = rows[0].id;
  }, 60_000);

  it('shows the API’s validation error next to its field, and saves nothing', async () => {
    await page.getByRole('button', { name: 'Create list' }).click();
    const name = page.getByLabel('List name');
    await until(async () => (await name.getAttribute('aria-invalid')) === 'true');
    const describedBy = (await name.getAttribute('aria-describedby'))!.split(/\s+/).filter(Boolean);
    const messages = await Promise.all(
      describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(messages).toContain('required');
    expect(await browser.axe(page)).toEqual([]);
    expect((await h.counts()).contact_list).toBe(0);

    // Empty states say what to do next.
    await page.getByRole('link', { name: 'Contact lists' }).click();
    await visible(page.getByText('No contact list yet'));
    await visible(page.getByRole('link', { name: 'Create your first list' }));
    await page.getByRole('link', { name: 'Runs' }).click();
    await visible(page.getByText('No run yet'));
    await page.getByRole('link', { name: 'Getting started' }).click();
    await page.getByLabel('List name').waitFor();
  }, 30_000);

  it('creates a directory list with a department filter, targets a group, previews the expected counts', async () => {
    await page.getByLabel('List name').fill('Sales people');
    const departments = page.getByRole('combobox', { name: 'Only these departments' });
    await departments.fill(department);
    await departments.press('Enter');
    await page.getByRole('button', { name: 'Create list' }).click();
    await page.getByRole('combobox', { name: 'Group' }).waitFor();

    // Leaving half way: the wizard resumes at the step the server's state says is next.
    await page.goto(h.baseUrl + '/');
    await page.waitForURL(h.baseUrl + '/onboarding');
    await page.getByRole('combobox', { name: 'Group' }).waitFor();
    expect(await page.getByLabel('List name').count()).toBe(0);

    // Step 3: the group picker lists the directory's groups.
    await page.getByRole('combobox', { name: 'Group' }).click();
    await page.getByRole('option', { name: group.name, exact: true }).click();
    await page.getByRole('button', { name: 'Add group' }).click();
    // The wizard moves on to the preview once the list has a target.
    await page.getByRole('button', { name: 'Preview changes' }).waitFor();
    expect(await h.dataSource.query(`SELECT kind, mode, value FROM target`)).toEqual([
      { kind: 'group', mode: 'include', value: group.id },
    ]);

    // Step 4: the preview, checked against what the engine planned.
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const result = page.getByTestId('preview-result');
    await result.waitFor({ timeout: 60_000 });
    const runs = await h.app.get(RunsService).list(tenantId, { limit: 10, offset: 0 });
    const dry = runs.items.find((r) => r.mode === 'dry_run')!;
    const plan = await h.app
      .get(RunPreviewService)
      .get(tenantId, dry.id, { limit: 200, offset: 0 });
    expect(plan.finished).toBe(true);
    // Every member of the group with a mailbox gets every person of the department.
    const mailboxes = plan.mailboxes.total;
    expect(mailboxes).toBeGreaterThan(0);
    expect(plan.items).toEqual({
      created: mailboxes * departmentUserIds.length,
      updated: 0,
      deleted: 0,
    });
    for (const m of plan.mailboxes.items) expect(group.memberIds).toContain(m.mailboxId);
    await visible(
      result.getByText(
        `${plan.items.created} to create, 0 to update, 0 to delete in ${mailboxes} mailboxes`,
      ),
    );
    listUrl = `${h.baseUrl}/lists/${plan.listId}`;
  }, 90_000);

  it('syncs now, shows the progress reaching 100 %, and one mailbox’s outcome', async () => {
    await page.getByRole('button', { name: 'Continue to the first sync' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    runUrl = page.url();
    const percent = page.getByTestId('run-percent');
    const seen = new Set<string>();
    await until(async () => {
      const now = (await percent.textContent()) ?? '';
      seen.add(now);
      return now === '100 %';
    }, 90_000);
    await expectVisible(page, 'Succeeded');
    const runId = runUrl.split('/').pop()!;
    const run = await h.app.get(RunsService).get(tenantId, runId);
    expect(run.status).toBe('succeeded');
    await expectVisible(page, `${run.mailboxes.total} of ${run.mailboxes.total} mailboxes done`);
    // What the page reports is what the mailboxes hold.
    const firstPage = await h.app.get(RunsService).outcomesOf(tenantId, runId, { limit: 100 });
    const first = firstPage.items[0]!;
    const mailbox = await simMailbox(h, first.mailboxId);
    const ours = mailbox.filter((c) => c.displayName).length;
    expect(ours).toBe(departmentUserIds.length);

    // Mailboxes are named (the outcomes carry ids; the directory names them).
    const person = h.sim.state.tenants[0].users.get(first.mailboxId)!.user;
    await page
      .getByRole('button', { name: `Outcome of mailbox ${person.displayName}`, exact: true })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Mailbox outcome' });
    await dialog.waitFor();
    await visible(dialog.getByText(person.userPrincipalName!));
    // axe judges contrast as painted: mid-fade (modal and overlay), colours are blends.
    await page.waitForFunction(() => document.getAnimations().length === 0);
    expect(await browser.axe(page)).toEqual([]);
    await visible(dialog.getByText('No error: this mailbox is in step with the list.'));
    await visible(dialog.getByText('In step'));
    await visible(dialog.getByText(first.message!));
    expect(first.message).toBe(
      `changed: ${departmentUserIds.length} created, 0 updated, 0 deleted`,
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  }, 120_000);

  it('a mailbox that is not in step says why: its error code, what it means and what to do', async () => {
    // One targeted person loses their Exchange Online mailbox (licence removed).
    const runId = runUrl.split('/').pop()!;
    const lost = (await h.app.get(RunsService).outcomesOf(tenantId, runId, { limit: 1 })).items[0]!
      .mailboxId;
    h.sim.state.tenants[0].users.get(lost)!.mailbox = 'none';
    await page.goto(listUrl);
    // The list editor: its source, department filter and target as saved.
    await visible(page.getByRole('table', { name: 'Targets' }).getByText(`Group: ${group.name}`));
    expect(await page.getByLabel('List name').inputValue()).toBe('Sales people');
    await visible(page.getByText(department, { exact: true }));
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.waitForURL(
      (u) => /\/runs\/[0-9a-f-]{36}$/.test(u.pathname) && u.toString() !== runUrl,
    );
    const percent = page.getByTestId('run-percent');
    await until(async () => (await percent.textContent()) === '100 %', 90_000);
    const again = await h.app
      .get(RunsService)
      .outcomesOf(tenantId, page.url().split('/').pop()!, { limit: 100 });
    const outcome = again.items.find((m) => m.mailboxId === lost)!;
    expect(outcome.status).not.toBe('succeeded');
    const code = outcome.code!;
    expect(ERROR_ADVICE[code]).toBeDefined();
    await page
      .getByRole('button', {
        name: `Outcome of mailbox ${h.sim.state.tenants[0].users.get(lost)!.user.displayName}`,
        exact: true,
      })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Mailbox outcome' });
    await visible(dialog.getByText(`Error code ${code}`));
    await visible(dialog.getByText(`What to do: ${ERROR_ADVICE[code]}`));
    if (outcome.message) await visible(dialog.getByText(`What it means: ${outcome.message}`));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    h.sim.state.tenants[0].users.get(lost)!.mailbox = 'cloud';
  }, 120_000);

  it('the list editor saves a change and keeps the rest of the list’s settings', async () => {
    const listId = listUrl.split('/').pop()!;
    const stored = async () =>
      (
        (await h.dataSource.query('SELECT name, settings FROM contact_list WHERE id = ?', [
          listId,
        ])) as Array<{
          name: string;
          settings: string;
        }>
      ).map((r) => ({ name: r.name, settings: JSON.parse(r.settings) as unknown }))[0];
    const before = await stored();
    await page.goto(listUrl);
    const name = page.getByLabel('List name');
    await name.fill('Sales team');
    await page.getByRole('button', { name: 'Save list' }).click();
    await page.getByRole('heading', { name: 'Sales team' }).waitFor();
    expect(await stored()).toEqual({ name: 'Sales team', settings: before.settings });
    expect(JSON.stringify(before.settings)).toContain(`"values":["${department}"]`);
  }, 30_000);

  it('the main screens fit 390 px without sideways scrolling, and axe finds no serious or critical violation at either width', async () => {
    const screens = [
      h.baseUrl + '/onboarding',
      h.baseUrl + '/lists',
      listUrl,
      h.baseUrl + '/runs',
      runUrl,
    ];
    const problems: Array<{ url: string; width: number; overflow: number; axe: string[] }> = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 844 });
      for (const url of screens) {
        await page.goto(url);
        await page.getByRole('heading', { level: 2 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        const overflow = await browser.overflowX(page);
        const axe = await browser.axeLines(page);
        if (overflow > 0 || axe.length) problems.push({ url, width, overflow, axe });
      }
    }
    expect(problems).toEqual([]);
    expect(browser.cspViolations).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);

  it('follows a dark system theme, still without serious or critical axe violations', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    const problems: string[] = [];
    for (const url of [h.baseUrl + '/lists', listUrl, runUrl]) {
      await page.goto(url);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
      for (const v of await browser.axe(page))
        problems.push(`${url} ${v.id}: ${v.nodes.map((n) => n.why).join(' | ')}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  }, 60_000);

  it('is keyboard navigable: from the lists, Tab reaches “New list” and Enter opens the form', async () => {
    await page.goto(h.baseUrl + '/lists');
    await page.getByRole('heading', { name: 'Contact lists' }).waitFor();
    let focused = '';
    for (let i = 0; i < 25 && focused !== 'New list'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    }
    expect(focused).toBe('New list');
    await page.keyboard.press('Enter');
    await page.waitForURL(h.baseUrl + '/lists/new');
    await page.getByLabel('List name').waitFor();
  }, 30_000);

  it('shows an error state with the API’s reason when a screen cannot load', async () => {
    await page.goto(h.baseUrl + '/runs/00000000-0000-4000-8000-000000000000');
    const alert = page.getByRole('alert');
    await visible(alert.getByText('This could not be loaded'));
    await visible(alert.getByText('run not found (not_found)'));
    await visible(alert.getByRole('button', { name: 'Try again' }));
  }, 30_000);

  it('returns to the sign-in when the session is gone', async () => {
    await page.goto(h.baseUrl + '/runs');
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await browser.context.clearCookies();
    await page.getByRole('link', { name: 'Contact lists' }).click();
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).waitFor();

    // Cancelled on Microsoft's page: back at the sign-in, which says so.
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#cancel').click();
    await page.waitForURL(h.baseUrl + '/?sign_in_error=sign_in_failed');
    await visible(page.getByRole('alert').getByText(/Microsoft sign-in did not complete/));
    // The sign-in screen, with its alert, at phone width: no sideways scroll, no axe violation.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await browser.overflowX(page)).toBe(0);
    expect(await browser.axe(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    // And signing in again lands where the admin works: the lists, onboarding being done.
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#signin').click();
    await page.waitForURL(h.baseUrl + '/lists');
    await page.getByRole('heading', { name: 'Contact lists' }).waitFor();
  }, 30_000);

  it('a Viewer sees no button that would change anything, and the API refuses the change anyway', async () => {
    const t = h.sim.state.tenants[0];
    const clientId = h.sim.info.apps[0].clientId;
    const viewer = [...t.users.values()].find((u) =>
      u.appRoles[clientId]?.includes('Sync.Viewer'),
    )!.user;
    await browser.context.clearCookies();
    await page.goto(h.baseUrl + '/');
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL((u) => u.toString().startsWith(h.sim.baseUrl));
    await page.locator('#login').selectOption(viewer.userPrincipalName!);
    await page.locator('#signin').click();
    await page.waitForURL(h.baseUrl + '/lists');
    await page.getByRole('link', { name: 'Sales team' }).waitFor();
    expect(await page.getByRole('button', { name: 'New list' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'New list' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Sales team' }).click();
    await visible(page.getByText(/Previews, syncs and changes need the Sync.Admin role/));
    for (const name of ['Sync now', 'Preview changes', 'Save list', 'Add group'])
      expect([name, await page.getByRole('button', { name }).count()]).toEqual([name, 0]);
    expect(await page.getByRole('button', { name: /^Remove target/ }).count()).toBe(0);
    expect(await page.getByLabel('List name').getAttribute('readonly')).not.toBeNull();

    const refused = await page.evaluate(async (listId) => {
      const me = (await (await fetch('/api/auth/me')).json()) as { csrfToken: string };
      const res = await fetch(`/api/lists/${listId}/sync`, {
        method: 'POST',
        headers: { 'X-CSRF-Token': me.csrfToken },
      });
      return { status: res.status, body: (await res.json()) as { error: string } };
    }, listUrl.split('/').pop()!);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('forbidden');
  }, 60_000);
});

async function simMailbox(h: AdminHarness, userId: string) {
  const tid = h.sim.state.tenants[0].id;
  const res = await fetch(`${h.sim.baseUrl}/_sim/tenants/${tid}/users/${userId}/mailbox`, {
    dispatcher: h.dispatcher,
  } as RequestInit);
  return ((await res.json()) as { contacts: Array<{ displayName?: string }> }).contacts;
}

async function expectVisible(page: Page, s: string): Promise<void> {
  await page.getByText(s, { exact: false }).first().waitFor({ state: 'visible', timeout: 30_000 });
}
