import {
  toEventRecurrence,
  type CalendarEvent,
  type EventException,
  type EventTime,
  type RecurrenceRule,
  type RuleDay,
  type ShowAs,
} from '@app/domain';
import ICAL from 'ical.js';
import { createHash } from 'node:crypto';
import { instantOf, localTimeIn } from '../time/zoned-time';
import { timeZoneOf } from '../time/time-zone-of';
import { ICalendarInvalid } from './icalendar-invalid';
import { icsLines, type IcsLine } from './ics-lines';

export interface ICalendarOptions {
  /** Events that do not touch this window are left out; a series touching it is kept whole. */
  window: { start: Date; end: Date };
  showAs: ShowAs;
  isReminderOn: boolean;
  /** The zone of floating times (no TZID, no Z); default UTC. */
  floatingTimeZone?: string;
  /** At most this many events (series count once, expanded occurrences each). */
  maxEvents?: number;
}

export interface ExpandedSeries {
  uid: string;
  subject: string;
  /** Why Graph's recurrence model cannot hold it. */
  reason: string;
  /** The single events it became within the window. */
  occurrences: number;
}

export interface ParsedICalendar {
  events: CalendarEvent[];
  /** Series pushed as single events within the window (the preview says so per event). */
  expanded: ExpandedSeries[];
  /** Events the source marks STATUS:CANCELLED: not pushed. */
  cancelled: number;
}

const DATE_VALUE = /^\d{8}$/;
const DATE_TIME_VALUE = /^\d{8}T\d{6}Z?$/;
const DAY_CODES: RuleDay[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const OTHER_PARTS = ['BYHOUR', 'BYMINUTE', 'BYSECOND', 'BYWEEKNO', 'BYYEARDAY'];
// A rule is walked at most this far to find its occurrences in the window.
const MAX_WALK = 20_000;

/** The properties of one VEVENT as the line pre-pass saw them: for errors with a line. */
interface EventLines {
  begin: number;
  props: Map<string, IcsLine[]>;
}

/**
 * Reads an iCalendar text (RFC 5545) into the events a calendar list pushes: series stay series
 * (RRULE, EXDATE and RECURRENCE-ID overrides as exceptions) where Graph's recurrence model can
 * hold them, and are expanded into single events within the window where it cannot (RDATE,
 * BYHOUR, a fifth Monday…). All-day events keep their dates; times keep their zone (a Windows
 * TZID is mapped to IANA). Nothing is registered globally: the file's VTIMEZONEs are used only
 * for a TZID no zone database knows. Errors name the line and the reason.
 */
export function parseICalendar(text: string, options: ICalendarOptions): ParsedICalendar {
  const lines = icsLines(text);
  const eventLines = indexEvents(lines);
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new ICalendarInvalid(1, `unreadable: ${(error as Error).message}`);
  }
  const zones = new Map<string, ICAL.Timezone>();
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const tzid = String(vtz.getFirstPropertyValue('tzid') ?? '');
    if (tzid) zones.set(tzid, new ICAL.Timezone({ component: vtz, tzid }));
  }
  const vevents = root.getAllSubcomponents('vevent');
  const masters = new Map<string, { vevent: ICAL.Component; lines: EventLines }>();
  const overrides = new Map<string, Array<{ vevent: ICAL.Component; lines: EventLines }>>();
  vevents.forEach((vevent, index) => {
    const at = eventLines[index]!;
    for (const name of ['DTSTART', 'DTEND', 'RECURRENCE-ID', 'EXDATE', 'RDATE'])
      checkTimes(at, name);
    const uid = String(vevent.getFirstPropertyValue('uid') ?? '').trim();
    if (!uid) throw new ICalendarInvalid(at.begin, 'a VEVENT without UID');
    if (!vevent.hasProperty('dtstart'))
      throw new ICalendarInvalid(at.begin, `VEVENT ${uid} has no DTSTART`);
    if (vevent.hasProperty('recurrence-id')) {
      const list = overrides.get(uid) ?? [];
      list.push({ vevent, lines: at });
      overrides.set(uid, list);
    } else if (masters.has(uid))
      throw new ICalendarInvalid(at.begin, `a second VEVENT with UID ${uid} and no RECURRENCE-ID`);
    else masters.set(uid, { vevent, lines: at });
  });

  const zoneOf = (prop: ICAL.Property | null, line: number): string => {
    const tzid = prop?.getParameter('tzid');
    if (typeof tzid === 'string' && tzid) {
      const zone = timeZoneOf(tzid) ?? (zones.has(tzid) ? `vtimezone:${tzid}` : undefined);
      if (!zone) throw new ICalendarInvalid(line, `unknown time zone TZID=${tzid}`);
      return zone;
    }
    const value = prop?.getFirstValue() as ICAL.Time | undefined;
    return value && value.zone === ICAL.Timezone.utcTimezone
      ? 'UTC'
      : (options.floatingTimeZone ?? 'UTC');
  };
  /** A time as the calendar shows it; a zone only the file defines becomes UTC. */
  const eventTime = (value: ICAL.Time, zone: string): EventTime => {
    if (value.isDate) return { kind: 'date', date: value.toString().slice(0, 10) };
    const local = value.toString().slice(0, 19);
    if (!zone.startsWith('vtimezone:')) return { kind: 'dateTime', local, timeZone: zone };
    const t = value.clone();
    t.zone = zones.get(zone.slice('vtimezone:'.length))!;
    return {
      kind: 'dateTime',
      local: localTimeIn(new Date(t.toUnixTime() * 1000), 'UTC'),
      timeZone: 'UTC',
    };
  };
  const instant = (time: EventTime): Date =>
    time.kind === 'date'
      ? new Date(`${time.date}T00:00:00Z`)
      : instantOf(time.local, time.timeZone);
  const touchesWindow = (start: EventTime, end: EventTime) =>
    instant(end).getTime() + 86_400_000 > options.window.start.getTime() &&
    instant(start).getTime() - 86_400_000 < options.window.end.getTime();

  const result: ParsedICalendar = { events: [], expanded: [], cancelled: 0 };
  const push = (event: CalendarEvent) => {
    result.events.push(event);
    if (options.maxEvents !== undefined && result.events.length > options.maxEvents)
      throw new ICalendarInvalid(
        1,
        `more than ${options.maxEvents} events within the window: split the calendar`,
      );
  };

  for (const [uid, { vevent, lines: at }] of masters) {
    const event = new ICAL.Event(vevent);
    const startProp = vevent.getFirstProperty('dtstart');
    const zone = zoneOf(startProp, line(at, 'DTSTART'));
    const startValue = event.startDate;
    const endValue = vevent.hasProperty('dtend')
      ? event.endDate
      : vevent.hasProperty('duration')
        ? event.endDate
        : startValue.isDate
          ? (() => {
              const t = startValue.clone();
              t.day += 1;
              return t;
            })()
          : startValue.clone();
    if (endValue.compare(startValue) < 0)
      throw new ICalendarInvalid(line(at, 'DTEND'), `VEVENT ${uid} ends before it starts`);
    const endZone = vevent.hasProperty('dtend')
      ? zoneOf(vevent.getFirstProperty('dtend'), line(at, 'DTEND'))
      : zone;
    const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
    if (status === 'CANCELLED') {
      result.cancelled++;
      continue;
    }
    const base = (start: EventTime, end: EventTime, details = vevent): CalendarEvent => ({
      sourceKey: sourceKeyOf(uid),
      subject: text1(details, 'summary') || '(no title)',
      ...optional('body', text1(details, 'description')),
      ...optional('location', text1(details, 'location')),
      start,
      end,
      isAllDay: start.kind === 'date',
      showAs: options.showAs,
      isReminderOn: options.isReminderOn,
    });
    const start = eventTime(startValue, zone);
    const end = eventTime(endValue, endZone);
    const rules = vevent.getAllProperties('rrule');
    if (!rules.length) {
      if (touchesWindow(start, end)) push(base(start, end));
      continue;
    }

    for (const o of overrides.get(uid) ?? []) event.relateException(o.vevent);
    const mapping =
      rules.length > 1
        ? { expressible: false as const, reason: 'several RRULEs' }
        : vevent.hasProperty('rdate')
          ? { expressible: false as const, reason: 'RDATE has no equivalent' }
          : start.kind === 'dateTime' && start.timeZone === 'UTC' && zone.startsWith('vtimezone:')
            ? { expressible: false as const, reason: `time zone ${zone.slice(10)} is not known` }
            : toEventRecurrence(
                ruleOf(rules[0]!.getFirstValue() as ICAL.Recur, zone, line(at, 'RRULE')),
                start.kind === 'date' ? start.date : start.local.slice(0, 10),
              );

    if (mapping.expressible) {
      const exceptions: EventException[] = [];
      for (const prop of vevent.getAllProperties('exdate'))
        for (const value of prop.getValues() as ICAL.Time[])
          exceptions.push({ kind: 'cancelled', originalStart: eventTime(value, zone) });
      for (const o of overrides.get(uid) ?? []) {
        const recurrenceId = o.vevent.getFirstPropertyValue('recurrence-id') as ICAL.Time;
        const originalStart = eventTime(recurrenceId, zone);
        const oStatus = String(o.vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
        if (oStatus === 'CANCELLED') {
          exceptions.push({ kind: 'cancelled', originalStart });
          continue;
        }
        const oe = new ICAL.Event(o.vevent);
        const oStart = eventTime(
          oe.startDate,
          zoneOf(o.vevent.getFirstProperty('dtstart'), line(o.lines, 'DTSTART')),
        );
        const oEnd = o.vevent.hasProperty('dtend')
          ? eventTime(
              oe.endDate,
              zoneOf(o.vevent.getFirstProperty('dtend'), line(o.lines, 'DTEND')),
            )
          : shift(oStart, start, end);
        exceptions.push({
          kind: 'modified',
          originalStart,
          start: oStart,
          end: oEnd,
          ...optional('subject', text1(o.vevent, 'summary')),
          ...optional('location', text1(o.vevent, 'location')),
          ...optional('body', text1(o.vevent, 'description')),
        });
      }
      if (!seriesTouchesWindow(event, zone)) continue;
      exceptions.sort(
        (a, b) => instant(a.originalStart).getTime() - instant(b.originalStart).getTime(),
      );
      push({
        ...base(start, end),
        recurrence: mapping.recurrence,
        ...(exceptions.length ? { exceptions } : {}),
      });
      continue;
    }

    // Not expressible: the occurrences within the window become single events.
    let occurrences = 0;
    const iterator = event.iterator();
    for (let i = 0, next = iterator.next(); next && i < MAX_WALK; i++, next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      const oStart = eventTime(details.startDate, zone);
      const oEnd = eventTime(details.endDate, endZone);
      if (instant(oStart).getTime() >= options.window.end.getTime()) break;
      if (!touchesWindow(oStart, oEnd)) continue;
      const item = details.item.component;
      if (String(item.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED')
        continue;
      const originalKey = eventTime(details.recurrenceId, zone);
      push({
        ...base(oStart, oEnd, item),
        expandedFrom: { reason: mapping.reason },
        sourceKey: sourceKeyOf(
          `${uid}/${originalKey.kind === 'date' ? originalKey.date : originalKey.local}`,
        ),
      });
      occurrences++;
    }
    result.expanded.push({
      uid,
      subject: text1(vevent, 'summary') || '(no title)',
      reason: mapping.reason,
      occurrences,
    });
  }

  // Overrides whose series is not in the file: events of their own.
  for (const [uid, list] of overrides) {
    if (masters.has(uid)) continue;
    for (const o of list) {
      const oe = new ICAL.Event(o.vevent);
      if (String(o.vevent.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED')
        continue;
      const zone = zoneOf(o.vevent.getFirstProperty('dtstart'), line(o.lines, 'DTSTART'));
      const start = eventTime(oe.startDate, zone);
      const end = eventTime(oe.endDate, zone);
      if (!touchesWindow(start, end)) continue;
      const id = eventTime(o.vevent.getFirstPropertyValue('recurrence-id') as ICAL.Time, zone);
      push({
        sourceKey: sourceKeyOf(`${uid}/${id.kind === 'date' ? id.date : id.local}`),
        subject: text1(o.vevent, 'summary') || '(no title)',
        ...optional('body', text1(o.vevent, 'description')),
        ...optional('location', text1(o.vevent, 'location')),
        start,
        end,
        isAllDay: start.kind === 'date',
        showAs: options.showAs,
        isReminderOn: options.isReminderOn,
      });
    }
  }
  return result;

  function seriesTouchesWindow(event: ICAL.Event, zone: string): boolean {
    const iterator = event.iterator();
    for (let i = 0, next = iterator.next(); next && i < MAX_WALK; i++, next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      const oStart = eventTime(details.startDate, zone);
      if (instant(oStart).getTime() >= options.window.end.getTime() + 86_400_000) return false;
      if (touchesWindow(oStart, eventTime(details.endDate, zone))) return true;
    }
    return false;
  }
}

/** An RRULE as the domain reads it; UNTIL becomes the date it falls on in the event's zone. */
function ruleOf(recur: ICAL.Recur, zone: string, at: number): RecurrenceRule {
  const parts = recur.parts as Record<string, Array<string | number> | undefined>;
  const byDay = (parts.BYDAY ?? []).map((raw) => {
    const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(String(raw));
    if (!m) throw new ICalendarInvalid(at, `BYDAY=${String(raw)} is not a weekday`);
    return { day: m[2] as RuleDay, ...(m[1] ? { ordinal: Number(m[1]) } : {}) };
  });
  let untilDate: string | undefined;
  if (recur.until) {
    if (recur.until.isDate) untilDate = recur.until.toString().slice(0, 10);
    else if (recur.until.zone === ICAL.Timezone.utcTimezone && !zone.startsWith('vtimezone:'))
      untilDate = localTimeIn(new Date(recur.until.toUnixTime() * 1000), zone).slice(0, 10);
    else untilDate = recur.until.toString().slice(0, 10);
  }
  return {
    freq: recur.freq as RecurrenceRule['freq'],
    interval: recur.interval || 1,
    ...(recur.count ? { count: recur.count } : {}),
    ...(untilDate ? { untilDate } : {}),
    byDay,
    byMonthDay: (parts.BYMONTHDAY ?? []).map(Number),
    byMonth: (parts.BYMONTH ?? []).map(Number),
    bySetPos: (parts.BYSETPOS ?? []).map(Number),
    ...(recur.wkst ? { wkst: DAY_CODES[recur.wkst - 1] } : {}),
    otherParts: OTHER_PARTS.filter((p) => parts[p]?.length),
  };
}

/** A modified occurrence without its own end keeps the series' duration. */
function shift(start: EventTime, seriesStart: EventTime, seriesEnd: EventTime): EventTime {
  const ms = (t: EventTime) =>
    Date.parse(t.kind === 'date' ? `${t.date}T00:00:00Z` : `${t.local}Z`);
  const end = new Date(ms(start) + ms(seriesEnd) - ms(seriesStart)).toISOString();
  return start.kind === 'date'
    ? { kind: 'date', date: end.slice(0, 10) }
    : { kind: 'dateTime', local: end.slice(0, 19), timeZone: start.timeZone };
}

function text1(component: ICAL.Component, name: string): string {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.trim() : '';
}

function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/** A source key of bounded length: long UIDs (some generators make them so) are hashed. */
function sourceKeyOf(id: string): string {
  return id.length <= 180
    ? `ics:${id}`
    : `ics:sha256:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}

function indexEvents(lines: IcsLine[]): EventLines[] {
  const out: EventLines[] = [];
  let depth = 0;
  let current: EventLines | undefined;
  for (const l of lines) {
    const value = l.text
      .slice(l.text.indexOf(':') + 1)
      .trim()
      .toUpperCase();
    if (l.name === 'BEGIN') {
      depth++;
      if (value === 'VEVENT' && depth === 2) {
        current = { begin: l.line, props: new Map() };
        out.push(current);
      }
    } else if (l.name === 'END') {
      if (value === 'VEVENT' && depth === 2) current = undefined;
      depth--;
    } else if (current && depth === 2) {
      const list = current.props.get(l.name) ?? [];
      list.push(l);
      current.props.set(l.name, list);
    }
  }
  return out;
}

function line(at: EventLines, name: string): number {
  return at.props.get(name)?.[0]?.line ?? at.begin;
}

/** DATE or DATE-TIME values of a property, checked before the library reads them. */
function checkTimes(at: EventLines, name: string): void {
  for (const l of at.props.get(name) ?? []) {
    const params = l.text.slice(0, l.text.indexOf(':')).toUpperCase();
    if (/VALUE=PERIOD/.test(params)) continue;
    const values = l.text
      .slice(l.text.indexOf(':') + 1)
      .trim()
      .split(',');
    for (const v of values) {
      const ok = /VALUE=DATE(?!-)/.test(params)
        ? DATE_VALUE.test(v)
        : DATE_TIME_VALUE.test(v) || DATE_VALUE.test(v);
      if (!ok)
        throw new ICalendarInvalid(
          l.line,
          `${name} value "${v.slice(0, 40)}" is not a date or date-time`,
        );
    }
  }
}
