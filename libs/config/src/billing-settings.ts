import { z } from 'zod/v4';
import type { BillingConfig } from './billing-config';
import { envVariable as v } from './env-variable';

const SECRET_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/;
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/=]+$/;

/** STRIPE_WEBHOOK_SECRETS: one endpoint secret, or two while one is rotated (comma-separated). */
const webhookSecrets = v.text.transform((raw, ctx) => {
  const secrets = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0 || secrets.length > 2)
    ctx.addIssue({
      code: 'custom',
      message: 'required with STRIPE_SECRET_KEY: one or two (while rotating) whsec_... secrets',
    });
  // The value itself is never echoed: it is a secret.
  else if (secrets.some((s) => !WEBHOOK_SECRET.test(s)))
    ctx.addIssue({ code: 'custom', message: 'expected whsec_... endpoint secrets' });
  return secrets;
});

/** STRIPE_API_URL: Stripe's API by default; a local stand-in (tests) as http(s)://host:port. */
const apiUrl = v
  .url(['https:', 'http:'], undefined, 'expected an http(s)://host[:port] URL')
  .transform((raw): BillingConfig['api'] => {
    if (!raw) return {};
    const url = new URL(raw);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    return {
      host: url.hostname,
      port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
      protocol,
    };
  });

/** Billing's settings, read only when STRIPE_SECRET_KEY is set. */
export const billingSettings = z
  .object({
    STRIPE_SECRET_KEY: z.string(),
    STRIPE_WEBHOOK_SECRETS: webhookSecrets,
    STRIPE_SEAT_PRICE_ID: v.text,
    STRIPE_API_URL: apiUrl,
    STRIPE_AUTOMATIC_TAX: v.boolean(false),
    BILLING_FREE_MAILBOXES: v.wholeNumber(10, 0, 100_000),
    BILLING_GRACE_DAYS: v.wholeNumber(7, 0, 60),
    BILLING_EVENT_SWEEP_SECONDS: v.wholeNumber(60, 1, 3_600),
  })
  .transform((s, ctx): BillingConfig => {
    if (!SECRET_KEY.test(s.STRIPE_SECRET_KEY))
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_SECRET_KEY'],
        message: 'expected a Stripe secret or restricted key (sk_... or rk_...)',
      });
    if (!s.STRIPE_SEAT_PRICE_ID || !/^price_[A-Za-z0-9]+$/.test(s.STRIPE_SEAT_PRICE_ID))
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_SEAT_PRICE_ID'],
        message: 'required with STRIPE_SECRET_KEY: the per-mailbox price id (price_...)',
      });
    return {
      secretKey: s.STRIPE_SECRET_KEY,
      webhookSecrets: s.STRIPE_WEBHOOK_SECRETS,
      seatPriceId: s.STRIPE_SEAT_PRICE_ID ?? '',
      freeMailboxes: s.BILLING_FREE_MAILBOXES,
      graceDays: s.BILLING_GRACE_DAYS,
      automaticTax: s.STRIPE_AUTOMATIC_TAX,
      api: s.STRIPE_API_URL,
      eventSweepSeconds: s.BILLING_EVENT_SWEEP_SECONDS,
    };
  });
