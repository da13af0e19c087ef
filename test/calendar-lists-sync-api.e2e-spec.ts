import { AdminHarness, type Browser } from './support/admin-harness';

interface Problem {
  field: string;
  message: string;
}

/**
 * Calendar lists around their sync (issue #20): targets, schedule, runs and previews through
 * the same services as contact lists, manual events of a `manual` source, deletion leaving a
 * calendar tombstone, and a tenant clean-up covering calendar lists; tenant isolation and roles.
 */
describe('calendar lists: targets, schedule, runs, manual events', () => {
  let h: AdminHarness;
  let admin: Browser;
  let viewer: Browser;
  let other: Browser;
  let listId: string;

  const fields = (problems: Problem[]) => problems.map((p) => p.field).sort();
  const sql = async <T>(query: string, params: unknown[] = []) =>
    (await h.dataSource.query(query, params)) as T[];

  beforeAll(async () => {
    h = await AdminHarness.start();
    admin = h.browser();
    await admin.signIn(h.tenant(0).adminUpn);
    expect((await admin.consent(h.tenant(0).adminUpn)).status).toBe(200);
    viewer = h.browser();
    await viewer.signIn(h.tenant(0).viewerUpn);
    other = h.browser();
    await other.signIn(h.tenant(1).adminUpn);
    expect((await other.consent(h.tenant(1).adminUpn)).status).toBe(200);
    const created = await admin.request<{ id: string }>('POST', '/api/calendar-lists', {
      body: {
        name: 'Company events',
        settings: {
          sources: [
            { id: 'events', kind: 'manual' },
            { id: 'hol', kind: 'holidays', country: 'DE', state: 'BY' },
          ],
          showAs: 'busy',
        },
      },
    });
    expect(created.status).toBe(201);
    listId = created.body.id;
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('targets: validated field by field, stored as calendar targets, changed and removed', async () => {
    const bad = await admin.request<{ problems: Problem[] }>(
      'POST',
      `/api/calendar-lists/${listId}/targets`,
      { body: { kind: 'everyone', mode: 'sometimes' } },
    );
    expect(bad.status).toBe(400);
    expect(fields(bad.body.problems)).toEqual(['kind', 'mode']);
    const noGroup = await admin.request<{ problems: Problem[] }>(
      'POST',
      `/api/calendar-lists/${listId}/targets`,
      { body: { kind: 'group' } },
    );
    expect(fields(noGroup.body.problems)).toEqual(['id']);
    const added = await admin.request<{ id: string; kind: string; listId: string }>(
      'POST',
      `/api/calendar-lists/${listId}/targets`,
      { body: { kind: 'all' } },
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'all', listId });
    const rows = await sql<{ list_kind: string }>(
      'SELECT list_kind FROM target WHERE list_id = ?',
      [listId],
    );
    expect(rows).toEqual([{ list_kind: 'calendar' }]);
    const changed = await admin.request<{ mode: string }>(
      'PATCH',
      `/api/calendar-lists/${listId}/targets/${added.body.id}`,
      { body: { mode: 'exclude' } },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.mode).toBe('exclude');
    const listed = await viewer.request<Array<{ id: string }>>(
      'GET',
      `/api/calendar-lists/${listId}/targets`,
    );
    expect(listed.body.map((t) => t.id)).toEqual([added.body.id]);
    expect(
      (await admin.request('DELETE', `/api/calendar-lists/${listId}/targets/${added.body.id}`))
        .status,
    ).toBe(204);
    expect(
      (
        await admin.request('POST', `/api/calendar-lists/${listId}/targets`, {
          body: { kind: 'all' },
        })
      ).status,
    ).toBe(201);
  });

  it('schedule: cron and zone checked, stored for the calendar list', async () => {
    const bad = await admin.request<{ problems: Problem[] }>(
      'PUT',
      `/api/calendar-lists/${listId}/schedule`,
      { body: { cron: '* * *', timeZone: 'Mars/Olympus' } },
    );
    expect(bad.status).toBe(400);
    expect(fields(bad.body.problems)).toEqual(['cron', 'timeZone']);
    const put = await admin.request<{ cron: string; next: string[] }>(
      'PUT',
      `/api/calendar-lists/${listId}/schedule`,
      { body: { cron: '0 6 * * *', timeZone: 'Europe/Berlin' } },
    );
    expect(put.status).toBe(200);
    expect(put.body.next).toHaveLength(3);
    expect(await sql('SELECT list_kind FROM schedule WHERE list_id = ?', [listId])).toEqual([
      { list_kind: 'calendar' },
    ]);
    expect((await viewer.request('GET', `/api/calendar-lists/${listId}/schedule`)).status).toBe(
      200,
    );
  });

  it('runs: sync now and a preview start calendar runs, in the list history and the run endpoints', async () => {
    const bad = await admin.request<{ problems: Problem[] }>(
      'POST',
      `/api/calendar-lists/${listId}/runs`,
      { body: { mode: 'cleanup' } },
    );
    expect(bad.status).toBe(400);
    expect(fields(bad.body.problems)).toEqual(['mode']);
    const preview = await admin.request<{ runId: string; status: string }>(
      'POST',
      `/api/calendar-lists/${listId}/runs`,
      { body: { mode: 'dry_run' } },
    );
    expect(preview.status).toBe(202);
    expect(preview.body.status).toBe('started');
    const run = await viewer.request<{ listId: string; listKind: string; mode: string }>(
      'GET',
      `/api/runs/${preview.body.runId}`,
    );
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ listId, listKind: 'calendar', mode: 'dry_run' });
    const sync = await admin.request<{ runId: string }>(
      'POST',
      `/api/calendar-lists/${listId}/runs`,
      { body: { mode: 'sync' } },
    );
    expect(sync.status).toBe(202);
    const history = await viewer.request<{ items: Array<{ id: string }>; total: number }>(
      'GET',
      `/api/calendar-lists/${listId}/runs`,
    );
    expect(history.body.items.map((r) => r.id).sort()).toEqual(
      [preview.body.runId, sync.body.runId].sort(),
    );
    const mailboxes = await viewer.request<{ items: unknown[] }>(
      'GET',
      `/api/runs/${sync.body.runId}/mailboxes`,
    );
    expect(mailboxes.status).toBe(200);
    const plan = await viewer.request<{ listId: string }>(
      'GET',
      `/api/runs/${preview.body.runId}/preview`,
    );
    expect(plan.status).toBe(200);
    expect(plan.body.listId).toBe(listId);
    // A disabled list does not run.
    await admin.request('PATCH', `/api/calendar-lists/${listId}`, { body: { enabled: false } });
    expect(
      (await admin.request('POST', `/api/calendar-lists/${listId}/runs`, { body: {} })).status,
    ).toBe(409);
    await admin.request('PATCH', `/api/calendar-lists/${listId}`, { body: { enabled: true } });
  });

  it('manual events: checked naming each field, stored sealed, edited in place and deleted', async () => {
    const url = `/api/calendar-lists/${listId}/sources/events/events`;
    const bad = await admin.request<{ problems: Problem[] }>('POST', url, {
      body: {
        subject: ' ',
        start: { dateTime: '2027-03-01T09:00', timeZone: 'Mars/Olympus' },
        end: { dateTime: '2027-03-01T08:00' },
        showAs: 'maybe',
        attendees: ['a@example.com'],
      },
    });
    expect(bad.status).toBe(400);
    expect(fields(bad.body.problems)).toEqual([
      'attendees',
      'end.timeZone',
      'showAs',
      'start.timeZone',
      'subject',
    ]);
    const backwards = await admin.request<{ problems: Problem[] }>('POST', url, {
      body: {
        subject: 'Backwards',
        start: { dateTime: '2027-03-01T09:00', timeZone: 'Europe/Berlin' },
        end: { dateTime: '2027-03-01T08:00', timeZone: 'Europe/Berlin' },
        recurrence: {
          pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
          range: { type: 'noEnd', startDate: '2027-03-02' },
        },
      },
    });
    expect(fields(backwards.body.problems)).toEqual(['end', 'recurrence.range.startDate']);
    const mixed = await admin.request<{ problems: Problem[] }>('POST', url, {
      body: {
        subject: 'Mixed',
        start: { date: '2027-03-01' },
        end: { dateTime: '2027-03-02T00:00', timeZone: 'UTC' },
      },
    });
    expect(fields(mixed.body.problems)).toEqual(['end']);
    const wrongSource = await admin.request<{ problems: Problem[] }>(
      'POST',
      `/api/calendar-lists/${listId}/sources/hol/events`,
      {
        body: { subject: 'x', start: { date: '2027-03-01' }, end: { date: '2027-03-02' } },
      },
    );
    expect(wrongSource.status).toBe(400);
    expect(fields(wrongSource.body.problems)).toEqual(['sourceId']);

    const series = await admin.request<{ id: string; showAs: string; isAllDay: boolean }>(
      'POST',
      url,
      {
        body: {
          subject: 'All hands',
          location: 'Hall 1',
          start: { dateTime: '2027-03-01T09:00', timeZone: 'America/New_York' },
          end: { dateTime: '2027-03-01T10:00', timeZone: 'America/New_York' },
          recurrence: {
            pattern: { type: 'weekly', interval: 2, daysOfWeek: ['monday'] },
            range: { type: 'numbered', startDate: '2027-03-01', numberOfOccurrences: 6 },
          },
        },
      },
    );
    expect(series.status).toBe(201);
    expect(series.body).toMatchObject({ showAs: 'busy', isAllDay: false });
    const day = await admin.request<{ id: string; isAllDay: boolean; showAs: string }>(
      'POST',
      url,
      {
        body: {
          subject: 'Company day',
          start: { date: '2027-06-04' },
          end: { date: '2027-06-05' },
          showAs: 'free',
        },
      },
    );
    expect(day.status).toBe(201);
    expect(day.body).toMatchObject({ isAllDay: true, showAs: 'free' });
    const raw = JSON.stringify(await sql('SELECT * FROM calendar_entry'));
    expect(raw).not.toContain('All hands');

    const listed = await viewer.request<{ items: Array<{ id: string; subject: string }> }>(
      'GET',
      url,
    );
    expect(listed.body.items.map((e) => e.subject)).toEqual(['All hands', 'Company day']);
    const edited = await admin.request<Record<string, unknown>>(
      'PATCH',
      `${url}/${series.body.id}`,
      { body: { subject: 'All hands (moved)', location: null } },
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: series.body.id,
      subject: 'All hands (moved)',
      location: null,
      start: { dateTime: '2027-03-01T09:00:00', timeZone: 'America/New_York' },
      recurrence: { range: { numberOfOccurrences: 6 } },
    });
    const badEdit = await admin.request<{ problems: Problem[] }>(
      'PATCH',
      `${url}/${series.body.id}`,
      { body: { end: { dateTime: '2027-03-01T08:00', timeZone: 'America/New_York' } } },
    );
    expect(fields(badEdit.body.problems)).toEqual(['end']);
    expect((await viewer.request('GET', `${url}/${series.body.id}`)).body).toMatchObject({
      subject: 'All hands (moved)',
    });
    expect((await viewer.request('DELETE', `${url}/${day.body.id}`)).status).toBe(403);
    expect((await admin.request('DELETE', `${url}/${day.body.id}`)).status).toBe(204);
    expect((await admin.request('GET', `${url}/${day.body.id}`)).status).toBe(404);
    expect(
      Number((await sql<{ n: number }>('SELECT COUNT(*) AS n FROM calendar_entry'))[0].n),
    ).toBe(1);
  });

  it("another tenant's admin gets 404 on every route of the list, and changes nothing", async () => {
    const before = await h.counts();
    const url = `/api/calendar-lists/${listId}`;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `${url}/targets`],
      ['POST', `${url}/targets`, { kind: 'all' }],
      ['GET', `${url}/schedule`],
      ['PUT', `${url}/schedule`, { cron: '0 7 * * *' }],
      ['DELETE', `${url}/schedule`],
      ['GET', `${url}/runs`],
      ['POST', `${url}/runs`, { mode: 'sync' }],
      ['GET', `${url}/sources/events/events`],
      ['POST', `${url}/sources/events/events`, { subject: 'x' }],
      ['POST', `${url}/targets`, { kind: 'nonsense' }],
    ];
    for (const [method, path, body] of calls)
      expect([method, path, (await other.request(method, path, { body })).status]).toEqual([
        method,
        path,
        404,
      ]);
    expect(await h.counts()).toEqual(before);
  });

  it('deleting the list leaves a calendar tombstone; a tenant clean-up covers calendar lists', async () => {
    const second = await admin.request<{ id: string }>('POST', '/api/calendar-lists', {
      body: { name: 'Second', settings: { sources: [{ id: 'm', kind: 'manual' }] } },
    });
    expect((await viewer.request('DELETE', `/api/calendar-lists/${listId}`)).status).toBe(403);
    expect((await admin.request('DELETE', `/api/calendar-lists/${listId}`)).status).toBe(204);
    expect(
      await sql('SELECT list_kind, state FROM list_tombstone WHERE list_id = ?', [listId]),
    ).toEqual([{ list_kind: 'calendar', state: 'requested' }]);
    expect(await sql('SELECT id FROM target WHERE list_id = ?', [listId])).toEqual([]);
    expect(await sql('SELECT id FROM schedule WHERE list_id = ?', [listId])).toEqual([]);
    const cleanup = await admin.request<{ lists: Array<{ listId: string; listName: string }> }>(
      'POST',
      '/api/tenant/cleanup',
    );
    expect(cleanup.status).toBeLessThan(300);
    expect(cleanup.body.lists.map((l) => l.listId).sort()).toEqual([listId, second.body.id].sort());
    expect(cleanup.body.lists.find((l) => l.listId === second.body.id)?.listName).toBe('Second');
    expect(await sql('SELECT enabled FROM calendar_list WHERE id = ?', [second.body.id])).toEqual([
      { enabled: expect.anything() },
    ]);
    const enabled = (
      await sql<{ enabled: number | boolean }>('SELECT enabled FROM calendar_list WHERE id = ?', [
        second.body.id,
      ])
    )[0].enabled;
    expect(Boolean(enabled)).toBe(false);
  });
});
