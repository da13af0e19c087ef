import { AdminHarness, type Browser } from './support/admin-harness';

interface Problem {
  field: string;
  message: string;
}

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//EN',
  'BEGIN:VEVENT',
  'UID:standup@example.com',
  'DTSTART;TZID=America/New_York:20270105T090000',
  'DTEND;TZID=America/New_York:20270105T093000',
  'RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10',
  'EXDATE;TZID=America/New_York:20270119T090000',
  'SUMMARY:Stand-up',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:pills@example.com',
  'DTSTART:20270301T080000Z',
  'DTEND:20270301T081500Z',
  'RRULE:FREQ=DAILY;BYHOUR=8,12;COUNT=4',
  'SUMMARY:Pill reminder',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

/**
 * Calendar lists through the admin API (issue #20, first slice): settings checked field by
 * field, an uploaded iCalendar file stored all or nothing (a malformed one names its line),
 * tenant isolation and roles as for contact lists.
 */
describe('calendar lists API', () => {
  let h: AdminHarness;
  let admin: Browser;
  let listId: string;

  const entryRows = async () =>
    Number(
      (
        (await h.dataSource.query('SELECT COUNT(*) AS n FROM calendar_entry')) as Array<{
          n: number;
        }>
      )[0].n,
    );

  beforeAll(async () => {
    h = await AdminHarness.start();
    const t = h.tenant(0);
    admin = h.browser();
    await admin.signIn(t.adminUpn);
    expect((await admin.consent(t.adminUpn)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses bad settings naming each field, and creates a list with defaults', async () => {
    const bad = await admin.request<{ problems: Problem[] }>('POST', '/api/calendar-lists', {
      body: {
        name: 'Team',
        settings: {
          sources: [
            { id: 'hol', kind: 'holidays', country: 'Germany' },
            { id: 'feed', kind: 'ics-feed', url: 'http://example.com/x.ics' },
          ],
          showAs: 'sometimes',
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p) => p.field).sort()).toEqual([
      'settings.showAs',
      'settings.sources.0.country',
      'settings.sources.1.url',
    ]);
    const created = await admin.request<{ id: string; settings: Record<string, unknown> }>(
      'POST',
      '/api/calendar-lists',
      {
        body: {
          name: 'Team',
          settings: {
            sources: [
              { id: 'hol', kind: 'holidays', country: 'DE', state: 'BY', language: 'de' },
              { id: 'up', kind: 'ics-upload' },
            ],
          },
        },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.settings).toMatchObject({
      window: { monthsBack: 6, monthsAhead: 18 },
      showAs: 'busy',
      isReminderOn: false,
    });
    listId = created.body.id;
    const dup = await admin.request<{ problems: Problem[] }>('POST', '/api/calendar-lists', {
      body: { name: 'TEAM', settings: { sources: [{ id: 'm', kind: 'manual' }] } },
    });
    expect(dup.status).toBe(409);
  });

  it('a malformed iCalendar file answers 400 with its line and reason and stores nothing', async () => {
    const before = await entryRows();
    const broken = ICS.replace('DTSTART:20270301T080000Z', 'DTSTART:2027-03-01');
    const res = await admin.request<{ problems: Problem[] }>(
      'POST',
      `/api/calendar-lists/${listId}/sources/up/ics`,
      { body: broken, headers: { 'content-type': 'text/calendar' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([
      { field: '(body)', message: expect.stringMatching(/^line 14: DTSTART value "2027-03-01"/) },
    ]);
    expect(await entryRows()).toBe(before);
    const wrongSource = await admin.request<{ problems: Problem[] }>(
      'POST',
      `/api/calendar-lists/${listId}/sources/hol/ics`,
      { body: ICS, headers: { 'content-type': 'text/calendar' } },
    );
    expect(wrongSource.status).toBe(400);
    expect(wrongSource.body.problems[0]!.field).toBe('sourceId');
  });

  it('stores a valid file: a series stays a series, an inexpressible rule is expanded and said so', async () => {
    const upload = (body: string) =>
      admin.request<Record<string, unknown>>(
        'POST',
        `/api/calendar-lists/${listId}/sources/up/ics`,
        {
          body,
          headers: { 'content-type': 'text/calendar' },
        },
      );
    const first = await upload(ICS);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      sourceId: 'up',
      events: 5,
      series: 1,
      expanded: [{ uid: 'pills@example.com', reason: 'BYHOUR has no equivalent', occurrences: 4 }],
      replaced: 0,
    });
    expect(await entryRows()).toBe(5);
    // Uploading again replaces, never adds.
    const again = await upload(ICS);
    expect(again.body).toMatchObject({ events: 5, replaced: 5 });
    expect(await entryRows()).toBe(5);
    // Stored sealed: no subject in the clear.
    const raw = JSON.stringify(await h.dataSource.query('SELECT * FROM calendar_entry'));
    expect(raw).not.toContain('Stand-up');
  });

  it('the holiday catalog lists what a holidays source accepts: countries, states, regions, languages', async () => {
    const countries = await admin.request<{ items: Array<{ code: string; name: string }> }>(
      'GET',
      '/api/holidays/countries',
    );
    expect(countries.status).toBe(200);
    expect(countries.body.items).toContainEqual({ code: 'DE', name: 'Germany' });
    const de = await admin.request<{
      languages: string[];
      states: Array<{ code: string; name: string; regions: Array<{ code: string }> }>;
    }>('GET', '/api/holidays/countries/de');
    expect(de.status).toBe(200);
    expect(de.body.languages).toEqual(['de', 'en']);
    const by = de.body.states.find((s) => s.code === 'BY')!;
    expect([by.name, by.regions.map((r) => r.code).sort()]).toEqual([
      'Bayern',
      ['A', 'EVANG', 'KATH'],
    ]);
    const unknown = await admin.request<{ error: string }>('GET', '/api/holidays/countries/XX');
    expect([unknown.status, unknown.body.error]).toEqual([404, 'not_found']);
    expect((await h.browser().request('GET', '/api/holidays/countries')).status).toBe(401);
  });

  it('another tenant sees none of it; a viewer cannot change it', async () => {
    const other = h.browser();
    const tb = h.tenant(1);
    await other.signIn(tb.adminUpn);
    expect((await other.consent(tb.adminUpn)).status).toBe(200);
    expect((await other.request('GET', `/api/calendar-lists/${listId}`)).status).toBe(404);
    expect(
      (
        await other.request('POST', `/api/calendar-lists/${listId}/sources/up/ics`, {
          body: ICS,
          headers: { 'content-type': 'text/calendar' },
        })
      ).status,
    ).toBe(404);
    const viewer = h.browser();
    await viewer.signIn(h.tenant(0).viewerUpn);
    expect((await viewer.request('GET', `/api/calendar-lists/${listId}`)).status).toBe(200);
    expect((await viewer.request('DELETE', `/api/calendar-lists/${listId}`)).status).toBe(403);
    expect((await admin.request('DELETE', `/api/calendar-lists/${listId}`)).status).toBe(204);
    expect(await entryRows()).toBe(0);
  });
});
