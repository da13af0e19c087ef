import type { BillingConfig } from '@app/config';
import type {
  StripeEventRepository,
  SubscriptionEntity,
  SubscriptionRepository,
  TenantRepository,
} from '@app/persistence';
import type Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../stripe/stripe-api-version';
import type { StripeClient } from '../stripe/stripe-client';
import { eventTenantHint } from './event-tenant-hint';
import { subscriptionSnapshot, type SubscriptionSnapshot } from './subscription-facts';

const DAY_MS = 24 * 3600_000;
/** Subscription row statuses with no live subscription behind them. */
const ENDED_OR_NONE: ReadonlySet<string> = new Set(['none', 'canceled', 'incomplete_expired']);

/** What processing one event did, recorded on its stripe_event row. */
export interface StripeEventOutcome {
  status: 'processed' | 'ignored';
  outcome: string;
  tenantId: string | null;
}

/** The repositories event processing reads and writes. */
export interface StripeEventRepositories {
  events: StripeEventRepository;
  subscriptions: SubscriptionRepository;
  tenants: TenantRepository;
}

/**
 * Applies one stored Stripe event to the tenant's subscription row, once. Out-of-order
 * deliveries are resolved by time: an event older than the state already applied is stale and
 * changes nothing; one of the same second is in doubt, and the subscription is re-fetched from
 * Stripe (the truth). A canceled subscription never comes back (Stripe does not revive them).
 */
export class ProcessStripeEventUseCase {
  constructor(
    private readonly repositories: StripeEventRepositories,
    private readonly stripe: StripeClient,
    private readonly config: Pick<BillingConfig, 'seatPriceId' | 'graceDays'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Processes the stored event; `already` when it was processed before (a repeat job). */
  async execute(eventRowId: string): Promise<StripeEventOutcome | 'already'> {
    const row = await this.repositories.events.find(eventRowId);
    if (!row || row.status !== 'received' || !row.payload) return 'already';
    await this.repositories.events.countAttempt(row.id);
    const event = JSON.parse(row.payload) as Stripe.Event;
    const result = await this.apply(event);
    const finished = await this.repositories.events.finish(
      row.id,
      result.status,
      result.outcome,
      result.tenantId,
    );
    return finished ? result : 'already';
  }

  /** After the job's last attempt: the row says so, and the sweep leaves it. */
  async fail(eventRowId: string, reason: string): Promise<void> {
    await this.repositories.events.finish(eventRowId, 'failed', reason.slice(0, 64), null);
  }

  private async apply(event: Stripe.Event): Promise<StripeEventOutcome> {
    const at = new Date(event.created * 1000);
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return this.checkoutCompleted(event.data.object, at);
      case 'checkout.session.async_payment_failed': {
        const row = await this.rowFor(event, customerOf(event.data.object.customer));
        if (!row) return unknownTenant();
        await this.repositories.subscriptions.update(row.tenantId, {
          notice: 'async_payment_failed',
        });
        return processed('notice', row.tenantId);
      }
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
      case 'customer.subscription.trial_will_end': {
        const subscription = event.data.object;
        const row = await this.rowFor(event, customerOf(subscription.customer));
        if (!row) return unknownTenant();
        // A payload of another API version (the endpoint not set to ours) may lack what we read
        // (since 2025-03-31 the period is on the items): Stripe's answer in our version decides.
        const foreign = event.api_version !== STRIPE_API_VERSION;
        const snapshot = foreign
          ? await this.fetch(subscription.id)
          : subscriptionSnapshot(subscription, this.config.seatPriceId);
        const outcome = await this.applySubscription(
          row,
          snapshot,
          at,
          foreign ? 'fetched' : 'event',
        );
        if (event.type === 'customer.subscription.trial_will_end')
          await this.repositories.subscriptions.update(row.tenantId, {
            notice: 'trial_will_end',
            trialEnd: snapshot.trialEnd,
          });
        return processed(outcome, row.tenantId);
      }
      case 'invoice.paid':
      case 'invoice.payment_failed':
      case 'invoice.payment_action_required':
        return this.invoice(event.type, event.data.object, event, at);
      default:
        return { status: 'ignored', outcome: 'unhandled_type', tenantId: eventTenantHint(event) };
    }
  }

  private async checkoutCompleted(
    session: Stripe.Checkout.Session,
    at: Date,
  ): Promise<StripeEventOutcome> {
    const tenantId = session.client_reference_id;
    if (!tenantId || !(await this.repositories.tenants.findById(tenantId))) return unknownTenant();
    const row = await this.repositories.subscriptions.ensure(tenantId);
    const subscriptionId = idOf(session.subscription);
    // A re-subscription after a cancellation is a new subscription: it is linked by its own
    // state (fetched, or its events), never by overwriting the canceled one's id, whose
    // "canceled never comes back" rule would then make the new one's events stale.
    const ended = row.status === 'canceled' || row.status === 'incomplete_expired';
    await this.repositories.subscriptions.update(tenantId, {
      stripeCustomerId: customerOf(session.customer) ?? row.stripeCustomerId,
      ...(row.status === 'none' && subscriptionId ? { stripeSubscriptionId: subscriptionId } : {}),
      notice: session.payment_status === 'unpaid' ? 'payment_pending' : null,
    });
    // The subscription's own events carry its state; if none arrived yet, ask Stripe.
    if (
      subscriptionId &&
      session.payment_status !== 'unpaid' &&
      (row.status === 'none' || (ended && subscriptionId !== row.stripeSubscriptionId))
    ) {
      const fresh = await this.fetch(subscriptionId);
      await this.applySubscription(
        (await this.repositories.subscriptions.findByTenant(tenantId))!,
        fresh,
        at,
        'fetched',
      );
      return processed('linked_fetched', tenantId);
    }
    return processed('linked', tenantId);
  }

  /**
   * Invoice events of another subscription than the tenant's live one are ignored
   * (`other_subscription`). The others in order: one older than the newest invoice event
   * applied is stale (a late payment_failed or action_required after the invoice.paid that
   * settled it). One that would move the status while another event of its moment, or a
   * newer subscription state, says otherwise is in doubt: the subscription is re-fetched from
   * Stripe (ADR 0050).
   */
  private async invoice(
    type: 'invoice.paid' | 'invoice.payment_failed' | 'invoice.payment_action_required',
    invoice: Stripe.Invoice,
    event: Stripe.Event,
    at: Date,
  ): Promise<StripeEventOutcome> {
    const row = await this.rowFor(event, customerOf(invoice.customer));
    if (!row) return unknownTenant();
    const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
    // An invoice of another subscription than the tenant's live one (a late failure or payment
    // of one it replaced) says nothing about it. While the tenant has none, or its own ended,
    // another subscription's invoice may be of its successor, not linked yet: it counts.
    if (
      subscriptionId &&
      row.stripeSubscriptionId &&
      subscriptionId !== row.stripeSubscriptionId &&
      !ENDED_OR_NONE.has(row.status)
    )
      return { status: 'ignored', outcome: 'other_subscription', tenantId: row.tenantId };
    const subscriptions = this.repositories.subscriptions;
    const lastInvoice = row.lastInvoiceEventAt?.getTime();
    if (lastInvoice !== undefined && at.getTime() < lastInvoice)
      return processed('stale', row.tenantId);
    const seen = { lastInvoiceEventAt: at };
    if (type === 'invoice.payment_action_required') {
      await subscriptions.update(row.tenantId, {
        ...seen,
        paymentActionUrl: invoice.hosted_invoice_url ?? null,
        notice: 'payment_action_required',
      });
      return processed('action_required', row.tenantId);
    }
    const movesStatus =
      type === 'invoice.payment_failed'
        ? row.status !== 'past_due' && row.status !== 'canceled'
        : row.status === 'past_due' || row.status === 'unpaid';
    const inDoubt =
      movesStatus &&
      !!subscriptionId &&
      subscriptionId === row.stripeSubscriptionId &&
      (lastInvoice === at.getTime() ||
        (!!row.lastEventAt && at.getTime() <= row.lastEventAt.getTime()));
    if (inDoubt) {
      const fresh = await this.fetch(subscriptionId);
      await this.applySubscription(row, fresh, at, 'fetched');
      await subscriptions.update(row.tenantId, {
        ...seen,
        ...(fresh.status === 'past_due' ? { notice: 'payment_failed' } : {}),
        ...(fresh.status === 'active' && type === 'invoice.paid'
          ? { notice: null, paymentActionUrl: null }
          : {}),
      });
      return processed('refetched', row.tenantId);
    }
    if (type === 'invoice.payment_failed') {
      if (row.status === 'canceled') return processed('stale', row.tenantId);
      // Seats are kept through the grace period, counted from the first failure.
      await subscriptions.update(row.tenantId, {
        ...seen,
        status: 'past_due',
        graceUntil: row.graceUntil ?? new Date(at.getTime() + this.config.graceDays * DAY_MS),
        notice: 'payment_failed',
      });
      return processed('past_due', row.tenantId);
    }
    await subscriptions.update(row.tenantId, {
      ...seen,
      paymentActionUrl: null,
      // Paid settles payment notices; a cancellation still stands (a final invoice paid).
      notice: row.status === 'canceled' ? row.notice : null,
      ...(row.status === 'past_due' || row.status === 'unpaid'
        ? { status: 'active', graceUntil: null }
        : {}),
    });
    return processed('paid', row.tenantId);
  }

  /**
   * Applies a subscription's state. From an event: stale when older than what was applied,
   * re-fetched when of the same second (in doubt). From Stripe (fetched): the truth.
   */
  private async applySubscription(
    row: SubscriptionEntity,
    snapshot: SubscriptionSnapshot,
    at: Date,
    source: 'event' | 'fetched',
  ): Promise<string> {
    const sameSubscription = row.stripeSubscriptionId === snapshot.id;
    if (source === 'event' && row.lastEventAt && sameSubscription) {
      if (at.getTime() < row.lastEventAt.getTime()) return 'stale';
      if (at.getTime() === row.lastEventAt.getTime()) {
        const fresh = await this.fetch(snapshot.id);
        await this.applySubscription(row, fresh, at, 'fetched');
        return 'refetched';
      }
    }
    // An invoice event of this moment or later moved the status (paid, or payment failed): a
    // subscription event that says otherwise is in doubt.
    if (
      source === 'event' &&
      sameSubscription &&
      row.lastInvoiceEventAt &&
      at.getTime() <= row.lastInvoiceEventAt.getTime() &&
      snapshot.status !== row.status &&
      (row.status === 'past_due' || snapshot.status === 'past_due')
    ) {
      await this.applySubscription(row, await this.fetch(snapshot.id), at, 'fetched');
      return 'refetched';
    }
    if (sameSubscription && row.status === 'canceled' && snapshot.status !== 'canceled')
      return 'stale';
    // A different, older subscription of the tenant's never overrides a live newer one.
    if (
      !sameSubscription &&
      row.stripeSubscriptionId &&
      snapshot.status === 'canceled' &&
      row.status !== 'canceled' &&
      row.status !== 'none'
    )
      return 'stale';
    const graceFrom =
      snapshot.status === 'canceled'
        ? (snapshot.endedAt ?? at)
        : snapshot.status === 'past_due'
          ? at
          : null;
    const graceUntil =
      graceFrom === null
        ? null
        : snapshot.status === 'past_due' && row.graceUntil
          ? row.graceUntil
          : new Date(graceFrom.getTime() + this.config.graceDays * DAY_MS);
    const lastEventAt =
      row.lastEventAt && row.lastEventAt.getTime() > at.getTime() ? row.lastEventAt : at;
    await this.repositories.subscriptions.update(row.tenantId, {
      stripeCustomerId: snapshot.customerId,
      stripeSubscriptionId: snapshot.id,
      status: snapshot.status,
      seats: snapshot.seats,
      currentPeriodEnd: snapshot.currentPeriodEnd,
      trialEnd: snapshot.trialEnd,
      graceUntil,
      lastEventAt,
      ...(snapshot.status === 'active' ? { paymentActionUrl: null } : {}),
      ...(snapshot.status === 'canceled'
        ? { notice: 'canceled' }
        : row.notice === 'canceled'
          ? { notice: null }
          : {}),
    });
    return source === 'fetched' ? 'fetched' : 'applied';
  }

  private async fetch(subscriptionId: string): Promise<SubscriptionSnapshot> {
    const subscription = await this.stripe.subscriptions.retrieve(subscriptionId);
    return subscriptionSnapshot(subscription, this.config.seatPriceId);
  }

  /** The tenant's row: by the tenant id the event names, else by its Stripe customer. */
  private async rowFor(
    event: Stripe.Event,
    customerId: string | null,
  ): Promise<SubscriptionEntity | null> {
    const hinted = eventTenantHint(event);
    if (hinted && (await this.repositories.tenants.findById(hinted)))
      return this.repositories.subscriptions.ensure(hinted);
    return customerId ? this.repositories.subscriptions.findByCustomer(customerId) : null;
  }
}

const processed = (outcome: string, tenantId: string): StripeEventOutcome => ({
  status: 'processed',
  outcome,
  tenantId,
});

const unknownTenant = (): StripeEventOutcome => ({
  status: 'ignored',
  outcome: 'unknown_tenant',
  tenantId: null,
});

function idOf(value: string | { id: string } | null | undefined): string | null {
  return value == null ? null : typeof value === 'string' ? value : value.id;
}

function customerOf(value: string | { id: string } | null | undefined): string | null {
  return idOf(value);
}
