import { instantOf, localTimeIn } from '@app/calendar';
import type { CalendarEvent, EventRecurrence, EventTime } from '@app/domain';
import { findWindows } from 'windows-iana';

/** The Graph dateTimeTimeZone of a zone-local time. */
export interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

/**
 * A zone as Graph takes it on create and update: the Windows name (every Windows zone works;
 * only some IANA names do, "methods such as create or update might not support all
 * dateTimeTimeZone time zones", learn.microsoft.com/graph/api/resources/datetimetimezone).
 */
export function graphTimeZoneOf(iana: string): string | undefined {
  if (iana === 'UTC' || iana === 'Etc/UTC') return 'UTC';
  return findWindows(iana)?.[0];
}

/**
 * An event time as Graph writes it. All-day: midnight to midnight in one zone (UTC), as Graph
 * requires; a zone without a Windows name is written as the same instant in UTC.
 */
export function toGraphDateTime(time: EventTime): GraphDateTime {
  if (time.kind === 'date') return { dateTime: `${time.date}T00:00:00`, timeZone: 'UTC' };
  const windows = graphTimeZoneOf(time.timeZone);
  if (windows) return { dateTime: time.local, timeZone: windows };
  return { dateTime: localTimeIn(instantOf(time.local, time.timeZone), 'UTC'), timeZone: 'UTC' };
}

/** The instant of an event time (all-day dates at UTC midnight), for matching occurrences. */
export function instantOfEventTime(time: EventTime): number {
  return time.kind === 'date'
    ? Date.parse(`${time.date}T00:00:00Z`)
    : instantOf(time.local, time.timeZone).getTime();
}

function toGraphRecurrence(recurrence: EventRecurrence, start: EventTime): Record<string, unknown> {
  const zone = start.kind === 'dateTime' ? (graphTimeZoneOf(start.timeZone) ?? 'UTC') : 'UTC';
  return {
    pattern: { ...recurrence.pattern },
    range: { ...recurrence.range, recurrenceTimeZone: zone },
  };
}

/**
 * The Graph body of one of our events: an appointment (never attendees: nobody is invited),
 * no online meeting, the list's show-as and reminder; a series carries its recurrence
 * (exceptions are written on the instances afterwards).
 */
export function toGraphEvent(event: CalendarEvent): Record<string, unknown> {
  return {
    subject: event.subject,
    body: { contentType: 'text', content: event.body ?? '' },
    location: { displayName: event.location ?? '' },
    start: toGraphDateTime(event.start),
    end: toGraphDateTime(event.end),
    isAllDay: event.isAllDay,
    showAs: event.showAs,
    isReminderOn: event.isReminderOn,
    ...(event.reminderMinutesBeforeStart !== undefined
      ? { reminderMinutesBeforeStart: event.reminderMinutesBeforeStart }
      : {}),
    categories: event.categories ?? [],
    responseRequested: false,
    recurrence: event.recurrence ? toGraphRecurrence(event.recurrence, event.start) : null,
  };
}

/** The body of a modified occurrence: its own times and what it overrides. */
export function toGraphException(
  exception: Extract<NonNullable<CalendarEvent['exceptions']>[number], { kind: 'modified' }>,
): Record<string, unknown> {
  return {
    start: toGraphDateTime(exception.start),
    end: toGraphDateTime(exception.end),
    ...(exception.subject !== undefined ? { subject: exception.subject } : {}),
    ...(exception.location !== undefined ? { location: { displayName: exception.location } } : {}),
    ...(exception.body !== undefined
      ? { body: { contentType: 'text', content: exception.body } }
      : {}),
  };
}
