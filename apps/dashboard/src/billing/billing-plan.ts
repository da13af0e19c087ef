import type { BillingOverview } from './billing-queries';

export interface PlanView {
  label: string;
  color: string;
  /** One sentence: what the tenant may sync now, and until when. */
  summary: string;
}

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : 'soon');

/** How the screen names the tenant's plan (the policy itself is ADR 0037's, in the API). */
export function planOf(b: BillingOverview): PlanView {
  switch (b.status) {
    case 'active':
      return {
        label: 'Subscribed',
        color: 'green',
        summary: `${b.seats} seats: up to ${b.mailboxLimit} mailboxes are kept in step.`,
      };
    case 'trialing':
      return {
        label: 'Trial',
        color: 'blue',
        summary: `${b.seats} seats during the trial, which ends ${day(b.trialEnd)}.`,
      };
    case 'past_due':
      return b.inGrace
        ? {
            label: 'Payment overdue',
            color: 'orange',
            summary: `The last payment failed. Your ${b.seats} seats are kept until ${day(b.graceUntil)}; after that only the ${b.freeMailboxes} free mailboxes are synced.`,
          }
        : {
            label: 'Payment overdue',
            color: 'red',
            summary: `The grace period has ended: only the ${b.freeMailboxes} free mailboxes are synced until the payment goes through.`,
          };
    case 'unpaid':
      return {
        label: 'Unpaid',
        color: 'red',
        summary: `The subscription is unpaid: only the ${b.freeMailboxes} free mailboxes are synced.`,
      };
    case 'canceled':
      return b.inGrace
        ? {
            label: 'Cancelled',
            color: 'gray',
            summary: `The subscription is cancelled. Syncing continues until ${day(b.graceUntil)}, then stops; nothing is deleted.`,
          }
        : {
            label: 'Cancelled',
            color: 'gray',
            summary:
              'The subscription is cancelled: no mailbox is synced any more. What was synced stays as it is; subscribe again to resume, or clean up under Organization.',
          };
    default:
      return {
        label: 'Free tier',
        color: 'blue',
        summary: `Up to ${b.freeMailboxes} mailboxes are synced free of charge. Subscribe for more.`,
      };
  }
}

/** Whether the organization has a subscription whose seats can be changed. */
export function canChangeSeats(b: BillingOverview): boolean {
  return ['active', 'trialing', 'past_due'].includes(b.stripeStatus);
}

/** Whether Checkout is the way forward (no live subscription). */
export function canSubscribe(b: BillingOverview): boolean {
  return !['active', 'trialing', 'past_due', 'unpaid'].includes(b.stripeStatus);
}

/** Mailboxes that would stop being updated with `seats` (the free tier always stays). */
export function wouldFreeze(b: BillingOverview, seats: number): number {
  return Math.max(0, b.syncedMailboxes - Math.max(seats, b.freeMailboxes));
}
