import type Stripe from 'stripe';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Our tenant id as the event itself names it: a Checkout Session's `client_reference_id`, or
 * the `tenant_id` metadata Checkout puts on the subscription. Others are found by customer.
 */
export function eventTenantHint(event: Stripe.Event): string | null {
  const object = event.data.object as {
    client_reference_id?: string | null;
    metadata?: Record<string, string> | null;
    parent?: { subscription_details?: { metadata?: Record<string, string> | null } | null } | null;
  };
  const candidate =
    object.client_reference_id ??
    object.metadata?.tenant_id ??
    object.parent?.subscription_details?.metadata?.tenant_id;
  return candidate && UUID.test(candidate) ? candidate : null;
}
