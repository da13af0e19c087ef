import { Fleet, tag, type FleetOptions, type SimEvent, type SimStats, type SimUser } from './fleet';

/**
 * Issue #20, acceptance 1 and 2: an .ics file with a weekly series (one occurrence moved, one
 * cancelled, organiser and attendee lines), an all-day event, events in New York and Kolkata
 * time and a rule Graph cannot express, pushed to the mailboxes as appointments. The expected
 * events below are written by hand, not computed by the code under test. One body for every
 * transport (issue #21): Graph for cloud mailboxes, EWS for on-premises ones.
 */
const ics = (opts: { nySubject?: string; movedTo?: [string, string] } = {}) => {
  const [movedStart, movedEnd] = opts.movedTo ?? ['20270126T140000', '20270126T143000'];
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//acceptance//EN',
    'BEGIN:VEVENT',
    'UID:weekly@acme.example',
    'DTSTART;TZID=Europe/Berlin:20270104T100000',
    'DTEND;TZID=Europe/Berlin:20270104T103000',
    'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8',
    'EXDATE;TZID=Europe/Berlin:20270118T100000',
    'ORGANIZER:mailto:boss@acme.example',
    'ATTENDEE;RSVP=TRUE:mailto:everyone@acme.example',
    'SUMMARY:Team weekly',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:weekly@acme.example',
    'RECURRENCE-ID;TZID=Europe/Berlin:20270125T100000',
    `DTSTART;TZID=Europe/Berlin:${movedStart}`,
    `DTEND;TZID=Europe/Berlin:${movedEnd}`,
    'SUMMARY:Team weekly (moved)',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:offsite@acme.example',
    'DTSTART;VALUE=DATE:20270212',
    'DTEND;VALUE=DATE:20270213',
    'SUMMARY:Company offsite',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:ny@acme.example',
    'DTSTART;TZID=America/New_York:20270301T090000',
    'DTEND;TZID=America/New_York:20270301T100000',
    `SUMMARY:${opts.nySubject ?? 'New York kickoff'}`,
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:kolkata@acme.example',
    'DTSTART;TZID=Asia/Kolkata:20270302T153000',
    'DTEND;TZID=Asia/Kolkata:20270302T163000',
    'SUMMARY:Bengaluru review',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:pills@acme.example',
    'DTSTART:20270310T080000Z',
    'DTEND:20270310T081500Z',
    'RRULE:FREQ=DAILY;BYHOUR=8,12;COUNT=4',
    'SUMMARY:Twice daily check',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
};

const CALENDAR = 'Company events';

/** An event a user made themselves, through the transport that reaches their mailbox. */
export interface OwnEvent {
  subject: string;
  isAllDay?: boolean;
  /** Wall-clock times in `timeZone` (a Windows name). */
  start: string;
  end: string;
  timeZone: string;
}

/** What differs between transports: mailboxes, sign-in, what a write and a request are. */
export interface CalendarTransport {
  name: string;
  fleet: FleetOptions;
  mailboxes: number;
  /** Mailboxes this transport serves. */
  serves(user: SimUser): boolean;
  /** Connects the tenant (e.g. its EWS connection) once the fleet is up. */
  connect?(fleet: Fleet): Promise<void>;
  /** Writes (items and calendars) the transport's operations made. */
  writes(stats: SimStats): number;
  /** Requests (Graph) or SOAP operations (EWS) sent. */
  cost(stats: SimStats): number;
  /** Per-item operation calls: a create, an update, a delete. */
  creates(stats: SimStats): number;
  updates(stats: SimStats): number;
  deletes(stats: SimStats): number;
  /** Creates a user's own event in their primary calendar or the given one; answers its id. */
  createOwnEvent(
    fleet: Fleet,
    user: SimUser,
    calendarId: string | null,
    e: OwnEvent,
  ): Promise<string>;
  /** Anything sent to anyone besides invitations (checked after every run). */
  assertNothingSent(stats: SimStats): void;
  /** Checks after every run (e.g. costs reported beside). */
  afterRun?(label: string, stats: SimStats): void;
  /** Checks once all is done (e.g. the EWS responses against the schema). */
  finish?(fleet: Fleet): Promise<void>;
}

export const opCount = (stats: SimStats, op: string) => stats.ops[op]?.count ?? 0;
/** The instant (UTC, as Graph answers) and the zone the event was written in. */
const when = (e: SimEvent) =>
  `${e.start.dateTime.slice(0, 16)}${e.start.timeZone === 'UTC' ? 'Z' : ` ${e.start.timeZone}`} ${e.originalStartTimeZone}`;

export function describeCalendarAcceptance(t: CalendarTransport): void {
  describe(`calendar list acceptance (issue #20, points 1 and 2) over ${t.name}`, () => {
    const MAILBOXES = t.mailboxes;
    const writes = t.writes;
    let fleet: Fleet;
    let listId: string;
    let mailboxes: string[];
    let users: SimUser[];
    let lookAlikeOwner: SimUser;
    let ownIds: string[];

    /** Our events in one mailbox (tagged with the list), by calendar. */
    const ours = async (userId: string) => {
      const { calendars, events } = await fleet.calendar(userId);
      const calendar = calendars.find((c) => c.name === CALENDAR);
      return {
        calendar,
        events: events.filter((e) => tag(e, 'CsListId') === listId),
        all: events,
      };
    };

    beforeAll(async () => {
      fleet = await Fleet.start(t.fleet);
      await t.connect?.(fleet);
      // Mailboxes the planner reaches: enabled users with an address and a mailbox this
      // transport serves.
      users = (await fleet.users())
        .filter(
          (u) =>
            t.serves(u) &&
            u.licensed !== false &&
            u.purpose === 'user' &&
            u.accountEnabled !== false &&
            !!u.mail,
        )
        .slice(0, MAILBOXES);
      mailboxes = users.map((u) => u.id);
      expect(mailboxes).toHaveLength(MAILBOXES);
      listId = await fleet.createCalendarList(
        'Company events',
        {
          sources: [{ id: 'upload', kind: 'ics-upload' }],
          destination: { kind: 'calendar', name: CALENDAR },
          showAs: 'busy',
        },
        mailboxes.map((id) => ({ kind: 'user', mode: 'include', value: id })),
      );
      expect(await fleet.storeIcs(listId, 'upload', ics())).toBe(8);

      // A user's own look-alike of one of our events, in the primary calendar: never touched.
      lookAlikeOwner = users[0];
      ownIds = [
        await t.createOwnEvent(fleet, lookAlikeOwner, null, {
          subject: 'New York kickoff',
          start: '2027-03-01T09:00:00',
          end: '2027-03-01T10:00:00',
          timeZone: 'Eastern Standard Time',
        }),
      ];
    }, 120_000);

    afterAll(async () => {
      try {
        if (fleet) await t.finish?.(fleet);
      } finally {
        await fleet?.stop();
      }
    });

    it('pushes one series with its exceptions, the right local times and the expanded events, and sends nothing', async () => {
      await fleet.resetStats();
      const run = await fleet.runNow(listId, 'sync', 240_000, 'calendar');
      expect(run).toMatchObject({ status: 'succeeded', mailboxesTotal: MAILBOXES });
      expect(run.mailboxesSucceeded).toBe(MAILBOXES);

      for (const mailboxId of mailboxes) {
        const { calendar, events } = await ours(mailboxId);
        expect(calendar).toBeDefined();
        expect(events.every((e) => e.calendarId === calendar!.id)).toBe(true);
        const masters = events.filter((e) => e.type === 'seriesMaster');
        expect(masters).toHaveLength(1);
        const [master] = masters;
        expect(master).toMatchObject({
          subject: 'Team weekly',
          // 10:00 in Berlin (CET, UTC+1).
          start: { dateTime: expect.stringMatching(/^2027-01-04T09:00:00/), timeZone: 'UTC' },
          originalStartTimeZone: 'W. Europe Standard Time',
          recurrence: {
            pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
            range: { type: 'numbered', startDate: '2027-01-04', numberOfOccurrences: 8 },
          },
        });
        // 18 January cancelled; 25 January moved to Tuesday 26 January, 14:00.
        expect(master.cancelledOccurrences.map((d) => d.slice(0, 10))).toEqual(['2027-01-18']);
        const exceptions = events.filter((e) => e.type === 'exception');
        expect(exceptions.map((e) => [e.seriesMasterId, e.subject, when(e)])).toEqual([
          [master.id, 'Team weekly (moved)', '2027-01-26T13:00Z W. Europe Standard Time'],
        ]);
        const singles = events
          .filter((e) => e.type === 'singleInstance')
          .map((e) => [e.subject, when(e), !!e.isAllDay])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
        // 09:00 in New York (EST, UTC-5); 15:30 in Kolkata (IST, UTC+5:30); the rule with two
        // hours a day (which Graph cannot express) as four single events.
        expect(singles).toEqual([
          ['Company offsite', expect.stringMatching(/^2027-02-12T00:00/), true],
          ['New York kickoff', '2027-03-01T14:00Z Eastern Standard Time', false],
          ['Bengaluru review', '2027-03-02T10:00Z India Standard Time', false],
          ['Twice daily check', '2027-03-10T08:00Z UTC', false],
          ['Twice daily check', '2027-03-10T12:00Z UTC', false],
          ['Twice daily check', '2027-03-11T08:00Z UTC', false],
          ['Twice daily check', '2027-03-11T12:00Z UTC', false],
        ]);
        // Appointments, not meetings: nobody invited, no reminder.
        expect(events.every((e) => (e.attendees ?? []).length === 0)).toBe(true);
        expect(events.every((e) => e.isReminderOn === false)).toBe(true);
      }
      const stats = await fleet.stats();
      expect(stats.ops['events.invitationsSent']?.count ?? 0).toBe(0);
      t.assertNothingSent(stats);
      t.afterRun?.('first push', stats);
    }, 300_000);

    it('writes nothing on the second run, at most 1.1 requests per mailbox', async () => {
      await fleet.resetStats();
      const run = await fleet.runNow(listId, 'sync', 240_000, 'calendar');
      expect(run).toMatchObject({ status: 'succeeded', mailboxesSucceeded: MAILBOXES });
      const stats = await fleet.stats();
      expect(writes(stats)).toBe(0);
      expect(t.cost(stats) / MAILBOXES).toBeLessThanOrEqual(1.1);
      t.afterRun?.('no-op', stats);
    }, 300_000);

    it('an edited event updates exactly one item per mailbox', async () => {
      await fleet.storeIcs(listId, 'upload', ics({ nySubject: 'New York kickoff (room 4)' }));
      await fleet.resetStats();
      await fleet.runNow(listId, 'sync', 240_000, 'calendar');
      const stats = await fleet.stats();
      expect(t.updates(stats)).toBe(MAILBOXES);
      expect(t.creates(stats) + t.deletes(stats)).toBe(0);
      t.assertNothingSent(stats);
      t.afterRun?.('one edit', stats);
      for (const mailboxId of mailboxes.slice(0, 5)) {
        const { events } = await ours(mailboxId);
        expect(events.filter((e) => e.subject?.startsWith('New York kickoff'))).toEqual([
          expect.objectContaining({ subject: 'New York kickoff (room 4)' }),
        ]);
      }
      // The user's look-alike kept its subject.
      const { all } = await ours(lookAlikeOwner.id);
      expect(all.find((e) => e.id === ownIds[0])).toMatchObject({ subject: 'New York kickoff' });
    }, 300_000);

    it('a moved occurrence changes exactly that exception', async () => {
      const before = await ours(mailboxes[1]);
      const masterBefore = before.events.find((e) => e.type === 'seriesMaster')!;
      await fleet.storeIcs(
        listId,
        'upload',
        ics({
          nySubject: 'New York kickoff (room 4)',
          movedTo: ['20270127T090000', '20270127T093000'],
        }),
      );
      await fleet.resetStats();
      await fleet.runNow(listId, 'sync', 240_000, 'calendar');
      const stats = await fleet.stats();
      // One exception per mailbox moved (calls per change reported by the bench); nothing created
      // or deleted, the series master itself untouched.
      expect(t.creates(stats) + t.deletes(stats)).toBe(0);
      t.assertNothingSent(stats);
      t.afterRun?.('one moved occurrence', stats);
      const after = await ours(mailboxes[1]);
      const masterAfter = after.events.find((e) => e.type === 'seriesMaster')!;
      expect(masterAfter.id).toBe(masterBefore.id);
      expect(masterAfter.recurrence).toEqual(masterBefore.recurrence);
      expect(
        after.events.filter((e) => e.type === 'exception').map((e) => [e.subject, when(e)]),
      ).toEqual([['Team weekly (moved)', '2027-01-27T08:00Z W. Europe Standard Time']]);
      expect(masterAfter.cancelledOccurrences.map((d) => d.slice(0, 10))).toEqual(['2027-01-18']);
    }, 300_000);

    it('deleting the list deletes exactly our events; the users’ own, look-alike included, stay', async () => {
      // A user's own event inside our calendar: ours to leave alone too.
      const { calendar } = await ours(lookAlikeOwner.id);
      ownIds.push(
        await t.createOwnEvent(fleet, lookAlikeOwner, calendar!.id, {
          subject: 'Company offsite',
          isAllDay: true,
          start: '2027-02-12T00:00:00',
          end: '2027-02-13T00:00:00',
          timeZone: 'W. Europe Standard Time',
        }),
      );
      await fleet.dataSource.query(
        'DELETE FROM target WHERE list_id = $1'.replace('$1', `'${listId}'`),
      );
      await fleet.dataSource.query(`DELETE FROM calendar_list WHERE id = '${listId}'`);
      await fleet.resetStats();
      const run = await fleet.runNow(listId, 'cleanup', 240_000, 'calendar');
      expect(run.status).toBe('succeeded');
      const stats = await fleet.stats();
      t.assertNothingSent(stats);
      t.afterRun?.('clean-up', stats);
      for (const mailboxId of mailboxes) expect((await ours(mailboxId)).events).toEqual([]);
      const { all } = await ours(lookAlikeOwner.id);
      expect(ownIds.map((id) => all.find((e) => e.id === id)?.subject)).toEqual([
        'New York kickoff',
        'Company offsite',
      ]);
    }, 300_000);
  });
}
