import { z } from 'zod/v4';
import { UUID } from './validation';

const uuid = z.string().regex(UUID, 'expected a UUID');
const limit = z.coerce.number().int().min(1).max(200).default(50);
/** An opaque cursor: the `nextCursor` of the previous page. */
const cursor = z.string().min(1).max(200).optional();

/** `GET /api/runs/{id}/mailboxes`: one run's per-mailbox outcomes, filtered. */
export const runMailboxesQuerySchema = z.strictObject({
  limit,
  cursor,
  status: z.enum(['succeeded', 'failed', 'skipped', 'cancelled']).optional(),
  errorCode: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/, 'letters, digits and underscores, at most 64')
    .optional(),
});
export type RunMailboxesQuery = z.output<typeof runMailboxesQuerySchema>;

/** `GET /api/mailboxes/{userId}/runs`: one mailbox's outcomes across runs. */
export const mailboxRunsQuerySchema = z.strictObject({ limit, cursor, listId: uuid.optional() });
export type MailboxRunsQuery = z.output<typeof mailboxRunsQuerySchema>;

/** `GET /api/logs` (and `/api/runs/{id}/logs`): the sync logs of the tenant, newest first. */
export const syncLogsQuerySchema = z.strictObject({
  limit,
  cursor,
  runId: uuid.optional(),
  mailboxId: uuid.optional(),
  level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
});
export type SyncLogsQuery = z.output<typeof syncLogsQuerySchema>;
