import type { CalendarListSettings } from '../settings/calendar-list-settings';
import { syncWindowOf } from '../settings/calendar-list-settings';
import { parseICalendar, type ParsedICalendar } from './parse-icalendar';

/** At most this many events from one file or feed (series count once). */
const MAX_EVENTS = 20_000;

/**
 * An .ics text (an upload or a feed) as a calendar list reads it: the list's window as it stands
 * at `now`, its show-as and reminder. Throws ICalendarInvalid with the line and the reason.
 */
export function parseListIcs(
  text: string,
  settings: CalendarListSettings,
  now: Date = new Date(),
): ParsedICalendar {
  return parseICalendar(text, {
    window: syncWindowOf(settings, now),
    showAs: settings.showAs,
    isReminderOn: settings.isReminderOn,
    maxEvents: MAX_EVENTS,
  });
}
