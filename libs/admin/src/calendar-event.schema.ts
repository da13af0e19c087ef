import { instantOf, isIanaZone } from '@app/calendar';
import { z } from 'zod/v4';

const DAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
const WEEK_INDEX = ['first', 'second', 'third', 'fourth', 'last'] as const;
const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere'] as const;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => {
    const parsed = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(d);
  }, 'not a calendar date');

/**
 * A start or end: `{dateTime, timeZone}` (wall-clock time in an IANA zone) or `{date}` for an
 * all-day event (the end date is exclusive, as in iCalendar and Graph).
 */
export const eventTimeSchema = z
  .strictObject({
    dateTime: z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/,
        'expected a local time YYYY-MM-DDTHH:mm[:ss] (no offset: the zone is timeZone)',
      )
      .optional(),
    timeZone: z.string().max(64).optional(),
    date: isoDate.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.date !== undefined) {
      for (const key of ['dateTime', 'timeZone'] as const)
        if (t[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'not allowed with date' });
      return;
    }
    if (t.dateTime === undefined)
      ctx.addIssue({ code: 'custom', path: ['dateTime'], message: 'required (or date)' });
    if (t.timeZone === undefined)
      ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'required with dateTime' });
    else if (!isIanaZone(t.timeZone))
      ctx.addIssue({
        code: 'custom',
        path: ['timeZone'],
        message: 'not an IANA time zone (e.g. Europe/Berlin)',
      });
    if (t.dateTime !== undefined && Number.isNaN(Date.parse(`${t.dateTime}Z`)))
      ctx.addIssue({ code: 'custom', path: ['dateTime'], message: 'not a valid time' });
  });
export type EventTimeInput = z.output<typeof eventTimeSchema>;

const interval = z.number().int().min(1).max(99);
const daysOfWeek = z
  .array(z.enum(DAYS))
  .min(1, 'at least one day')
  .max(7)
  .refine((d) => new Set(d).size === d.length, 'days must not repeat');
const month = z.number().int().min(1).max(12);
const dayOfMonth = z.number().int().min(1).max(31);

/** Graph's patternedRecurrence: the rule and its range (dates in the event's own zone). */
export const eventRecurrenceSchema = z.strictObject({
  pattern: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('daily'), interval }),
    z.strictObject({
      type: z.literal('weekly'),
      interval,
      daysOfWeek,
      firstDayOfWeek: z.enum(DAYS).default('monday'),
    }),
    z.strictObject({ type: z.literal('absoluteMonthly'), interval, dayOfMonth }),
    z.strictObject({
      type: z.literal('relativeMonthly'),
      interval,
      daysOfWeek,
      index: z.enum(WEEK_INDEX),
    }),
    z.strictObject({ type: z.literal('absoluteYearly'), interval, month, dayOfMonth }),
    z.strictObject({
      type: z.literal('relativeYearly'),
      interval,
      month,
      daysOfWeek,
      index: z.enum(WEEK_INDEX),
    }),
  ]),
  range: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('noEnd'), startDate: isoDate }),
    z.strictObject({ type: z.literal('endDate'), startDate: isoDate, endDate: isoDate }),
    z.strictObject({
      type: z.literal('numbered'),
      startDate: isoDate,
      numberOfOccurrences: z.number().int().min(1).max(999),
    }),
  ]),
});

const eventFields = {
  subject: z.string().trim().min(1, 'required').max(255, 'at most 255 characters'),
  body: z.string().max(32_000, 'at most 32,000 characters'),
  location: z.string().trim().max(255, 'at most 255 characters'),
  start: eventTimeSchema,
  end: eventTimeSchema,
  /** Absent: the list's show-as. */
  showAs: z.enum(SHOW_AS),
  /** Absent: the list's reminder setting. */
  isReminderOn: z.boolean(),
  reminderMinutesBeforeStart: z.number().int().min(0).max(40_320),
  categories: z.array(z.string().trim().min(1).max(255)).max(25),
  recurrence: eventRecurrenceSchema,
};

const startDateOf = (t: EventTimeInput): string | undefined => t.date ?? t.dateTime?.slice(0, 10);
const instantOfTime = (t: EventTimeInput): number | undefined =>
  t.date !== undefined
    ? Date.parse(`${t.date}T00:00:00Z`)
    : t.dateTime !== undefined && t.timeZone !== undefined && isIanaZone(t.timeZone)
      ? instantOf(withSeconds(t.dateTime), t.timeZone).getTime()
      : undefined;

/** `HH:mm` times get `:00`. */
export function withSeconds(local: string): string {
  return local.length === 16 ? `${local}:00` : local;
}

/** A manual event of a calendar list's `manual` source: an appointment, never a meeting. */
export const calendarEventSchema = z
  .strictObject({
    subject: eventFields.subject,
    body: eventFields.body.optional(),
    location: eventFields.location.optional(),
    start: eventFields.start,
    end: eventFields.end,
    showAs: eventFields.showAs.optional(),
    isReminderOn: eventFields.isReminderOn.optional(),
    reminderMinutesBeforeStart: eventFields.reminderMinutesBeforeStart.optional(),
    categories: eventFields.categories.optional(),
    recurrence: eventFields.recurrence.optional(),
  })
  .superRefine((e, ctx) => {
    const allDay = e.start.date !== undefined;
    if (allDay !== (e.end.date !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: allDay
          ? 'an all-day event ends on a date (exclusive), like its start'
          : 'a timed event ends at a dateTime with timeZone, like its start',
      });
      return;
    }
    const from = instantOfTime(e.start);
    const to = instantOfTime(e.end);
    if (from !== undefined && to !== undefined && to <= from)
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: allDay
          ? 'must be after the start date (the end date is exclusive: a one-day event ends the next day)'
          : 'must be after the start',
      });
    if (e.recurrence) {
      const first = startDateOf(e.start);
      if (first !== undefined && e.recurrence.range.startDate !== first)
        ctx.addIssue({
          code: 'custom',
          path: ['recurrence', 'range', 'startDate'],
          message: `must be the start's date (${first})`,
        });
      const range = e.recurrence.range;
      if (range.type === 'endDate' && range.endDate < range.startDate)
        ctx.addIssue({
          code: 'custom',
          path: ['recurrence', 'range', 'endDate'],
          message: 'must not be before startDate',
        });
    }
  });
export type CalendarEventInput = z.output<typeof calendarEventSchema>;

/** A change of a manual event: any of its fields; null removes an optional one. */
export const updateCalendarEventSchema = z
  .strictObject({
    subject: eventFields.subject.optional(),
    body: eventFields.body.nullable().optional(),
    location: eventFields.location.nullable().optional(),
    start: eventFields.start.optional(),
    end: eventFields.end.optional(),
    showAs: eventFields.showAs.nullable().optional(),
    isReminderOn: eventFields.isReminderOn.nullable().optional(),
    reminderMinutesBeforeStart: eventFields.reminderMinutesBeforeStart.nullable().optional(),
    categories: eventFields.categories.nullable().optional(),
    recurrence: eventFields.recurrence.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'at least one field to change');
export type UpdateCalendarEventInput = z.output<typeof updateCalendarEventSchema>;
