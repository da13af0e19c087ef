import { z } from 'zod/v4';

/** `GET /api/activity`: the window of the activity charts, in whole days ending now. */
export const activityQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(14),
  /** How many mailboxes the "items per mailbox" chart shows (the most written first). */
  mailboxes: z.coerce.number().int().min(1).max(50).default(15),
});
export type ActivityQuery = z.output<typeof activityQuerySchema>;
