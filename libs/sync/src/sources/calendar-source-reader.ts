import type { CalendarEvent } from '@app/domain';
import type { TenantRef } from '@app/microsoft';

/** Reads a source mailbox's calendar over a window (series as series, with their exceptions). */
export interface SourceCalendarReader {
  read(
    tenant: TenantRef,
    mailboxId: string,
    calendarName: string | undefined,
    window: { start: Date; end: Date },
  ): Promise<CalendarEvent[]>;
}

export const SOURCE_CALENDAR_READER = Symbol('SOURCE_CALENDAR_READER');
