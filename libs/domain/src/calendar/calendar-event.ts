import type { EventRecurrence } from './event-recurrence';

/**
 * A point in time as a calendar shows it: a wall-clock time in an IANA zone, or a date for
 * all-day events (no zone: 24 December is 24 December everywhere).
 */
export type EventTime =
  | { kind: 'dateTime'; /** `YYYY-MM-DDTHH:mm:ss`, local */ local: string; timeZone: string }
  | { kind: 'date'; /** `YYYY-MM-DD` */ date: string };

export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere';

/** An occurrence of a series that differs from the rule: moved or edited, or cancelled. */
export type EventException =
  | {
      kind: 'modified';
      /** The occurrence's start as the rule puts it (the RECURRENCE-ID). */
      originalStart: EventTime;
      start: EventTime;
      end: EventTime;
      subject?: string;
      location?: string;
      body?: string;
    }
  | { kind: 'cancelled'; originalStart: EventTime };

/**
 * One event a calendar list pushes: a single event, or a series (with its exceptions). What a
 * source becomes before any transport sees it; appointments only, never attendees.
 */
export interface CalendarEvent {
  /** Stable per source item (an iCalendar UID, a holiday's date and rule, a Graph event id). */
  sourceKey: string;
  subject: string;
  body?: string;
  location?: string;
  start: EventTime;
  end: EventTime;
  isAllDay: boolean;
  showAs: ShowAs;
  isReminderOn: boolean;
  reminderMinutesBeforeStart?: number;
  categories?: string[];
  recurrence?: EventRecurrence;
  exceptions?: EventException[];
  /**
   * An occurrence of a series whose rule Graph's recurrence model cannot hold, pushed as a
   * single event; `reason` says why (for the preview). Not part of the content hash.
   */
  expandedFrom?: { reason: string };
}
