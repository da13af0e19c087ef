/**
 * Stripe billing (issue #23). Absent when STRIPE_SECRET_KEY is unset: billing is off (the
 * self-hosted default), entitlements are unlimited and the billing routes answer 404.
 */
export interface BillingConfig {
  /** sk_live_... / sk_test_... / rk_...: never logged. */
  secretKey: string;
  /** Webhook endpoint secrets (whsec_...); two are valid at once while one is rotated. */
  webhookSecrets: readonly string[];
  /** The per-mailbox seat price (graduated in Stripe: the first `freeMailboxes` at zero). */
  seatPriceId: string;
  /** Mailboxes a tenant without a subscription may sync. */
  freeMailboxes: number;
  /** Days a past-due subscription keeps its seats before syncing stops. */
  graceDays: number;
  /** Automatic tax and tax id collection in Checkout (Stripe Tax must be set up). */
  automaticTax: boolean;
  /** Where the Stripe client sends API requests: Stripe itself, or a local stand-in in tests. */
  api: { host?: string; port?: number; protocol?: 'http' | 'https' };
  /** How often a worker re-queues stored Stripe events that were never processed. */
  eventSweepSeconds: number;
}
