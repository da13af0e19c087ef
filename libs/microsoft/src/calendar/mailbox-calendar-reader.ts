import { isIanaZone, localTimeIn } from '@app/calendar';
import type {
  CalendarEvent,
  DayOfWeek,
  EventException,
  EventRecurrence,
  EventTime,
  ShowAs,
} from '@app/domain';
import { findIana } from 'windows-iana';
import { GraphGateway } from '../graph/graph-gateway';
import { graphPages } from '../graph/graph-pages';
import type { TenantRef } from '../graph/graph-types';
import { assertMailboxOk } from '../mailbox/graph-mailbox-checks';
import { MicrosoftError } from '../microsoft-error';
import { recurrenceDates } from './recurrence-dates';

/** An event as Graph lists it (times in UTC: no Prefer outlook.timezone header is sent). */
interface GraphEvent {
  id: string;
  iCalUId?: string;
  type?: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  subject?: string | null;
  body?: { contentType?: string; content?: string } | null;
  location?: { displayName?: string | null } | null;
  start?: { dateTime: string; timeZone: string };
  end?: { dateTime: string; timeZone: string };
  originalStart?: string | null;
  originalStartTimeZone?: string | null;
  originalEndTimeZone?: string | null;
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: string;
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  categories?: string[];
  recurrence?: GraphRecurrence | null;
}

interface GraphRecurrence {
  pattern: {
    type: EventRecurrence['pattern']['type'];
    interval?: number;
    month?: number;
    dayOfMonth?: number;
    daysOfWeek?: DayOfWeek[];
    firstDayOfWeek?: DayOfWeek;
    index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
  };
  range: {
    type: EventRecurrence['range']['type'];
    startDate: string;
    endDate?: string;
    numberOfOccurrences?: number;
  };
}

const SELECT = [
  'id',
  'iCalUId',
  'type',
  'subject',
  'body',
  'location',
  'start',
  'end',
  'originalStart',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'isAllDay',
  'isCancelled',
  'showAs',
  'isReminderOn',
  'reminderMinutesBeforeStart',
  'categories',
  'recurrence',
].join(',');
const INSTANCE_SELECT = 'id,type,originalStart,start,end,subject,location,body,isCancelled';
const SHOW_AS: readonly ShowAs[] = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere'];
const PAGE = 1000;

/** An IANA zone for the zone name Graph reports (Windows, IANA, or custom: UTC). */
function ianaOf(name: string | null | undefined): string {
  if (!name) return 'UTC';
  if (name === 'UTC' || name === 'tzone://Microsoft/Utc') return 'UTC';
  const windows = findIana(name)?.[0];
  if (windows) return windows;
  return isIanaZone(name) && name.includes('/') ? name : 'UTC';
}

/** A Graph UTC date-time ("2027-01-05T14:00:00.0000000") as an instant. */
function utcInstant(dateTime: string): Date {
  const trimmed = dateTime.replace(/(\.\d{3})\d*$/, '$1');
  return new Date(/Z|[+-]\d\d:\d\d$/.test(trimmed) ? trimmed : `${trimmed}Z`);
}

function timeOf(
  value: { dateTime: string; timeZone: string },
  zone: string,
  allDay: boolean,
): EventTime {
  // All-day events are dates: Graph gives them as midnight to midnight (no zone applies).
  // Answered in UTC, an all-day event created in another zone starts at that zone's midnight.
  if (allDay)
    return {
      kind: 'date',
      date: /T00:00:00(\.0+)?$/.test(value.dateTime)
        ? value.dateTime.slice(0, 10)
        : localTimeIn(utcInstant(value.dateTime), zone).slice(0, 10),
    };
  return { kind: 'dateTime', local: localTimeIn(utcInstant(value.dateTime), zone), timeZone: zone };
}

function recurrenceOf(r: GraphRecurrence): EventRecurrence | undefined {
  const p = r.pattern;
  const interval = p.interval && p.interval > 0 ? p.interval : 1;
  const days = p.daysOfWeek ?? [];
  let pattern: EventRecurrence['pattern'];
  switch (p.type) {
    case 'daily':
      pattern = { type: 'daily', interval };
      break;
    case 'weekly':
      pattern = {
        type: 'weekly',
        interval,
        daysOfWeek: days,
        firstDayOfWeek: p.firstDayOfWeek ?? 'sunday',
      };
      break;
    case 'absoluteMonthly':
      pattern = { type: 'absoluteMonthly', interval, dayOfMonth: p.dayOfMonth ?? 1 };
      break;
    case 'relativeMonthly':
      pattern = { type: 'relativeMonthly', interval, daysOfWeek: days, index: p.index ?? 'first' };
      break;
    case 'absoluteYearly':
      pattern = {
        type: 'absoluteYearly',
        interval,
        month: p.month ?? 1,
        dayOfMonth: p.dayOfMonth ?? 1,
      };
      break;
    case 'relativeYearly':
      pattern = {
        type: 'relativeYearly',
        interval,
        month: p.month ?? 1,
        daysOfWeek: days,
        index: p.index ?? 'first',
      };
      break;
    default:
      return undefined;
  }
  const range = r.range;
  // Graph writes "0001-01-01" as the end date of a series without one.
  const endDate = range.endDate && range.endDate !== '0001-01-01' ? range.endDate : undefined;
  return {
    pattern,
    range:
      range.type === 'endDate' && endDate
        ? { type: 'endDate', startDate: range.startDate, endDate }
        : range.type === 'numbered' && range.numberOfOccurrences
          ? {
              type: 'numbered',
              startDate: range.startDate,
              numberOfOccurrences: range.numberOfOccurrences,
            }
          : { type: 'noEnd', startDate: range.startDate },
  };
}

function textOf(body: GraphEvent['body']): string | undefined {
  const content = body?.content?.trim();
  if (!content) return undefined;
  if ((body?.contentType ?? 'text').toLowerCase() !== 'html') return content;
  const text = content
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text || undefined;
}

const dateOfTime = (t: EventTime) => (t.kind === 'date' ? t.date : t.local.slice(0, 10));

/**
 * Reads a source mailbox's calendar (by name, default the primary one) through Graph for a
 * calendar list's `mailbox-calendar` source: series masters with their recurrence and single
 * events from the calendar's event listing (which returns no occurrences), then each series'
 * `/instances` over the window for its moved or edited occurrences (type `exception`) and its
 * deleted ones (dates the pattern holds with no instance). Times come back in UTC and are put
 * in the event's own zone (`originalStartTimeZone`); all-day events become dates. The source's
 * attendees are never read: what a list pushes are appointments.
 */
export class MailboxCalendarReader {
  constructor(private readonly graph: GraphGateway) {}

  async read(
    tenant: TenantRef,
    mailboxId: string,
    calendarName: string | undefined,
    window: { start: Date; end: Date },
  ): Promise<CalendarEvent[]> {
    const base = await this.calendarPath(tenant, mailboxId, calendarName);
    const events: CalendarEvent[] = [];
    const listing = `${base}/events?$select=${SELECT}&$top=${PAGE}`;
    for await (const page of graphPages<GraphEvent>(this.graph, tenant, listing, (res) =>
      assertMailboxOk(res, mailboxId),
    ))
      for (const item of page) {
        if (item.isCancelled || !item.start || !item.end) continue;
        if (item.type === 'seriesMaster' && item.recurrence) {
          const series = await this.series(tenant, mailboxId, base, item, window);
          if (series) events.push(series);
        } else if (item.type !== 'occurrence' && item.type !== 'exception') {
          const event = this.eventOf(item);
          if (Date.parse(`${item.start.dateTime.slice(0, 19)}Z`) >= window.end.getTime()) continue;
          if (Date.parse(`${item.end.dateTime.slice(0, 19)}Z`) <= window.start.getTime()) continue;
          events.push(event);
        }
      }
    return events;
  }

  /** The events path of the named calendar (case-insensitive), or of the primary one. */
  private async calendarPath(
    tenant: TenantRef,
    mailboxId: string,
    calendarName: string | undefined,
  ): Promise<string> {
    const user = `/users/${encodeURIComponent(mailboxId)}`;
    if (!calendarName) return `${user}/calendar`;
    const wanted = calendarName.trim().toLowerCase();
    for await (const page of graphPages<{ id: string; name?: string }>(
      this.graph,
      tenant,
      `${user}/calendars?$select=id,name&$top=${PAGE}`,
      (res) => assertMailboxOk(res, mailboxId),
    )) {
      const found = page.find((c) => (c.name ?? '').trim().toLowerCase() === wanted);
      if (found) return `${user}/calendars/${encodeURIComponent(found.id)}`;
    }
    throw new MicrosoftError(
      'CONTAINER_NOT_FOUND',
      `mailbox ${mailboxId} has no calendar named "${calendarName}"`,
      { status: 404 },
    );
  }

  private eventOf(item: GraphEvent, recurrence?: EventRecurrence): CalendarEvent {
    const allDay = item.isAllDay === true;
    const startZone = ianaOf(item.originalStartTimeZone);
    const endZone = ianaOf(item.originalEndTimeZone ?? item.originalStartTimeZone);
    const body = textOf(item.body);
    const location = item.location?.displayName?.trim();
    const showAs = SHOW_AS.find((s) => s === item.showAs) ?? 'busy';
    return {
      sourceKey: item.iCalUId || item.id,
      subject: item.subject ?? '',
      ...(body ? { body } : {}),
      ...(location ? { location } : {}),
      start: timeOf(item.start!, startZone, allDay),
      end: timeOf(item.end!, endZone, allDay),
      isAllDay: allDay,
      showAs,
      isReminderOn: item.isReminderOn === true,
      ...(item.isReminderOn && item.reminderMinutesBeforeStart !== undefined
        ? { reminderMinutesBeforeStart: item.reminderMinutesBeforeStart }
        : {}),
      ...(item.categories?.length ? { categories: item.categories } : {}),
      ...(recurrence ? { recurrence } : {}),
    };
  }

  /** A series master with its exceptions over the window; null when none of it is in the window. */
  private async series(
    tenant: TenantRef,
    mailboxId: string,
    base: string,
    master: GraphEvent,
    window: { start: Date; end: Date },
  ): Promise<CalendarEvent | null> {
    const recurrence = recurrenceOf(master.recurrence!);
    if (!recurrence) return null;
    const event = this.eventOf(master, recurrence);
    // An all-day series has no zone of its own in our model, but Graph's originalStart is the
    // UTC instant of the occurrence's midnight in the zone it was created in.
    const zone =
      event.start.kind === 'dateTime' ? event.start.timeZone : ianaOf(master.originalStartTimeZone);
    const allDay = event.isAllDay;
    const originalStartOf = (instant: string): EventTime => {
      const local = localTimeIn(utcInstant(instant), zone);
      if (allDay) return { kind: 'date', date: local.slice(0, 10) };
      // The occurrence's start as the rule puts it: its date, at the master's time of day.
      return { kind: 'dateTime', local, timeZone: zone };
    };
    const path =
      `${base}/events/${encodeURIComponent(master.id)}/instances` +
      `?startDateTime=${window.start.toISOString()}&endDateTime=${window.end.toISOString()}` +
      `&$select=${INSTANCE_SELECT}&$top=${PAGE}`;
    const seen = new Set<string>();
    const exceptions: EventException[] = [];
    let instancesInWindow = 0;
    for await (const page of graphPages<GraphEvent>(this.graph, tenant, path, (res) =>
      assertMailboxOk(res, mailboxId),
    ))
      for (const instance of page) {
        instancesInWindow++;
        const original = instance.originalStart
          ? originalStartOf(instance.originalStart)
          : instance.start
            ? timeOf(instance.start, zone, allDay)
            : undefined;
        if (!original) continue;
        seen.add(dateOfTime(original));
        if (instance.isCancelled) {
          exceptions.push({ kind: 'cancelled', originalStart: original });
        } else if (instance.type === 'exception' && instance.start && instance.end) {
          const body = textOf(instance.body);
          const location = instance.location?.displayName?.trim();
          exceptions.push({
            kind: 'modified',
            originalStart: original,
            start: timeOf(instance.start, zone, allDay),
            end: timeOf(instance.end, zone, allDay),
            ...(instance.subject && instance.subject !== master.subject
              ? { subject: instance.subject }
              : {}),
            ...(location && location !== master.location?.displayName?.trim() ? { location } : {}),
            ...(body && body !== event.body ? { body } : {}),
          });
        }
      }
    // Deleted occurrences are simply absent from /instances: the dates the pattern holds inside
    // the window (a day in from each edge, so an occurrence cut by the edge is not taken for
    // one) that no instance came from.
    const from = localTimeIn(new Date(window.start.getTime() + 86_400_000), zone).slice(0, 10);
    const until = localTimeIn(new Date(window.end.getTime() - 86_400_000), zone).slice(0, 10);
    const expected = recurrenceDates(recurrence, until).filter((d) => d >= from);
    // Nothing of the series in the window: it ended before it, or starts after it.
    if (instancesInWindow === 0 && expected.length === 0) return null;
    const timeOfDay = event.start.kind === 'dateTime' ? event.start.local.slice(10) : '';
    for (const date of expected)
      if (!seen.has(date))
        exceptions.push({
          kind: 'cancelled',
          originalStart: allDay
            ? { kind: 'date', date }
            : { kind: 'dateTime', local: `${date}${timeOfDay}`, timeZone: zone },
        });
    exceptions.sort((a, b) =>
      dateOfTime(a.originalStart).localeCompare(dateOfTime(b.originalStart)),
    );
    return exceptions.length ? { ...event, exceptions } : event;
  }
}
