import type { BillingConfig } from '@app/config';
import type Stripe from 'stripe';
import { BillingError } from '../billing-error';
import type { StripeClient } from '../stripe/stripe-client';

/**
 * Signature check of a webhook delivery over its raw bytes, through the library's
 * `constructEvent` (HMAC-SHA256 of `t.body`, 300 s tolerance). Each configured endpoint secret
 * is tried, so a rotation has both valid for a while.
 */
export class StripeWebhookVerifier {
  constructor(
    private readonly stripe: StripeClient,
    private readonly config: Pick<BillingConfig, 'webhookSecrets'>,
  ) {}

  verify(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    if (!rawBody || rawBody.length === 0)
      throw new BillingError('stripe_signature_invalid', 'a JSON body is required', {
        details: { problems: [{ field: '(body)', message: 'required (application/json)' }] },
      });
    if (!signature)
      throw new BillingError('stripe_signature_invalid', 'missing Stripe-Signature header', {
        details: { problems: [{ field: 'Stripe-Signature', message: 'required' }] },
      });
    for (const secret of this.config.webhookSecrets) {
      try {
        return this.stripe.webhooks.constructEvent(rawBody, signature, secret);
      } catch {
        // The next secret (rotation); the error text is not echoed.
      }
    }
    throw new BillingError(
      'stripe_signature_invalid',
      'the Stripe-Signature does not match the body with any endpoint secret, or its timestamp is outside the tolerance',
      { details: { problems: [{ field: 'Stripe-Signature', message: 'invalid' }] } },
    );
  }
}
