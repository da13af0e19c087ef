import { Fleet, tag } from './support/fleet';

/**
 * Issue #20, a source mailbox's calendar as a list's source: read through Graph (series masters
 * and their instances, not calendarView's occurrences) and pushed as a series with its
 * cancelled occurrence, plus a single event, into every targeted mailbox.
 */
describe('a source mailbox calendar pushed to mailboxes', () => {
  let fleet: Fleet;
  let source: string;
  let targets: string[];

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 10 } });
    const users = (await fleet.users()).filter(
      (u) =>
        u.mailbox === 'cloud' &&
        u.licensed !== false &&
        u.purpose === 'user' &&
        u.accountEnabled !== false &&
        !!u.mail,
    );
    [source, ...targets] = users.slice(0, 4).map((u) => u.id);
    expect(targets).toHaveLength(3);

    const series = await fleet.graph<{ id: string }>('POST', `/users/${source}/events`, {
      subject: 'Board meeting',
      start: { dateTime: '2027-02-01T15:00:00', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2027-02-01T16:00:00', timeZone: 'W. Europe Standard Time' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
        range: { type: 'numbered', startDate: '2027-02-01', numberOfOccurrences: 4 },
      },
    });
    expect(series.status).toBe(201);
    // The second occurrence is cancelled in the source.
    const instances = await fleet.graph<{
      value: Array<{ id: string; start: { dateTime: string } }>;
    }>(
      'GET',
      `/users/${source}/events/${series.body.id}/instances?startDateTime=2027-01-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z`,
    );
    const second = instances.body.value.find((i) => i.start.dateTime.startsWith('2027-02-08'));
    expect((await fleet.graph('DELETE', `/users/${source}/events/${second!.id}`)).status).toBe(204);
    const single = await fleet.graph('POST', `/users/${source}/events`, {
      subject: 'Annual review',
      start: { dateTime: '2027-03-03T10:00:00', timeZone: 'Eastern Standard Time' },
      end: { dateTime: '2027-03-03T11:00:00', timeZone: 'Eastern Standard Time' },
    });
    expect(single.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  it('each target gets the series with its cancelled occurrence and the single event', async () => {
    const listId = await fleet.createCalendarList(
      'Board calendar',
      {
        sources: [{ id: 'board', kind: 'mailbox-calendar', mailboxId: source }],
        destination: { kind: 'calendar', name: 'Board' },
      },
      targets.map((id) => ({ kind: 'user', mode: 'include', value: id })),
    );
    const run = await fleet.runNow(listId, 'sync', 120_000, 'calendar');
    expect(run).toMatchObject({ status: 'succeeded', mailboxesSucceeded: 3 });
    for (const mailboxId of targets) {
      const ours = (await fleet.calendar(mailboxId)).events.filter(
        (e) => tag(e, 'CsListId') === listId,
      );
      expect(ours.map((e) => [e.type, e.subject]).sort()).toEqual([
        ['seriesMaster', 'Board meeting'],
        ['singleInstance', 'Annual review'],
      ]);
      const master = ours.find((e) => e.type === 'seriesMaster')!;
      expect(master.recurrence).toMatchObject({
        pattern: { type: 'weekly', daysOfWeek: ['monday'] },
        range: { type: 'numbered', startDate: '2027-02-01', numberOfOccurrences: 4 },
      });
      expect(master.cancelledOccurrences.map((d) => d.slice(0, 10))).toEqual(['2027-02-08']);
      // 15:00 in Berlin (CET) and 10:00 in New York (EST), kept in their zones.
      expect([master.start.dateTime.slice(0, 16), master.originalStartTimeZone]).toEqual([
        '2027-02-01T14:00',
        'W. Europe Standard Time',
      ]);
      const review = ours.find((e) => e.type === 'singleInstance')!;
      expect([review.start.dateTime.slice(0, 16), review.originalStartTimeZone]).toEqual([
        '2027-03-03T15:00',
        'Eastern Standard Time',
      ]);
    }
    // Nothing was written to the source mailbox.
    const sourceOurs = (await fleet.calendar(source)).events.filter(
      (e) => tag(e, 'CsListId') === listId,
    );
    expect(sourceOurs).toEqual([]);
  }, 240_000);
});
