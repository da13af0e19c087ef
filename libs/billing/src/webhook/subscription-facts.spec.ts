import type Stripe from 'stripe';
import { subscriptionSnapshot } from './subscription-facts';

const SEAT = 'price_seat';

/** The parts of an API 2026-11-18 subscription the snapshot reads. */
function sub(
  items: Array<{ price: string; quantity: number; end: number }>,
  extra: Partial<Record<'trial_end' | 'ended_at' | 'canceled_at', number | null>> = {},
): Stripe.Subscription {
  return {
    id: 'sub_1',
    customer: { id: 'cus_1' },
    status: 'active',
    trial_end: null,
    ended_at: null,
    canceled_at: null,
    ...extra,
    items: {
      data: items.map((i) => ({
        price: { id: i.price },
        quantity: i.quantity,
        current_period_end: i.end,
      })),
    },
  } as unknown as Stripe.Subscription;
}

describe('subscriptionSnapshot', () => {
  it('counts the seat price quantity and takes the latest item period end', () => {
    const snapshot = subscriptionSnapshot(
      sub([
        { price: SEAT, quantity: 25, end: 1_800_000_000 },
        { price: 'price_support', quantity: 1, end: 1_800_100_000 },
      ]),
      SEAT,
    );
    expect(snapshot).toEqual({
      id: 'sub_1',
      customerId: 'cus_1',
      status: 'active',
      seats: 25,
      currentPeriodEnd: new Date(1_800_100_000_000),
      trialEnd: null,
      endedAt: null,
    });
  });

  it('counts every item when none has the seat price (a price changed in Stripe)', () => {
    const snapshot = subscriptionSnapshot(
      sub([
        { price: 'price_old', quantity: 7, end: 1 },
        { price: 'price_older', quantity: 5, end: 2 },
      ]),
      SEAT,
    );
    expect(snapshot.seats).toBe(12);
  });

  it('reads the trial end and when a canceled subscription ended', () => {
    const snapshot = subscriptionSnapshot(
      sub([{ price: SEAT, quantity: 3, end: 10 }], {
        trial_end: 1_800_000_000,
        canceled_at: 1_790_000_000,
      }),
      SEAT,
    );
    expect(snapshot.trialEnd).toEqual(new Date(1_800_000_000_000));
    expect(snapshot.endedAt).toEqual(new Date(1_790_000_000_000));
  });
});
