// Shapes of the calendar list and EWS answers the dashboard reads, written from libs/admin
// (CalendarListsService, CalendarEventsService, EwsService, ListCleanupsService) and
// libs/calendar's settings schema, until the API describes them in its OpenAPI document.

export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere';
export type HolidayType = 'public' | 'bank' | 'school' | 'optional' | 'observance';

export type CalendarSource =
  | {
      id: string;
      kind: 'holidays';
      country: string;
      state?: string;
      region?: string;
      language?: string;
      types?: HolidayType[];
    }
  | { id: string; kind: 'ics-feed'; url: string }
  | { id: string; kind: 'ics-upload' | 'manual' }
  | { id: string; kind: 'mailbox-calendar'; mailboxId: string; calendarName?: string };

export interface CalendarSettings {
  sources: CalendarSource[];
  window: { monthsBack: number; monthsAhead: number };
  destination?: { kind: 'calendar'; name: string } | { kind: 'default'; category: string };
  showAs: ShowAs;
  isReminderOn: boolean;
}

export interface CalendarList {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  settings: CalendarSettings;
  createdAt: string;
  updatedAt: string;
}

export interface CalendarUploadResult {
  sourceId: string;
  events: number;
  series: number;
  expanded: Array<{ uid: string; subject: string; reason: string; occurrences: number }>;
  cancelled: number;
  replaced: number;
}

export type EventTime = { date: string } | { dateTime: string; timeZone: string };

export type DayOfWeek =
  'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';

/** Graph's patternedRecurrence, as the API takes and shows it (libs/admin calendar-event.schema). */
export interface EventRecurrence {
  pattern:
    | { type: 'daily'; interval: number }
    | { type: 'weekly'; interval: number; daysOfWeek: DayOfWeek[]; firstDayOfWeek?: DayOfWeek }
    | { type: 'absoluteMonthly'; interval: number; dayOfMonth: number }
    | { type: 'relativeMonthly'; interval: number; daysOfWeek: DayOfWeek[]; index: string }
    | { type: 'absoluteYearly'; interval: number; month: number; dayOfMonth: number }
    | {
        type: 'relativeYearly';
        interval: number;
        month: number;
        daysOfWeek: DayOfWeek[];
        index: string;
      };
  range:
    | { type: 'noEnd'; startDate: string }
    | { type: 'endDate'; startDate: string; endDate: string }
    | { type: 'numbered'; startDate: string; numberOfOccurrences: number };
}

export interface ManualEvent {
  id: string;
  sourceId: string;
  subject: string;
  location: string | null;
  start: { date?: string; dateTime?: string; timeZone?: string };
  end: { date?: string; dateTime?: string; timeZone?: string };
  isAllDay: boolean;
  showAs: ShowAs;
  recurrence: EventRecurrence | null;
}

export interface ListCleanup {
  listId: string;
  name: string;
  state: 'requested' | 'cleaning' | 'failed' | 'done' | string;
  runId: string | null;
  mailboxes: { total: number; cleaned: number; remaining: number; failed: number };
  itemsDeleted: number;
  error: { code: string; message: string } | null;
}

export interface EwsSettings {
  configured: boolean;
  serverUrl?: string;
  username?: string;
  impersonationAddress?: string | null;
  /** The Global Address List an EWS-only organisation's directory is read from (ADR 0047). */
  addressListId?: string | null;
  authMode?: 'ntlm' | 'basic';
  caCertificateSet?: boolean;
  passwordSet: boolean;
  updatedAt?: string;
}

export interface EwsTestResult {
  ok: boolean;
  code?: string;
  message: string;
  handshakes: number;
}
