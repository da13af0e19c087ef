import { z } from 'zod/v4';

export const alertSettingsSchema = z.strictObject({
  /** Who receives alert e-mails; empty = no e-mail. */
  emails: z
    .array(z.email('expected an e-mail address').max(320, 'at most 320 characters'))
    .max(20, 'at most 20 recipients')
    .default([]),
  /**
   * https URL that receives a signed POST per alert; null = no webhook. Its host must resolve to
   * public addresses only (checked when saved and again before each POST).
   */
  webhookUrl: z
    .string()
    .max(2000, 'at most 2000 characters')
    .refine((v) => {
      try {
        const u = new URL(v);
        // http passes here only to be refused (or allowed for local testing) by the target policy.
        return (
          ['https:', 'http:'].includes(u.protocol) &&
          u.hostname !== '' &&
          !u.username &&
          !u.password
        );
      } catch {
        return false;
      }
    }, 'expected an https:// URL without credentials')
    .nullable()
    .default(null),
  /** HMAC key for the webhook signature (write-only); omitted = keep the stored one. */
  webhookSecret: z
    .string()
    .min(16, 'at least 16 characters')
    .max(256, 'at most 256 characters')
    .optional(),
  /** A list that fails again within this many minutes is not alerted again. */
  quietMinutes: z
    .number('expected an integer from 1 to 1440')
    .int('expected an integer from 1 to 1440')
    .min(1, 'at least 1 minute')
    .max(1440, 'at most 1440 minutes (a day)'),
});
export type AlertSettingsInput = z.output<typeof alertSettingsSchema>;
