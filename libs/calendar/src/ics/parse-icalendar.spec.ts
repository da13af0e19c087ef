import { ICalendarInvalid } from './icalendar-invalid';
import { parseICalendar, type ICalendarOptions } from './parse-icalendar';

const OPTIONS: ICalendarOptions = {
  window: { start: new Date('2026-07-01T00:00:00Z'), end: new Date('2028-07-01T00:00:00Z') },
  showAs: 'busy',
  isReminderOn: false,
};

const ics = (...body: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...body, 'END:VCALENDAR'].join('\r\n');

/** The acceptance fixture: a weekly series with one moved and one cancelled occurrence, … */
const FIXTURE = ics(
  'BEGIN:VEVENT',
  'UID:standup@example.com',
  'DTSTART;TZID=America/New_York:20270105T090000',
  'DTEND;TZID=America/New_York:20270105T093000',
  'RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10',
  'EXDATE;TZID=America/New_York:20270119T090000',
  'SUMMARY:Stand-up',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:standup@example.com',
  'RECURRENCE-ID;TZID=America/New_York:20270126T090000',
  'DTSTART;TZID=America/New_York:20270126T110000',
  'DTEND;TZID=America/New_York:20270126T113000',
  'SUMMARY:Stand-up (moved)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:holiday@example.com',
  'DTSTART;VALUE=DATE:20270704',
  'DTEND;VALUE=DATE:20270705',
  'SUMMARY:Independence Day',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:kolkata@example.com',
  'DTSTART;TZID=India Standard Time:20270210T150000',
  'DTEND;TZID=India Standard Time:20270210T160000',
  'SUMMARY:Review with the Kolkata team',
  'DESCRIPTION:Long line that is folded',
  '  across two physical lines — with UTF-8: Grüße',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:hourly@example.com',
  'DTSTART:20270301T080000Z',
  'DTEND:20270301T081500Z',
  'RRULE:FREQ=DAILY;BYHOUR=8,12;COUNT=4',
  'SUMMARY:Pill reminder',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:gone@example.com',
  'DTSTART:20270401T080000Z',
  'STATUS:CANCELLED',
  'SUMMARY:Called off',
  'END:VEVENT',
);

describe('parseICalendar', () => {
  it('keeps a weekly series as a series with its moved and cancelled occurrences as exceptions', () => {
    const { events } = parseICalendar(FIXTURE, OPTIONS);
    const series = events.find((e) => e.sourceKey === 'ics:standup@example.com')!;
    expect(series).toMatchObject({
      subject: 'Stand-up',
      start: { kind: 'dateTime', local: '2027-01-05T09:00:00', timeZone: 'America/New_York' },
      end: { kind: 'dateTime', local: '2027-01-05T09:30:00', timeZone: 'America/New_York' },
      isAllDay: false,
      showAs: 'busy',
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: ['tuesday'],
          firstDayOfWeek: 'monday',
        },
        range: { type: 'numbered', startDate: '2027-01-05', numberOfOccurrences: 10 },
      },
    });
    expect(series.exceptions).toEqual([
      {
        kind: 'cancelled',
        originalStart: {
          kind: 'dateTime',
          local: '2027-01-19T09:00:00',
          timeZone: 'America/New_York',
        },
      },
      {
        kind: 'modified',
        originalStart: {
          kind: 'dateTime',
          local: '2027-01-26T09:00:00',
          timeZone: 'America/New_York',
        },
        start: { kind: 'dateTime', local: '2027-01-26T11:00:00', timeZone: 'America/New_York' },
        end: { kind: 'dateTime', local: '2027-01-26T11:30:00', timeZone: 'America/New_York' },
        subject: 'Stand-up (moved)',
      },
    ]);
  });

  it('keeps all-day dates, maps a Windows zone to IANA and unfolds UTF-8 text', () => {
    const { events } = parseICalendar(FIXTURE, OPTIONS);
    expect(events.find((e) => e.sourceKey === 'ics:holiday@example.com')).toMatchObject({
      isAllDay: true,
      start: { kind: 'date', date: '2027-07-04' },
      end: { kind: 'date', date: '2027-07-05' },
    });
    expect(events.find((e) => e.sourceKey === 'ics:kolkata@example.com')).toMatchObject({
      start: { kind: 'dateTime', local: '2027-02-10T15:00:00', timeZone: 'Asia/Kolkata' },
      body: 'Long line that is folded across two physical lines — with UTF-8: Grüße',
    });
  });

  it('expands a rule Graph cannot express into single events and says why', () => {
    const { events, expanded, cancelled } = parseICalendar(FIXTURE, OPTIONS);
    const pills = events.filter((e) => e.subject === 'Pill reminder');
    expect(pills.map((e) => e.start)).toEqual(
      [
        '2027-03-01T08:00:00',
        '2027-03-01T12:00:00',
        '2027-03-02T08:00:00',
        '2027-03-02T12:00:00',
      ].map((local) => ({ kind: 'dateTime', local, timeZone: 'UTC' })),
    );
    expect(pills.every((e) => !e.recurrence)).toBe(true);
    expect(new Set(pills.map((e) => e.sourceKey)).size).toBe(4);
    expect(expanded).toEqual([
      {
        uid: 'hourly@example.com',
        subject: 'Pill reminder',
        reason: 'BYHOUR has no equivalent',
        occurrences: 4,
      },
    ]);
    expect(cancelled).toBe(1);
    expect(events.some((e) => e.subject === 'Called off')).toBe(false);
    expect(events).toHaveLength(3 + 4);
  });

  it('leaves out events outside the window', () => {
    const { events } = parseICalendar(
      ics(
        'BEGIN:VEVENT',
        'UID:old@example.com',
        'DTSTART:20200101T100000Z',
        'SUMMARY:Long ago',
        'END:VEVENT',
      ),
      OPTIONS,
    );
    expect(events).toEqual([]);
  });

  it.each([
    [
      ics('BEGIN:VEVENT', 'UID:a', 'DTSTART:20270101T100000Z', 'SUMMARY:x'),
      8,
      /END:VCALENDAR closes BEGIN:VEVENT of line 4/,
    ],
    [
      ics('BEGIN:VEVENT', 'UID:a', 'DTSTART:2027-01-01', 'END:VEVENT'),
      6,
      /DTSTART value "2027-01-01"/,
    ],
    [ics('BEGIN:VEVENT', 'UID:a', 'this is not a property', 'END:VEVENT'), 6, /not a content line/],
    [ics('BEGIN:VEVENT', 'DTSTART:20270101T100000Z', 'END:VEVENT'), 4, /without UID/],
    [
      ics('BEGIN:VEVENT', 'UID:a', 'DTSTART;TZID=Mars/Olympus:20270101T100000', 'END:VEVENT'),
      6,
      /unknown time zone TZID=Mars\/Olympus/,
    ],
    ['BEGIN:VEVENT\r\nEND:VEVENT', 1, /does not start with BEGIN:VCALENDAR/],
  ])('refuses a malformed file naming the line and the reason (%#)', (text, line, reason) => {
    let error: unknown;
    try {
      parseICalendar(text, OPTIONS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ICalendarInvalid);
    expect((error as ICalendarInvalid).line).toBe(line);
    expect((error as ICalendarInvalid).reason).toMatch(reason);
    expect(error).toMatchObject({ code: 'icalendar_invalid', status: 400 });
  });
});
