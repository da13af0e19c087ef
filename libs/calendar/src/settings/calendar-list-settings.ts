import { z } from 'zod';

const HOLIDAY_TYPES = ['public', 'bank', 'school', 'optional', 'observance'] as const;
const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere'] as const;
const sourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -, at most 40');

const holidaySource = z
  .object({
    id: sourceId,
    kind: z.literal('holidays'),
    country: z.string().regex(/^[A-Za-z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. DE'),
    state: z
      .string()
      .regex(/^[A-Za-z0-9]{1,6}$/, 'the holiday library state code, e.g. BY')
      .optional(),
    region: z
      .string()
      .regex(/^[A-Za-z0-9]{1,10}$/, 'the holiday library region code, e.g. KATH')
      .optional(),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'an ISO 639-1 language code, e.g. de')
      .optional(),
    types: z.array(z.enum(HOLIDAY_TYPES)).min(1).max(5).optional(),
  })
  .strict();

const feedSource = z
  .object({
    id: sourceId,
    kind: z.literal('ics-feed'),
    url: z
      .string()
      .max(2000, 'at most 2000 characters')
      .refine((v) => {
        try {
          const u = new URL(v);
          return u.protocol === 'https:' && !u.username && !u.password;
        } catch {
          return false;
        }
      }, 'expected an https:// URL without credentials'),
  })
  .strict();

/** Events kept as entries of the list: an uploaded .ics file, or events added through the API. */
const entrySource = z.object({ id: sourceId, kind: z.enum(['ics-upload', 'manual']) }).strict();

const mailboxSource = z
  .object({
    id: sourceId,
    kind: z.literal('mailbox-calendar'),
    mailboxId: z.string().min(1).max(320),
    calendarName: z.string().min(1).max(200).optional(),
  })
  .strict();

export const calendarListSettingsSchema = z
  .object({
    sources: z
      .array(z.discriminatedUnion('kind', [holidaySource, feedSource, entrySource, mailboxSource]))
      .min(1, 'at least one source')
      .max(20, 'at most 20 sources'),
    /** The sync window around today: events outside it are left alone. */
    window: z
      .object({
        monthsBack: z.number().int().min(0).max(24).default(6),
        monthsAhead: z.number().int().min(1).max(36).default(18),
      })
      .strict()
      .default({ monthsBack: 6, monthsAhead: 18 }),
    /** A calendar of the list's own in each mailbox, or the primary calendar with a category. */
    destination: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('calendar'), name: z.string().trim().min(1).max(200) }).strict(),
        z
          .object({ kind: z.literal('default'), category: z.string().trim().min(1).max(255) })
          .strict(),
      ])
      .optional(),
    showAs: z.enum(SHOW_AS).default('busy'),
    isReminderOn: z.boolean().default(false),
  })
  .strict()
  .superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.sources.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: 'ids must be unique' });
      seen.add(s.id);
    });
  });

export type CalendarListSettings = z.output<typeof calendarListSettingsSchema>;
export type CalendarSourceConfig = CalendarListSettings['sources'][number];

/** The window of a run at `now`: from the start of the month `monthsBack` ago, `monthsAhead` on. */
export function syncWindowOf(
  settings: Pick<CalendarListSettings, 'window'>,
  now: Date,
): { start: Date; end: Date } {
  const start = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - settings.window.monthsBack, 1),
  );
  const end = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + settings.window.monthsAhead + 1, 1),
  );
  return { start, end };
}

/** The destination, with the list's name as the calendar's name when none is set. */
export function destinationOf(
  settings: CalendarListSettings,
  listName: string,
): { kind: 'calendar'; name: string } | { kind: 'default'; category: string } {
  return settings.destination ?? { kind: 'calendar', name: listName };
}
