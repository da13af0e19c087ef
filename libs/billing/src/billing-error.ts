import { CodedError, type CodedErrorOptions } from '@app/domain';

/** Codes billing raises (docs/errors.md). */
export type BillingErrorCode =
  | 'stripe_signature_invalid'
  | 'billing_not_subscribed'
  | 'billing_already_subscribed'
  | 'seats_below_usage'
  | 'stripe_unavailable';

const STATUS: Record<BillingErrorCode, number> = {
  stripe_signature_invalid: 400,
  billing_not_subscribed: 409,
  billing_already_subscribed: 409,
  seats_below_usage: 409,
  stripe_unavailable: 502,
};

/** A billing request refused or a Stripe call that failed (details never carry secrets). */
export class BillingError extends CodedError {
  declare readonly code: BillingErrorCode;

  constructor(code: BillingErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(code, message, { status: STATUS[code], ...options });
  }
}
