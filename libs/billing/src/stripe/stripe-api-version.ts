/**
 * The Stripe API version every request and payload is written for (stripe 23.2's own). The
 * webhook endpoint in the Stripe dashboard must use the same version: since 2025-03-31 a
 * subscription's period lives on its items and an invoice's subscription under
 * `parent.subscription_details`, so payload shapes depend on it.
 */
export const STRIPE_API_VERSION = '2026-11-18.endive' as const;
