import type { BillingConfig } from '@app/config';
import { entitlementOf } from '@app/domain';
import type {
  BillingUsageRepository,
  SubscriptionRepository,
  TenantRepository,
} from '@app/persistence';
import { BillingError } from '../billing-error';
import type { StripeClient } from '../stripe/stripe-client';

/** The billing screen's facts: plan, seats, usage, what the admin must do. */
export interface BillingOverview {
  status: string;
  stripeStatus: string;
  seats: number;
  mailboxLimit: number;
  freeMailboxes: number;
  syncedMailboxes: number;
  inGrace: boolean;
  graceUntil: string | null;
  currentPeriodEnd: string | null;
  trialEnd: string | null;
  /** trial_will_end, payment_failed, payment_action_required, async_payment_failed, canceled... */
  notice: string | null;
  /** Strong customer authentication: the invoice page where the payment is confirmed. */
  paymentActionUrl: string | null;
  hasCustomer: boolean;
}

export interface UsageDay {
  day: string;
  mailboxes: number;
}

/** Redirect URLs of a Checkout or Portal session (the dashboard's billing page). */
export interface ReturnUrls {
  successUrl: string;
  cancelUrl: string;
}

/**
 * The tenant's side of billing: Checkout to subscribe, the Customer Portal, seat changes with
 * proration, the overview and the usage per day. Every call is scoped to the caller's tenant.
 */
export class BillingAccountService {
  constructor(
    private readonly stripe: StripeClient,
    private readonly subscriptions: SubscriptionRepository,
    private readonly usage: BillingUsageRepository,
    private readonly tenants: TenantRepository,
    private readonly config: BillingConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async overview(tenantId: string): Promise<BillingOverview> {
    const row = await this.subscriptions.findByTenant(tenantId);
    const entitlement = entitlementOf(row, this.config.freeMailboxes, this.now());
    const synced = await this.usage.syncedMailboxes(tenantId);
    const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
    return {
      status: entitlement.status,
      stripeStatus: row?.status ?? 'none',
      seats: row?.seats ?? 0,
      mailboxLimit: entitlement.mailboxLimit,
      freeMailboxes: this.config.freeMailboxes,
      syncedMailboxes: synced.size,
      inGrace: entitlement.inGrace,
      graceUntil: iso(row?.graceUntil),
      currentPeriodEnd: iso(row?.currentPeriodEnd),
      trialEnd: iso(row?.trialEnd),
      notice: row?.notice ?? null,
      paymentActionUrl: row?.paymentActionUrl ?? null,
      hasCustomer: !!row?.stripeCustomerId,
    };
  }

  /** Synced mailboxes per day over the last `days` days (UTC), oldest first. */
  async usageDays(tenantId: string, days: number): Promise<UsageDay[]> {
    const from = new Date(this.now().getTime() - (days - 1) * 24 * 3600_000);
    const rows = await this.usage.days(tenantId, from.toISOString().slice(0, 10));
    return rows.map((r) => ({ day: r.day, mailboxes: r.mailboxes }));
  }

  /** Records today's synced mailboxes (the worker's usage pass). */
  async recordUsage(tenantId: string): Promise<number> {
    const count = (await this.usage.syncedMailboxes(tenantId)).size;
    await this.usage.recordDay(tenantId, this.now().toISOString().slice(0, 10), count);
    return count;
  }

  /**
   * A Checkout Session to subscribe: mode subscription, the seat price at `seats`, our tenant id
   * as client_reference_id and on the subscription's metadata, the tenant's customer reused
   * (or created first, so a second Checkout never makes a second customer).
   */
  async startCheckout(tenantId: string, seats: number, urls: ReturnUrls): Promise<{ url: string }> {
    const row = await this.subscriptions.ensure(tenantId);
    if (['active', 'trialing', 'past_due', 'unpaid'].includes(row.status))
      throw new BillingError(
        'billing_already_subscribed',
        'the organization already has a subscription: change its seats or open the customer portal',
      );
    const customer = await this.customerOf(tenantId, row.stripeCustomerId);
    const session = await this.call(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          customer,
          client_reference_id: tenantId,
          line_items: [{ price: this.config.seatPriceId, quantity: seats }],
          subscription_data: { metadata: { tenant_id: tenantId } },
          success_url: urls.successUrl,
          cancel_url: urls.cancelUrl,
          ...(this.config.automaticTax
            ? {
                automatic_tax: { enabled: true },
                tax_id_collection: { enabled: true },
                customer_update: { address: 'auto', name: 'auto' },
              }
            : {}),
        },
        // A double click makes one session, not two.
        {
          idempotencyKey: `checkout-${tenantId}-${seats}-${Math.floor(this.now().getTime() / 60_000)}`,
        },
      ),
    );
    if (!session.url)
      throw new BillingError('stripe_unavailable', 'Stripe returned no Checkout URL');
    return { url: session.url };
  }

  /** A Customer Portal session: payment methods, invoices, cancellation. */
  async openPortal(tenantId: string, returnUrl: string): Promise<{ url: string }> {
    const row = await this.subscriptions.findByTenant(tenantId);
    if (!row?.stripeCustomerId)
      throw new BillingError(
        'billing_not_subscribed',
        'the organization has no Stripe customer yet: subscribe through Checkout first',
      );
    const session = await this.call(() =>
      this.stripe.billingPortal.sessions.create({
        customer: row.stripeCustomerId!,
        return_url: returnUrl,
      }),
    );
    return { url: session.url };
  }

  /**
   * Changes the seat count with proration. Fewer seats than the mailboxes synced now is refused
   * unless `acceptFrozen`: the answer says how many mailboxes would stop being updated.
   */
  async changeSeats(
    tenantId: string,
    seats: number,
    acceptFrozen: boolean,
  ): Promise<BillingOverview> {
    const row = await this.subscriptions.findByTenant(tenantId);
    if (!row?.stripeSubscriptionId || !['active', 'trialing', 'past_due'].includes(row.status))
      throw new BillingError(
        'billing_not_subscribed',
        'the organization has no active subscription: subscribe through Checkout first',
      );
    const synced = (await this.usage.syncedMailboxes(tenantId)).size;
    const limit = Math.max(seats, this.config.freeMailboxes);
    if (limit < synced && !acceptFrozen)
      throw new BillingError(
        'seats_below_usage',
        `${synced} mailboxes are synced; with ${seats} seats ${synced - limit} of them would no longer be updated (they are left as they are, nothing is deleted). Send acceptFrozen: true to go ahead.`,
        { details: { syncedMailboxes: synced, seats, wouldFreeze: synced - limit } },
      );
    const subscription = await this.call(() =>
      this.stripe.subscriptions.retrieve(row.stripeSubscriptionId!),
    );
    const item =
      subscription.items.data.find((i) => i.price.id === this.config.seatPriceId) ??
      subscription.items.data[0];
    const updated = await this.call(() =>
      this.stripe.subscriptions.update(row.stripeSubscriptionId!, {
        items: [{ id: item.id, quantity: seats }],
        proration_behavior: 'create_prorations',
        metadata: { tenant_id: tenantId },
      }),
    );
    // The webhook confirms it too; the admin sees the new count at once.
    await this.subscriptions.update(tenantId, {
      seats:
        updated.items.data.find((i) => i.price.id === this.config.seatPriceId)?.quantity ?? seats,
    });
    return this.overview(tenantId);
  }

  private async customerOf(tenantId: string, existing: string | null): Promise<string> {
    if (existing) return existing;
    const tenant = await this.tenants.findById(tenantId);
    const customer = await this.call(() =>
      this.stripe.customers.create(
        {
          name: tenant?.displayName ?? undefined,
          metadata: { tenant_id: tenantId, azure_tenant_id: tenant?.azureTenantId ?? '' },
        },
        { idempotencyKey: `customer-${tenantId}` },
      ),
    );
    await this.subscriptions.update(tenantId, { stripeCustomerId: customer.id });
    return customer.id;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const type = (error as { type?: string }).type ?? 'unknown';
      throw new BillingError('stripe_unavailable', `a Stripe request failed (${type})`, {
        details: { stripeErrorType: type },
      });
    }
  }
}
