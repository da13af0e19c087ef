import type { CalendarEvent, DayOfWeek, EventRecurrence, EventTime, WeekIndex } from '@app/domain';
import {
  type Appointment,
  BodyType,
  DateTime,
  DayOfTheWeek,
  DayOfTheWeekIndex,
  LegacyFreeBusyStatus,
  MessageBody,
  Recurrence,
  StringList,
  TimeZoneInfo,
} from 'ews-javascript-api';
import { instantOfEventTime, toGraphDateTime } from '../mailbox/graph-event-body';

/**
 * An event time as EWS writes it: the instant, and the Windows zone the calendar item keeps
 * (Exchange takes a TimeZoneDefinition by its Windows Id). All-day: midnight to midnight in
 * UTC, as on Graph; a zone without a Windows name is written as the same instant in UTC.
 */
export interface EwsTime {
  instant: number;
  zone: string;
}

export function ewsTimeOf(time: EventTime): EwsTime {
  const graph = toGraphDateTime(time); // the same zone choice as the Graph adapter
  return { instant: instantOfEventTime(time), zone: graph.timeZone };
}

const DAYS: Record<DayOfWeek, DayOfTheWeek> = {
  sunday: DayOfTheWeek.Sunday,
  monday: DayOfTheWeek.Monday,
  tuesday: DayOfTheWeek.Tuesday,
  wednesday: DayOfTheWeek.Wednesday,
  thursday: DayOfTheWeek.Thursday,
  friday: DayOfTheWeek.Friday,
  saturday: DayOfTheWeek.Saturday,
};
const INDEX: Record<WeekIndex, DayOfTheWeekIndex> = {
  first: DayOfTheWeekIndex.First,
  second: DayOfTheWeekIndex.Second,
  third: DayOfTheWeekIndex.Third,
  fourth: DayOfTheWeekIndex.Fourth,
  last: DayOfTheWeekIndex.Last,
};
const SHOW_AS: Record<CalendarEvent['showAs'], LegacyFreeBusyStatus> = {
  free: LegacyFreeBusyStatus.Free,
  tentative: LegacyFreeBusyStatus.Tentative,
  busy: LegacyFreeBusyStatus.Busy,
  oof: LegacyFreeBusyStatus.OOF,
  workingElsewhere: LegacyFreeBusyStatus.WorkingElsewhere,
};

/** The library's pattern classes (its typings declare them without their constructors). */
const Patterns = Recurrence as unknown as {
  DailyPattern: new (start: DateTime, interval: number) => Recurrence;
  WeeklyPattern: new (
    start: DateTime,
    interval: number,
    days: DayOfTheWeek[],
  ) => Recurrence & { FirstDayOfWeek: number };
  MonthlyPattern: new (start: DateTime, interval: number, dayOfMonth: number) => Recurrence;
  RelativeMonthlyPattern: new (
    start: DateTime,
    interval: number,
    day: DayOfTheWeek,
    index: DayOfTheWeekIndex,
  ) => Recurrence;
  YearlyPattern: new (start: DateTime, month: number, dayOfMonth: number) => Recurrence;
  RelativeYearlyPattern: new (
    start: DateTime,
    month: number,
    day: DayOfTheWeek,
    index: DayOfTheWeekIndex,
  ) => Recurrence;
};

/** A date (`YYYY-MM-DD`) as the library writes an xs:date. */
function dateOf(date: string): DateTime {
  return new DateTime(Date.parse(`${date}T00:00:00Z`));
}

/**
 * EWS's recurrence types map one to one to the domain's (Graph's) patterns; the range's dates
 * are in the series' own zone, as the domain keeps them.
 */
export function ewsRecurrenceOf(r: EventRecurrence): Recurrence {
  const start = dateOf(r.range.startDate);
  const p = r.pattern;
  let out: Recurrence;
  switch (p.type) {
    case 'daily':
      out = new Patterns.DailyPattern(start, p.interval);
      break;
    case 'weekly': {
      const weekly = new Patterns.WeeklyPattern(
        start,
        p.interval,
        p.daysOfWeek.map((d) => DAYS[d]),
      );
      // System.DayOfWeek and DayOfTheWeek number Sunday..Saturday alike
      weekly.FirstDayOfWeek = DAYS[p.firstDayOfWeek];
      out = weekly;
      break;
    }
    case 'absoluteMonthly':
      out = new Patterns.MonthlyPattern(start, p.interval, p.dayOfMonth);
      break;
    case 'relativeMonthly':
      out = new Patterns.RelativeMonthlyPattern(
        start,
        p.interval,
        DAYS[p.daysOfWeek[0]],
        INDEX[p.index],
      );
      break;
    case 'absoluteYearly':
      out = new Patterns.YearlyPattern(start, p.month, p.dayOfMonth);
      break;
    case 'relativeYearly':
      out = new Patterns.RelativeYearlyPattern(
        start,
        p.month,
        DAYS[p.daysOfWeek[0]],
        INDEX[p.index],
      );
      break;
  }
  const range = r.range;
  if (range.type === 'numbered') out.NumberOfOccurrences = range.numberOfOccurrences;
  else if (range.type === 'endDate') out.EndDate = dateOf(range.endDate);
  else out.NeverEnds();
  return out;
}

function zoneInfo(zone: string): TimeZoneInfo {
  return zone === 'UTC' ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone);
}

/**
 * One of our events on an EWS calendar item: an appointment (never attendees, so nobody is
 * invited; no response requested), the list's show-as and reminder, the zone it was written
 * in; a series carries its recurrence (its exceptions are written on the occurrences after).
 */
export function applyEventPatch(appt: Appointment, event: CalendarEvent): void {
  const start = ewsTimeOf(event.start);
  const end = ewsTimeOf(event.end);
  appt.Subject = event.subject;
  appt.Body = new MessageBody(BodyType.Text, event.body ?? '');
  appt.Location = event.location ?? '';
  appt.StartTimeZone = zoneInfo(start.zone);
  appt.EndTimeZone = zoneInfo(end.zone);
  appt.Start = new DateTime(start.instant);
  appt.End = new DateTime(end.instant);
  appt.IsAllDayEvent = event.isAllDay;
  appt.LegacyFreeBusyStatus = SHOW_AS[event.showAs];
  appt.IsReminderSet = event.isReminderOn;
  if (event.reminderMinutesBeforeStart !== undefined)
    appt.ReminderMinutesBeforeStart = event.reminderMinutesBeforeStart;
  appt.Categories = new StringList(event.categories ?? []);
  appt.IsResponseRequested = false;
  if (event.recurrence) appt.Recurrence = ewsRecurrenceOf(event.recurrence);
}

/** A modified occurrence's own times and what it overrides. */
export function applyExceptionPatch(
  appt: Appointment,
  exception: Extract<NonNullable<CalendarEvent['exceptions']>[number], { kind: 'modified' }>,
): void {
  appt.Start = new DateTime(instantOfEventTime(exception.start));
  appt.End = new DateTime(instantOfEventTime(exception.end));
  if (exception.subject !== undefined) appt.Subject = exception.subject;
  if (exception.location !== undefined) appt.Location = exception.location;
  if (exception.body !== undefined) appt.Body = new MessageBody(BodyType.Text, exception.body);
}
