import { ListEntryEntity } from '@app/persistence';
import { randomUUID } from 'node:crypto';
import type { SimUser } from '../apps/m365-sim/src/store/model';
import { AdminHarness, type Browser } from './support/admin-harness';
import {
  ourItems,
  runOutcomes,
  simContacts,
  waitRun,
  type RunMailboxOutcome,
} from './support/admin-sim';
import { importCsv } from './support/csv-import';

interface Entry {
  id: string;
  listId: string;
  fields: Record<string, string>;
}
interface Problem {
  field: string;
  message: string;
}
interface Target {
  id: string;
  kind: string;
  mode: string;
  objectId: string | null;
  filter: unknown;
}
interface Run {
  status: string;
  mailboxOutcomes: RunMailboxOutcome[];
}

const MANUAL = { sources: [{ id: 'm', kind: 'manual' }] };

function departmentFilter(department: string) {
  return {
    include: [
      { when: [{ type: 'attribute', path: 'department', operator: 'equals', value: department }] },
    ],
  };
}

/**
 * Issue #19, acceptance 5: manual entries one at a time through the API (validation per field,
 * tenant isolation), a CSV import that merges, and targets that can be edited, with a `filter`
 * target on department pushing to exactly the matching mailboxes of the simulator.
 */
describe('Manual entries and editable targets', () => {
  let h: AdminHarness;
  let adminA: Browser;
  let adminB: Browser;
  let listA: string;
  let listB: string;
  let entryB: Entry;

  beforeAll(async () => {
    h = await AdminHarness.start({
      worker: true,
      env: { API_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    adminA = h.browser();
    adminB = h.browser();
    for (const [b, i] of [
      [adminA, 0],
      [adminB, 1],
    ] as const) {
      await b.signIn(h.tenant(i).adminUpn);
      expect((await b.consent(h.tenant(i).adminUpn)).status).toBe(200);
    }
    const create = (b: Browser, name: string) =>
      b.request<{ id: string }>('POST', '/api/lists', { body: { name, settings: MANUAL } });
    listA = (await create(adminA, 'Suppliers A')).body.id;
    listB = (await create(adminB, 'Suppliers B')).body.id;
    const added = await adminB.request<Entry>('POST', `/api/lists/${listB}/entries`, {
      body: { fields: { displayName: 'Bea of B', emailAddresses: 'bea@b.example' } },
    });
    expect(added.status).toBe(201);
    entryB = added.body;
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  const entries = (query = '') =>
    adminA.request<{ items: Entry[]; total: number }>('GET', `/api/lists/${listA}/entries${query}`);
  const entryRows = async () => h.dataSource.getRepository(ListEntryEntity).count();

  it('adds, pages, searches, edits and deletes entries; a refused request names each bad field and changes nothing', async () => {
    const ada = await adminA.request<Entry>('POST', `/api/lists/${listA}/entries`, {
      body: {
        fields: {
          displayName: 'Ada Lovelace',
          emailAddresses: 'Ada@Example.com',
          businessPhones: '+44 20 7946 0958',
          jobTitle: 'Analyst',
        },
      },
    });
    expect(ada.status).toBe(201);
    expect(ada.body).toMatchObject({
      listId: listA,
      fields: { displayName: 'Ada Lovelace', jobTitle: 'Analyst' },
    });
    expect(JSON.stringify(ada.body)).not.toMatch(/"key"/);
    const desk = await adminA.request<Entry>('POST', `/api/lists/${listA}/entries`, {
      body: { key: 'Front-Desk', fields: { displayName: 'Front Desk', companyName: 'Contoso' } },
    });
    expect(desk.status).toBe(201);

    const rows = await entryRows();
    const bad = await adminA.request<{ error: string; problems: Problem[] }>(
      'POST',
      `/api/lists/${listA}/entries`,
      {
        body: {
          fields: { shoeSize: '38', emailAddresses: 'not-an-address', businessPhones: 'call me' },
        },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('validation_failed');
    const fields = bad.body.problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining(['fields.shoeSize', 'fields.emailAddresses', 'fields.businessPhones']),
    );
    const shape = await adminA.request<{ problems: Problem[] }>(
      'POST',
      `/api/lists/${listA}/entries`,
      { body: { fields: { displayName: 5 }, colour: 'red' } },
    );
    expect(shape.status).toBe(400);
    expect(shape.body.problems.map((p) => p.field).sort()).toEqual([
      'colour',
      'fields.displayName',
    ]);
    // Same key (the first e-mail, compared ignoring case) as Ada: a conflict naming the field.
    const duplicate = await adminA.request<{ error: string; problems: Problem[] }>(
      'POST',
      `/api/lists/${listA}/entries`,
      { body: { fields: { displayName: 'Ada again', emailAddresses: 'ada@example.COM' } } },
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.problems.map((p) => p.field)).toEqual(['fields.emailAddresses']);
    expect(await entryRows()).toBe(rows);

    // Paged, oldest first; searched by exact e-mail or key through the blind index.
    const first = await entries('?limit=1');
    expect(first.body).toMatchObject({ total: 2, items: [{ id: ada.body.id }] });
    expect((await entries('?limit=1&offset=1')).body.items.map((e) => e.id)).toEqual([
      desk.body.id,
    ]);
    expect((await entries('?email=ADA%40example.com')).body.items.map((e) => e.id)).toEqual([
      ada.body.id,
    ]);
    expect((await entries('?key=front-desk')).body.items.map((e) => e.id)).toEqual([desk.body.id]);
    expect((await entries('?email=nobody%40example.com')).body).toEqual({ items: [], total: 0 });
    const badQuery = await adminA.request<{ problems: Problem[] }>(
      'GET',
      `/api/lists/${listA}/entries?email=nope&limit=0`,
    );
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.problems.map((p) => p.field).sort()).toEqual(['email', 'limit']);
    // Stored sealed: no field is readable in the row.
    const raw = await h.dataSource.getRepository(ListEntryEntity).findOneByOrFail({
      id: ada.body.id,
    });
    expect(raw.dataEncrypted).not.toMatch(/Ada|Analyst|example/);
    // A keyed hash, nothing of the address: hex digits may spell "ada" by chance.
    expect(raw.sourceKey).toMatch(/^csvh:[0-9a-f]{64}$/);

    const edited = await adminA.request<Entry>(
      'PATCH',
      `/api/lists/${listA}/entries/${ada.body.id}`,
      { body: { fields: { jobTitle: 'Countess', businessPhones: null } } },
    );
    expect(edited.status).toBe(200);
    expect(edited.body.fields).toEqual({
      displayName: 'Ada Lovelace',
      emailAddresses: 'Ada@Example.com',
      jobTitle: 'Countess',
    });
    const badEdit = await adminA.request<{ problems: Problem[] }>(
      'PATCH',
      `/api/lists/${listA}/entries/${ada.body.id}`,
      { body: { fields: { emailAddresses: 'nope', key: 'x', hat: 'y' } } },
    );
    expect(badEdit.status).toBe(400);
    expect(badEdit.body.problems.map((p) => p.field).sort()).toEqual(['fields.hat', 'fields.key']);
    const badEmail = await adminA.request<{ problems: Problem[] }>(
      'PATCH',
      `/api/lists/${listA}/entries/${ada.body.id}`,
      { body: { fields: { emailAddresses: 'nope' } } },
    );
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.problems.map((p) => p.field)).toEqual(['fields.emailAddresses']);
    expect(
      (await adminA.request<Entry>('GET', `/api/lists/${listA}/entries/${ada.body.id}`)).body.fields
        .jobTitle,
    ).toBe('Countess');

    expect(
      (await adminA.request('DELETE', `/api/lists/${listA}/entries/${desk.body.id}`)).status,
    ).toBe(204);
    expect(
      (await adminA.request('GET', `/api/lists/${listA}/entries/${desk.body.id}`)).status,
    ).toBe(404);
    expect(
      (await adminA.request('DELETE', `/api/lists/${listA}/entries/${desk.body.id}`)).status,
    ).toBe(404);
    expect((await entries()).body.total).toBe(1);

    const audit = await adminA.request<{ items: Array<{ action: string; details: unknown }> }>(
      'GET',
      '/api/audit?action=entry.*',
    );
    expect(audit.body.items.map((e) => e.action).sort()).toEqual([
      'entry.add',
      'entry.add',
      'entry.delete',
      'entry.update',
    ]);
    expect(JSON.stringify(audit.body)).not.toMatch(/Ada|Countess/);
  });

  it("another tenant's entry answers 404 on every entry route and stays as it was", async () => {
    const rows = await entryRows();
    const paths = [
      `/api/lists/${listB}/entries/${entryB.id}`,
      // B's entry id under A's own list.
      `/api/lists/${listA}/entries/${entryB.id}`,
      `/api/lists/${listA}/entries/${randomUUID()}`,
    ];
    for (const path of paths) {
      expect([path, (await adminA.request('GET', path)).status]).toEqual([path, 404]);
      const patch = await adminA.request('PATCH', path, {
        body: { fields: { displayName: 'Taken over' } },
      });
      expect([path, patch.status]).toEqual([path, 404]);
      expect([path, (await adminA.request('DELETE', path)).status]).toEqual([path, 404]);
    }
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { fields: { displayName: 'Intruder', emailAddresses: 'i@a.example' } }],
    ] as const) {
      const res = await adminA.request(method, `/api/lists/${listB}/entries`, { body });
      expect([method, res.status]).toEqual([method, 404]);
    }
    expect(await entryRows()).toBe(rows);
    const own = await adminB.request<Entry>('GET', `/api/lists/${listB}/entries/${entryB.id}`);
    expect(own.body.fields).toEqual({ displayName: 'Bea of B', emailAddresses: 'bea@b.example' });
  });

  it('a CSV import replaces the entries by default and merges into them with mode=merge', async () => {
    const grace = await adminA.request<Entry>('POST', `/api/lists/${listA}/entries`, {
      body: { fields: { displayName: 'Grace Hopper', emailAddresses: 'grace@example.com' } },
    });
    expect(grace.status).toBe(201);
    const merged = await importCsv(
      adminA,
      listA,
      'displayName,emailAddresses,jobTitle\nAda King,ada@example.com,Mathematician\nAlan Turing,alan@example.com,\n',
      { mode: 'merge' },
    );
    expect(merged).toMatchObject({
      status: 'succeeded',
      result: { mode: 'merge', imported: 2, replaced: 1, kept: 1 },
    });
    const after = (await entries()).body.items;
    expect(after.map((e) => e.fields.displayName).sort()).toEqual([
      'Ada King',
      'Alan Turing',
      'Grace Hopper',
    ]);
    // Grace was not in the file: the same entry, untouched.
    expect(after.find((e) => e.fields.displayName === 'Grace Hopper')).toEqual(grace.body);
    const badMode = await adminA.request<{ problems: Problem[] }>(
      'POST',
      `/api/lists/${listA}/entries/csv?mode=append`,
      { body: 'displayName\nX\n', headers: { 'content-type': 'text/csv' } },
    );
    expect(badMode.status).toBe(400);
    expect(badMode.body.problems.map((p) => p.field)).toEqual(['mode']);

    const replaced = await importCsv(
      adminA,
      listA,
      'displayName,emailAddresses\nAda King,ada@example.com\nAlan Turing,alan@example.com\n',
    );
    expect(replaced.result).toEqual({ mode: 'replace', imported: 2, replaced: 3, kept: 0 });
    expect((await entries()).body.total).toBe(2);
  });

  it('a filter target on department reaches exactly the matching mailboxes; editing it retargets', async () => {
    const tenant = h.sim.state.tenants[0];
    const users = [...tenant.users.values()].filter((u) => !u.deleted);
    // Who the planner would pick (enabled, with mail and a licence), and whose mailbox we reach.
    const plannable = (u: SimUser) =>
      u.user.accountEnabled !== false &&
      !!u.user.mail &&
      (u.user.assignedLicenses ?? []).length > 0;
    const hosted = (u: SimUser) => plannable(u) && u.mailbox === 'cloud' && u.purpose === 'user';
    const byDepartment = new Map<string, SimUser[]>();
    for (const u of users.filter(plannable))
      if (u.user.department)
        byDepartment.set(u.user.department, [...(byDepartment.get(u.user.department) ?? []), u]);
    // Departments whose plannable users all have a reachable mailbox, biggest first.
    const departments = [...byDepartment]
      .filter(([, members]) => members.every(hosted))
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
      .map(([d, members]) => ({ name: d, ids: members.map((m) => m.user.id).sort() }));
    expect(departments.length).toBeGreaterThanOrEqual(2);
    const [first, second] = departments;
    const allIds = users.map((u) => u.user.id);

    const holders = async () => {
      const out: string[] = [];
      for (const id of allIds)
        if (ourItems(await simContacts(h, tenant.id, id)).length > 0) out.push(id);
      return out.sort();
    };
    const sync = async () => {
      const started = await adminA.request<{ runId: string }>('POST', `/api/lists/${listA}/sync`);
      expect(started.status).toBe(202);
      const run = await waitRun<{ status: string }>(adminA, started.body.runId, 120_000);
      return { ...run, mailboxOutcomes: await runOutcomes(adminA, started.body.runId) } as Run;
    };

    const added = await adminA.request<Target>('POST', `/api/lists/${listA}/targets`, {
      body: { kind: 'filter', filter: departmentFilter(first.name) },
    });
    expect(added.status).toBe(201);
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(run.mailboxOutcomes.map((o) => o.mailboxId).sort()).toEqual(first.ids);
    expect(await holders()).toEqual(first.ids);
    const names = (await entries()).body.items.map((e) => e.fields.displayName).sort();
    for (const id of first.ids) {
      const contacts = ourItems(await simContacts(h, tenant.id, id));
      expect([id, contacts.map((c) => c.displayName).sort()]).toEqual([id, names]);
    }

    // Refused edits name the field and change nothing.
    const targetUrl = `/api/lists/${listA}/targets/${added.body.id}`;
    const noId = await adminA.request<{ problems: Problem[] }>('PATCH', targetUrl, {
      body: { kind: 'group' },
    });
    expect(noId.status).toBe(400);
    expect(noId.body.problems.map((p) => p.field)).toEqual(['id']);
    const badMode = await adminA.request<{ problems: Problem[] }>('PATCH', targetUrl, {
      body: { mode: 'sideways', colour: 1 },
    });
    expect(badMode.body.problems.map((p) => p.field).sort()).toEqual(['colour', 'mode']);
    expect(
      (
        await adminA.request('PATCH', `/api/lists/${listA}/targets/${randomUUID()}`, {
          body: { mode: 'exclude' },
        })
      ).status,
    ).toBe(404);
    const foreign = await adminB.request<Target>('POST', `/api/lists/${listB}/targets`, {
      body: { kind: 'all' },
    });
    expect(
      (
        await adminA.request('PATCH', `/api/lists/${listB}/targets/${foreign.body.id}`, {
          body: { mode: 'exclude' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await adminA.request('PATCH', `/api/lists/${listA}/targets/${foreign.body.id}`, {
          body: { mode: 'exclude' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await adminB.request<Target[]>('GET', `/api/lists/${listB}/targets`)).body[0].mode,
    ).toBe('include');

    // The filter now selects the second department: the next run moves the list there.
    const edited = await adminA.request<Target>('PATCH', targetUrl, {
      body: { filter: departmentFilter(second.name) },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: added.body.id,
      kind: 'filter',
      mode: 'include',
      filter: departmentFilter(second.name),
    });
    expect((await adminA.request<Target[]>('GET', `/api/lists/${listA}/targets`)).body).toEqual([
      edited.body,
    ]);
    expect((await sync()).status).toBe('succeeded');
    expect(await holders()).toEqual(second.ids);
  }, 240_000);
});
