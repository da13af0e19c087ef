import type { CalendarEvent } from '@app/domain';
import {
  Appointment,
  DayOfTheWeek,
  ExchangeService,
  ExchangeVersion,
  LegacyFreeBusyStatus,
} from 'ews-javascript-api';
import {
  applyEventPatch,
  applyExceptionPatch,
  ewsRecurrenceOf,
  ewsTimeOf,
} from './ews-event-fields';

// Expected instants written out by hand (UTC offsets of the zones on those dates).
const at = (iso: string) => Date.parse(iso);

describe('EWS event body mapping', () => {
  it('an all-day event is midnight to midnight in UTC', () => {
    expect(ewsTimeOf({ kind: 'date', date: '2027-02-12' })).toEqual({
      instant: at('2027-02-12T00:00:00Z'),
      zone: 'UTC',
    });
  });

  it.each([
    // EST (UTC-5) in March before the switch; EDT (UTC-4) after it
    ['America/New_York', '2027-03-01T09:00:00', '2027-03-01T14:00:00Z', 'Eastern Standard Time'],
    ['America/New_York', '2027-07-01T09:00:00', '2027-07-01T13:00:00Z', 'Eastern Standard Time'],
    // IST (UTC+5:30), no daylight saving
    ['Asia/Kolkata', '2027-03-02T15:30:00', '2027-03-02T10:00:00Z', 'India Standard Time'],
    // CET (UTC+1) in winter, CEST (UTC+2) in summer
    ['Europe/Berlin', '2027-01-04T10:00:00', '2027-01-04T09:00:00Z', 'W. Europe Standard Time'],
    ['Europe/Berlin', '2027-06-07T10:00:00', '2027-06-07T08:00:00Z', 'W. Europe Standard Time'],
  ])('%s %s is the instant %s, kept in %s', (zone, local, utc, windows) => {
    expect(ewsTimeOf({ kind: 'dateTime', local, timeZone: zone })).toEqual({
      instant: at(utc),
      zone: windows,
    });
  });

  it('UTC stays UTC', () => {
    expect(
      ewsTimeOf({ kind: 'dateTime', local: '2027-03-10T08:00:00', timeZone: 'Etc/UTC' }),
    ).toEqual({ instant: at('2027-03-10T08:00:00Z'), zone: 'UTC' });
  });

  const service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
  const series: CalendarEvent = {
    sourceKey: 'weekly@acme.example',
    subject: 'Team weekly',
    body: 'Agenda',
    location: 'Room 4',
    start: { kind: 'dateTime', local: '2027-01-04T10:00:00', timeZone: 'Europe/Berlin' },
    end: { kind: 'dateTime', local: '2027-01-04T10:30:00', timeZone: 'Europe/Berlin' },
    isAllDay: false,
    showAs: 'free',
    isReminderOn: false,
    categories: ['Company'],
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' },
      range: { type: 'numbered', startDate: '2027-01-04', numberOfOccurrences: 8 },
    },
  };

  it('an appointment: no attendees, no response requested, show-as, reminder, zone, recurrence', () => {
    const a = new Appointment(service);
    applyEventPatch(a, series);
    expect(a.Subject).toBe('Team weekly');
    expect(a.Body.Text).toBe('Agenda');
    expect(a.Location).toBe('Room 4');
    expect(a.Start.TotalMilliSeconds).toBe(at('2027-01-04T09:00:00Z'));
    expect(a.End.TotalMilliSeconds).toBe(at('2027-01-04T09:30:00Z'));
    expect(a.StartTimeZone.Id).toBe('W. Europe Standard Time');
    expect(a.EndTimeZone.Id).toBe('W. Europe Standard Time');
    expect(a.IsAllDayEvent).toBe(false);
    expect(a.LegacyFreeBusyStatus).toBe(LegacyFreeBusyStatus.Free);
    expect(a.IsReminderSet).toBe(false);
    expect(a.IsResponseRequested).toBe(false);
    expect(a.Categories.GetEnumerator()).toEqual(['Company']);
    expect(a.RequiredAttendees.Count).toBe(0);
    expect(a.OptionalAttendees.Count).toBe(0);
    const r = a.Recurrence as unknown as {
      DaysOfTheWeek: { GetEnumerator(): DayOfTheWeek[] };
      NumberOfOccurrences: number;
      StartDate: { TotalMilliSeconds: number };
      FirstDayOfWeek: number;
    };
    expect(r.DaysOfTheWeek.GetEnumerator()).toEqual([DayOfTheWeek.Monday]);
    expect(r.NumberOfOccurrences).toBe(8);
    expect(r.StartDate.TotalMilliSeconds).toBe(at('2027-01-04T00:00:00Z'));
    expect(r.FirstDayOfWeek).toBe(DayOfTheWeek.Monday);
  });

  it('recurrence patterns and ranges map one to one', () => {
    const monthly = ewsRecurrenceOf({
      pattern: { type: 'relativeMonthly', interval: 2, daysOfWeek: ['friday'], index: 'last' },
      range: { type: 'endDate', startDate: '2027-01-29', endDate: '2027-12-31' },
    }) as unknown as {
      Interval: number;
      DayOfTheWeek: DayOfTheWeek;
      EndDate: { TotalMilliSeconds: number };
      HasEnd: boolean;
    };
    expect(monthly.Interval).toBe(2);
    expect(monthly.DayOfTheWeek).toBe(DayOfTheWeek.Friday);
    expect(monthly.EndDate.TotalMilliSeconds).toBe(at('2027-12-31T00:00:00Z'));
    const yearly = ewsRecurrenceOf({
      pattern: { type: 'absoluteYearly', interval: 1, month: 12, dayOfMonth: 24 },
      range: { type: 'noEnd', startDate: '2027-12-24' },
    }) as unknown as { Month: number; DayOfMonth: number; HasEnd: boolean };
    expect([yearly.Month, yearly.DayOfMonth, yearly.HasEnd]).toEqual([12, 24, false]);
  });

  it('an all-day event keeps its dates and says so', () => {
    const a = new Appointment(service);
    applyEventPatch(a, {
      ...series,
      recurrence: undefined,
      isAllDay: true,
      start: { kind: 'date', date: '2027-02-12' },
      end: { kind: 'date', date: '2027-02-13' },
    });
    expect(a.IsAllDayEvent).toBe(true);
    expect(a.StartTimeZone.Id).toBe('UTC');
    expect([a.Start.TotalMilliSeconds, a.End.TotalMilliSeconds]).toEqual([
      at('2027-02-12T00:00:00Z'),
      at('2027-02-13T00:00:00Z'),
    ]);
  });

  it('a moved occurrence carries its own times and what it overrides', () => {
    const a = new Appointment(service);
    applyExceptionPatch(a, {
      kind: 'modified',
      originalStart: series.start,
      start: { kind: 'dateTime', local: '2027-01-26T14:00:00', timeZone: 'Europe/Berlin' },
      end: { kind: 'dateTime', local: '2027-01-26T14:30:00', timeZone: 'Europe/Berlin' },
      subject: 'Team weekly (moved)',
    });
    expect(a.Start.TotalMilliSeconds).toBe(at('2027-01-26T13:00:00Z'));
    expect(a.End.TotalMilliSeconds).toBe(at('2027-01-26T13:30:00Z'));
    expect(a.Subject).toBe('Team weekly (moved)');
  });
});
