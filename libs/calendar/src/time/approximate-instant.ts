import type { CalendarEvent } from '@app/domain';

/** A rough instant for ordering and windows (UTC reading of the local time; exact enough for a day window). */
export function approximateInstantOf(time: CalendarEvent['start']): Date {
  return new Date(time.kind === 'date' ? `${time.date}T00:00:00Z` : `${time.local}Z`);
}
