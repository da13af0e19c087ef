import { calendarListSettingsSchema, type CalendarListSettings } from '@app/calendar';
import type { EventSyncPolicy } from '@app/domain';
import type { ListSyncSettings } from '../mailbox/list-sync-settings';

/**
 * A calendar list's settings as the engine reads them: its own calendar (named by the
 * destination, or after the list when none is set) or the primary calendar with a category.
 * Calendars reach user mailboxes only (no shared or resource mailboxes yet) and have no photos.
 */
export function calendarSyncSettings(
  listName: string,
  settings: CalendarListSettings,
): ListSyncSettings<EventSyncPolicy> {
  const destination = settings.destination ?? { kind: 'calendar' as const, name: listName };
  return {
    folder:
      destination.kind === 'calendar'
        ? { mode: 'dedicated', name: destination.name }
        : { mode: 'default' },
    policy: {},
    recreateDeleted: true,
    neverDelete: false,
    includeSharedMailboxes: false,
    includeResourceMailboxes: false,
    photos: false,
  };
}

/** The stored settings JSON of a calendar list, parsed (defaults filled in). */
export function parseCalendarListSettings(json: string): CalendarListSettings {
  return calendarListSettingsSchema.parse(JSON.parse(json));
}
