import { STRIPE_API_VERSION } from '@app/billing';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type Stripe from 'stripe';

export const TEST_PRICE_ID = 'price_1SeatsGraduated';
export const TEST_SECRET_KEY = 'sk_test_51BillingE2eSecretKeyValue0123456789';
export const TEST_WEBHOOK_SECRET = 'whsec_billingE2eEndpointSecretOne0123456789';
export const TEST_WEBHOOK_SECRET_NEW = 'whsec_billingE2eEndpointSecretTwo0123456789';

/** The environment that turns billing on, with the Stripe client pointed at a stand-in. */
export function billingEnv(standInUrl: string, extra: Record<string, string> = {}) {
  return {
    STRIPE_SECRET_KEY: TEST_SECRET_KEY,
    STRIPE_WEBHOOK_SECRETS: `${TEST_WEBHOOK_SECRET},${TEST_WEBHOOK_SECRET_NEW}`,
    STRIPE_SEAT_PRICE_ID: TEST_PRICE_ID,
    STRIPE_API_URL: standInUrl,
    BILLING_EVENT_SWEEP_SECONDS: '1',
    ...extra,
  };
}

let counter = 0;
export const stripeId = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}${(counter++).toString(36).padStart(4, '0')}`;

/** What the seat's price and its legacy plan object have in common. */
const SEAT_PRICE = {
  id: TEST_PRICE_ID,
  active: true,
  billing_scheme: 'tiered',
  created: 1_700_000_000,
  currency: 'eur',
  livemode: false,
  metadata: {},
  nickname: 'Mailbox seat',
  product: 'prod_MailboxSeat',
  tiers_mode: 'graduated',
} as const;

/**
 * The fields every event shares: a fresh id, our API version, test mode, one pending webhook,
 * and the API request that caused it (an id of null for Stripe's own actions, e.g. a renewal).
 */
function eventEnvelope(created: number, request: Stripe.Event['request']) {
  return {
    id: stripeId('evt'),
    object: 'event' as const,
    api_version: STRIPE_API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request,
  };
}

/** A subscription as API 2026-11-18 returns it: the period on its item, quantity = seats. */
export function subscription(options: {
  id: string;
  customer: string;
  tenantId: string;
  status: Stripe.Subscription.Status;
  seats: number;
  created: number;
  endedAt?: number | null;
  /** Trialing: when the trial ends (seconds). */
  trialEnd?: number | null;
}): Stripe.Subscription {
  const periodStart = options.created;
  const periodEnd = options.created + 30 * 86_400;
  const price = {
    ...SEAT_PRICE,
    object: 'price',
    custom_unit_amount: null,
    lookup_key: 'mailbox-seat',
    recurring: {
      interval: 'month',
      interval_count: 1,
      meter: null,
      trial_period_days: null,
      usage_type: 'licensed',
    },
    tax_behavior: 'exclusive',
    transform_quantity: null,
    type: 'recurring',
    unit_amount: null,
    unit_amount_decimal: null,
  } satisfies Stripe.Price;
  const plan = {
    ...SEAT_PRICE,
    object: 'plan',
    amount: null,
    amount_decimal: null,
    interval: 'month',
    interval_count: 1,
    meter: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  } satisfies Stripe.Plan;
  const item = {
    id: `si_${options.id.slice(4)}`,
    object: 'subscription_item',
    billing_thresholds: null,
    created: options.created,
    current_period_end: periodEnd,
    current_period_start: periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan,
    price,
    quantity: options.seats,
    subscription: options.id,
    tax_rates: [],
  } satisfies Stripe.SubscriptionItem;
  const canceled = options.status === 'canceled';
  return {
    id: options.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: periodStart,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: canceled ? (options.endedAt ?? options.created) : null,
    cancellation_details: canceled
      ? { comment: null, feedback: null, feedback_option: null, reason: 'cancellation_requested' }
      : null,
    collection_method: 'charge_automatically',
    created: options.created,
    currency: 'eur',
    customer: options.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: 'pm_card_visa',
    default_source: null,
    description: null,
    discounts: [],
    ended_at: canceled ? (options.endedAt ?? options.created) : null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: {
      object: 'list',
      data: [item],
      has_more: false,
      url: `/v1/subscription_items?subscription=${options.id}`,
    },
    latest_invoice: 'in_latest',
    livemode: false,
    managed_payments: null,
    metadata: { tenant_id: options.tenantId },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: options.created,
    status: options.status,
    test_clock: null,
    transfer_data: null,
    trial_end: options.trialEnd ?? null,
    trial_settings: {
      end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' },
    },
    trial_start: options.trialEnd ? options.created : null,
  } satisfies Stripe.Subscription;
}

type SubscriptionEventType =
  | 'customer.subscription.created'
  | 'customer.subscription.updated'
  | 'customer.subscription.deleted'
  | 'customer.subscription.trial_will_end';

/** A customer.subscription.* event as Stripe delivers it (checked against the library's types). */
export function subscriptionEvent(
  type: SubscriptionEventType,
  object: Stripe.Subscription,
  created: number,
): Stripe.Event {
  const base = eventEnvelope(created, { id: stripeId('req'), idempotency_key: null });
  switch (type) {
    case 'customer.subscription.created':
      return { ...base, type, data: { object } } satisfies Stripe.CustomerSubscriptionCreatedEvent;
    case 'customer.subscription.updated':
      return {
        ...base,
        type,
        data: { object, previous_attributes: { status: 'incomplete' } },
      } satisfies Stripe.CustomerSubscriptionUpdatedEvent;
    case 'customer.subscription.deleted':
      return { ...base, type, data: { object } } satisfies Stripe.CustomerSubscriptionDeletedEvent;
    case 'customer.subscription.trial_will_end':
      // Sent three days before the trial ends; not caused by an API request.
      return {
        ...base,
        type,
        request: { id: null, idempotency_key: null },
        data: { object },
      } satisfies Stripe.CustomerSubscriptionTrialWillEndEvent;
  }
}

/** An event type we do not act on. */
export function unhandledEvent(created: number): Stripe.Event {
  return {
    ...eventEnvelope(created, null),
    type: 'balance.available',
    data: {
      object: {
        object: 'balance',
        available: [{ amount: 0, currency: 'eur', source_types: { card: 0 } }],
        livemode: false,
        pending: [{ amount: 0, currency: 'eur', source_types: { card: 0 } }],
      },
    },
  } satisfies Stripe.BalanceAvailableEvent;
}

/** A signature header computed as Stripe does (HMAC-SHA256 of `t.body`), for a stale one. */
export function signAt(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

export interface StandInRequest {
  method: string;
  path: string;
  /** Form fields as the client encodes them (`line_items[0][price]`...). */
  form: Record<string, string>;
  headers: IncomingMessage['headers'];
}

/**
 * A local HTTP stand-in for the Stripe API: records each request (method, path, form body) and
 * answers from `routes` (`'GET /v1/subscriptions/sub_1'` → JSON). Unknown routes answer 404 in
 * Stripe's error shape.
 */
export class StripeStandIn {
  readonly requests: StandInRequest[] = [];
  readonly routes = new Map<string, (req: StandInRequest) => unknown>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        const form: Record<string, string> = {};
        for (const [k, v] of new URLSearchParams(body)) form[k] = v;
        const recorded = {
          method: req.method ?? 'GET',
          path: url.pathname,
          form,
          headers: req.headers,
        };
        this.requests.push(recorded);
        const route = this.routes.get(`${recorded.method} ${recorded.path}`);
        res.setHeader('content-type', 'application/json');
        res.setHeader('request-id', stripeId('req'));
        if (!route) {
          res.statusCode = 404;
          res.end(
            JSON.stringify({
              error: {
                type: 'invalid_request_error',
                message: `no route ${recorded.method} ${recorded.path}`,
              },
            }),
          );
          return;
        }
        res.end(JSON.stringify(route(recorded)));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** An open invoice of a subscription as API 2026-11-18 returns it (its subscription under `parent`). */
export function invoice(options: {
  customer: string;
  subscription: string;
  created: number;
  status?: Stripe.Invoice.Status;
  /** The subscription's metadata as Stripe copies it onto its invoices. */
  tenantId?: string;
}): Stripe.Invoice {
  const paid = options.status === 'paid';
  const id = stripeId('in');
  return {
    id,
    object: 'invoice',
    account_country: 'DE',
    account_name: 'Contact Sync Fleet',
    account_tax_ids: null,
    amount_due: 7500,
    amount_overpaid: 0,
    amount_paid: paid ? 7500 : 0,
    amount_remaining: paid ? 0 : 7500,
    amount_shipping: 0,
    application: null,
    attempt_count: 1,
    attempted: true,
    automatic_tax: {
      disabled_reason: null,
      enabled: false,
      liability: null,
      provider: null,
      status: null,
    },
    automatically_finalizes_at: null,
    billing_reason: 'subscription_cycle',
    collection_method: 'charge_automatically',
    created: options.created,
    currency: 'eur',
    custom_fields: null,
    customer: options.customer,
    customer_account: null,
    customer_address: null,
    customer_email: 'billing@tenant.example',
    customer_name: 'Tenant admin',
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: options.created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `https://invoice.stripe.com/i/acct_1Test/test_${id}`,
    invoice_pdf: `https://pay.stripe.com/invoice/acct_1Test/test_${id}/pdf`,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, url: '/v1/invoices/lines' },
    livemode: false,
    metadata: {},
    next_payment_attempt: paid ? null : options.created + 3 * 86_400,
    number: 'CSF-0001',
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: {
        metadata: options.tenantId ? { tenant_id: options.tenantId } : null,
        subscription: options.subscription,
      },
      type: 'subscription_details',
    },
    payment_settings: {
      default_mandate: null,
      payment_method_options: null,
      payment_method_types: null,
    },
    period_end: options.created,
    period_start: options.created - 30 * 86_400,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: options.status ?? 'open',
    status_transitions: {
      finalized_at: options.created,
      marked_uncollectible_at: null,
      paid_at: paid ? options.created : null,
      voided_at: null,
    },
    subtotal: 7500,
    subtotal_excluding_tax: 7500,
    test_clock: null,
    total: 7500,
    total_discount_amounts: [],
    total_excluding_tax: 7500,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: options.created,
  } satisfies Stripe.Invoice;
}

type InvoiceEventType =
  'invoice.paid' | 'invoice.payment_failed' | 'invoice.payment_action_required';

/** invoice.paid / payment_failed / payment_action_required as Stripe delivers them (typed). */
export function invoiceEvent(
  type: InvoiceEventType,
  object: Stripe.Invoice,
  created: number,
): Stripe.Event {
  // Renewal attempts are Stripe's own, not an API request's.
  const base = eventEnvelope(created, { id: null, idempotency_key: null });
  switch (type) {
    case 'invoice.paid':
      return { ...base, type, data: { object } } satisfies Stripe.InvoicePaidEvent;
    case 'invoice.payment_failed':
      return { ...base, type, data: { object } } satisfies Stripe.InvoicePaymentFailedEvent;
    case 'invoice.payment_action_required':
      return {
        ...base,
        type,
        data: { object },
      } satisfies Stripe.InvoicePaymentActionRequiredEvent;
  }
}

/**
 * A subscription-mode Checkout Session once the customer completed it (API 2026-11-18):
 * `payment_status` is `unpaid` while a delayed method (SEPA Direct Debit) is pending.
 */
export function checkoutSession(options: {
  tenantId: string;
  customer: string;
  subscription: string;
  created: number;
  paymentStatus: Stripe.Checkout.Session.PaymentStatus;
  automaticTax?: boolean;
}): Stripe.Checkout.Session {
  const id = `cs_test_${stripeId('a1').slice(3)}`;
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: 7500,
    amount_total: 7500,
    automatic_tax: {
      enabled: !!options.automaticTax,
      liability: options.automaticTax ? { type: 'self' } : null,
      provider: options.automaticTax ? 'stripe' : null,
      status: options.automaticTax ? 'complete' : null,
    },
    billing_address_collection: null,
    cancel_url: 'https://sync.example.com/billing?checkout=cancel',
    client_reference_id: options.tenantId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: options.created,
    currency: 'eur',
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: options.customer,
    customer_account: null,
    customer_creation: null,
    customer_details: {
      address: {
        city: 'Berlin',
        country: 'DE',
        line1: 'Unter den Linden 1',
        line2: null,
        postal_code: '10117',
        state: null,
      },
      business_name: 'Contoso GmbH',
      email: 'billing@tenant.example',
      individual_name: null,
      name: 'Tenant admin',
      phone: null,
      tax_exempt: 'none',
      tax_ids: options.automaticTax ? [{ type: 'eu_vat', value: 'DE123456789' }] : [],
    },
    customer_email: null,
    discounts: [],
    expires_at: options.created + 86_400,
    integration_identifier: null,
    invoice: stripeId('in'),
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: {},
    mode: 'subscription',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: options.paymentStatus === 'unpaid' ? ['sepa_debit'] : ['card'],
    payment_status: options.paymentStatus,
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: {
      allow_redisplay_filters: ['always'],
      payment_method_remove: null,
      payment_method_save: null,
    },
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'complete',
    submit_type: null,
    subscription: options.subscription,
    success_url: `https://sync.example.com/billing?checkout=success&session_id=${id}`,
    tax_id_collection: { enabled: !!options.automaticTax, required: 'never' },
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: null,
    wallet_options: null,
  } satisfies Stripe.Checkout.Session;
}

type CheckoutEventType =
  | 'checkout.session.completed'
  | 'checkout.session.async_payment_succeeded'
  | 'checkout.session.async_payment_failed';

/** checkout.session.* as Stripe delivers them (checked against the library's types). */
export function checkoutEvent(
  type: CheckoutEventType,
  object: Stripe.Checkout.Session,
  created: number,
): Stripe.Event {
  const base = eventEnvelope(created, { id: null, idempotency_key: null });
  switch (type) {
    case 'checkout.session.completed':
      return { ...base, type, data: { object } } satisfies Stripe.CheckoutSessionCompletedEvent;
    case 'checkout.session.async_payment_succeeded':
      return {
        ...base,
        type,
        data: { object },
      } satisfies Stripe.CheckoutSessionAsyncPaymentSucceededEvent;
    case 'checkout.session.async_payment_failed':
      return {
        ...base,
        type,
        data: { object },
      } satisfies Stripe.CheckoutSessionAsyncPaymentFailedEvent;
  }
}
