import { validateFilterRules } from '@app/domain';
import { z } from 'zod/v4';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID');

/** Settings are checked in depth by parseContactListSettings; here only their shape and size. */
const settings = z
  .record(z.string(), z.unknown())
  .refine((s) => JSON.stringify(s).length <= 100_000, 'at most 100,000 characters of JSON');

export const createListSchema = z.strictObject({
  name: z.string().trim().min(1, 'required').max(200, 'at most 200 characters'),
  description: z.string().max(2000, 'at most 2000 characters').nullable().optional(),
  defaultRegion: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code in capitals')
    .optional(),
  enabled: z.boolean().optional(),
  settings,
});
export type CreateListInput = z.output<typeof createListSchema>;

export const updateListSchema = createListSchema
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'at least one field to change');
export type UpdateListInput = z.output<typeof updateListSchema>;

export const createTargetSchema = z
  .strictObject({
    kind: z.enum(['all', 'group', 'user', 'filter']),
    mode: z.enum(['include', 'exclude']).default('include'),
    /** Group or user object id, for `group` and `user`. */
    id: uuid.optional(),
    /** Filter rules (include/exclude) over directory attributes, for `filter`. */
    filter: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((t, ctx) => {
    if ((t.kind === 'group' || t.kind === 'user') && !t.id)
      ctx.addIssue({ code: 'custom', path: ['id'], message: `required for a ${t.kind} target` });
    if (t.kind !== 'group' && t.kind !== 'user' && t.id)
      ctx.addIssue({ code: 'custom', path: ['id'], message: `not allowed for a ${t.kind} target` });
    if (t.kind === 'filter') {
      if (!t.filter)
        ctx.addIssue({ code: 'custom', path: ['filter'], message: 'required for a filter target' });
      else
        for (const p of validateFilterRules(t.filter))
          ctx.addIssue({
            code: 'custom',
            path: ['filter', ...p.field.split('.').filter(Boolean)],
            message: p.message,
          });
    } else if (t.filter)
      ctx.addIssue({
        code: 'custom',
        path: ['filter'],
        message: `not allowed for a ${t.kind} target`,
      });
  });
export type CreateTargetInput = z.output<typeof createTargetSchema>;

/**
 * A change of a target: any of its fields. The result is checked as a new target would be
 * (a kind's `id` or `filter` is kept unless the kind changes).
 */
export const updateTargetSchema = z
  .strictObject({
    kind: z.enum(['all', 'group', 'user', 'filter']).optional(),
    mode: z.enum(['include', 'exclude']).optional(),
    id: uuid.optional(),
    filter: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'at least one field to change');
export type UpdateTargetInput = z.output<typeof updateTargetSchema>;

export const scheduleSchema = z.strictObject({
  cron: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  timeZone: z.string().trim().min(1, 'required').max(64, 'at most 64 characters').default('UTC'),
  enabled: z.boolean().default(true),
});
export type ScheduleInput = z.output<typeof scheduleSchema>;

export const createTokenSchema = z.strictObject({
  name: z.string().trim().min(1, 'required').max(100, 'at most 100 characters'),
  role: z.enum(['admin', 'viewer']),
  /**
   * Days until the token expires; unset = the configured default (API_TOKEN_DEFAULT_DAYS). At
   * most API_TOKEN_MAX_DAYS: every token expires.
   */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateTokenInput = z.output<typeof createTokenSchema>;

export const pageSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type PageInput = z.output<typeof pageSchema>;

const isoTime = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time' });

/** Filters of the audit log: each optional, all combined. */
export const auditQuerySchema = pageSchema
  .extend({
    /** Who: the admin's object id, the API token's id, or `tid/oid` of an operator. */
    actorId: z.string().trim().min(1).max(100).optional(),
    actorType: z.enum(['admin', 'api_token', 'operator', 'system']).optional(),
    /** e.g. `list.create`, `auth.sign_in`; a trailing `*` matches a prefix (`list.*`). */
    action: z
      .string()
      .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, 'expected an action such as list.create or list.*')
      .max(64)
      .optional(),
    targetType: z.string().trim().min(1).max(32).optional(),
    targetId: z.string().trim().min(1).max(64).optional(),
    /** Events at or after this time. */
    from: isoTime.optional(),
    /** Events before this time. */
    to: isoTime.optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'must be after from',
  });
export type AuditQueryInput = z.output<typeof auditQuerySchema>;

/** Contact fields of a manual entry: names as in a CSV header (`businessAddress.city` too). */
const entryFields = z
  .record(
    z.string().max(64, 'at most 64 characters'),
    z.string().max(1024, 'at most 1024 characters'),
  )
  .refine((f) => Object.keys(f).length <= 60, 'at most 60 fields');

export const createEntrySchema = z.strictObject({
  /** A stable key of the entry in its list; unset = its first e-mail address. Never shown again. */
  key: z.string().trim().min(1, 'required').max(128, 'at most 128 characters').optional(),
  fields: entryFields,
});
export type CreateEntryInput = z.output<typeof createEntrySchema>;

export const updateEntrySchema = z.strictObject({
  /** Fields to set; `null` or "" removes one. The others stay as they are; the key never changes. */
  fields: z
    .record(
      z.string().max(64, 'at most 64 characters'),
      z.string().max(1024, 'at most 1024 characters').nullable(),
    )
    .refine((f) => Object.keys(f).length > 0, 'at least one field to change')
    .refine((f) => Object.keys(f).length <= 60, 'at most 60 fields'),
});
export type UpdateEntryInput = z.output<typeof updateEntrySchema>;

/** Search is by blind index: an exact e-mail address or key, never a part of one. */
export const entriesQuerySchema = pageSchema.extend({
  email: z
    .string()
    .trim()
    .min(3)
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'expected an e-mail address')
    .optional(),
  key: z.string().trim().min(1).max(128).optional(),
});
export type EntriesQueryInput = z.output<typeof entriesQuerySchema>;

export const csvImportQuerySchema = z.strictObject({
  /** `replace` (default): the file becomes the entries; `merge`: its rows add to or update them. */
  mode: z.enum(['replace', 'merge']).default('replace'),
});

export const runsQuerySchema = pageSchema.extend({ listId: uuid.optional() });

/** "Sync now" or a dry-run preview of a list (POST .../runs). */
export const runRequestSchema = z.strictObject({
  mode: z.enum(['sync', 'dry_run']).default('sync'),
});
export type RunRequestInput = z.output<typeof runRequestSchema>;
