import { z } from 'zod/v4';

export const checkoutSchema = z.strictObject({
  /** Seats (mailboxes) to subscribe for; the first free ones cost nothing (graduated price). */
  seats: z.int('expected a whole number').min(1, 'at least 1').max(100_000, 'at most 100000'),
});

export const seatsSchema = z.strictObject({
  seats: z.int('expected a whole number').min(1, 'at least 1').max(100_000, 'at most 100000'),
  /** Go ahead even if fewer seats than the mailboxes synced now (those are frozen, not deleted). */
  acceptFrozen: z.boolean().default(false),
});

export const usageQuerySchema = z.strictObject({
  days: z.coerce.number().int('expected a whole number').min(1).max(366).default(30),
});
