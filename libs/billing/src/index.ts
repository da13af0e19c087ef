/**
 * libs/billing: Stripe (issue #23): Checkout, Customer Portal, seat changes, verified webhooks
 * processed once through the stripe-event queue. The entitlement policy is pure (libs/domain);
 * the planner's SQL-backed seats are libs/sync's SeatEntitlements. The `stripe` package is
 * loaded only when billing is configured.
 */
export * from './account/billing-account.service';
export * from './billing-error';
export * from './billing.module';
export * from './stripe/stripe-api-version';
export * from './stripe/stripe-client';
export * from './webhook/event-tenant-hint';
export * from './webhook/process-stripe-event.use-case';
export * from './webhook/receive-stripe-event.use-case';
export * from './webhook/stripe-webhook-verifier';
export * from './webhook/subscription-facts';
