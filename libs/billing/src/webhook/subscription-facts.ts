import type Stripe from 'stripe';

/** What we keep of a Stripe subscription: status, seats of our price, period end, trial end. */
export interface SubscriptionSnapshot {
  id: string;
  customerId: string;
  status: Stripe.Subscription.Status;
  seats: number;
  currentPeriodEnd: Date | null;
  trialEnd: Date | null;
  /** When it ended (canceled), else null. */
  endedAt: Date | null;
}

/**
 * Since API 2025-03-31 the current period is per item: the subscription's is its items' latest
 * end. Seats are the quantity of the seat price's item (all items' when none matches).
 */
export function subscriptionSnapshot(
  subscription: Stripe.Subscription,
  seatPriceId: string,
): SubscriptionSnapshot {
  const items = subscription.items.data;
  const seatItems = items.filter((item) => item.price.id === seatPriceId);
  const counted = seatItems.length > 0 ? seatItems : items;
  const periodEnds = items.map((item) => item.current_period_end).filter((t) => t > 0);
  const at = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : null);
  return {
    id: subscription.id,
    customerId:
      typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id,
    status: subscription.status,
    seats: counted.reduce((sum, item) => sum + (item.quantity ?? 0), 0),
    currentPeriodEnd: periodEnds.length ? at(Math.max(...periodEnds)) : null,
    trialEnd: at(subscription.trial_end),
    endedAt: at(subscription.ended_at ?? subscription.canceled_at),
  };
}
