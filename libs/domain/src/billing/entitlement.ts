/** A tenant's billing status as the product shows it. */
export type BillingStatus = 'free' | 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled';

/** What the subscription row says (Stripe's status and quantity, our grace deadline). */
export interface SubscriptionFacts {
  /** Stripe's subscription status, or `none` before any subscription. */
  status: string;
  seats: number;
  graceUntil: Date | null;
}

/** How many mailboxes a tenant may sync now, and why. */
export interface Entitlement {
  status: BillingStatus;
  mailboxLimit: number;
  /** Past due or canceled, but still within the grace period: seats kept. */
  inGrace: boolean;
}

/**
 * The seat policy (ADR 0037). No subscription: the free tier. Trialing or active: the
 * subscription's seats (never fewer than the free tier: the price is graduated, the first free
 * mailboxes cost nothing). Past due: seats kept until the grace deadline, then the free tier.
 * Unpaid: the free tier. Canceled: seats kept until the grace deadline, then nothing is synced
 * (the admin is told and may clean up); nothing is ever deleted because of billing.
 */
export function entitlementOf(
  subscription: SubscriptionFacts | null,
  freeMailboxes: number,
  now: Date,
): Entitlement {
  const seats = Math.max(subscription?.seats ?? 0, freeMailboxes);
  const inGrace = !!subscription?.graceUntil && now.getTime() < subscription.graceUntil.getTime();
  switch (subscription?.status) {
    case 'trialing':
    case 'active':
      return { status: subscription.status, mailboxLimit: seats, inGrace: false };
    case 'past_due':
      return { status: 'past_due', mailboxLimit: inGrace ? seats : freeMailboxes, inGrace };
    case 'unpaid':
      return { status: 'unpaid', mailboxLimit: freeMailboxes, inGrace: false };
    case 'canceled':
      return { status: 'canceled', mailboxLimit: inGrace ? seats : 0, inGrace };
    default:
      // none, incomplete, incomplete_expired, paused: no paid seats.
      return { status: 'free', mailboxLimit: freeMailboxes, inGrace: false };
  }
}
