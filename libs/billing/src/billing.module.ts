import { APP_CONFIG, factoryProvider } from '@app/config';
import {
  BillingUsageRepository,
  StripeEventRepository,
  SubscriptionRepository,
  TenantRepository,
} from '@app/persistence';
import { SyncQueues } from '@app/queue';
import { Logger, Module } from '@nestjs/common';
import { BillingAccountService } from './account/billing-account.service';
import { createStripeClient, STRIPE_CLIENT } from './stripe/stripe-client';
import { ProcessStripeEventUseCase } from './webhook/process-stripe-event.use-case';
import { ReceiveStripeEventUseCase } from './webhook/receive-stripe-event.use-case';
import { StripeWebhookVerifier } from './webhook/stripe-webhook-verifier';

/**
 * Billing with Stripe. Imported by the admin API and the worker only when the config has
 * Stripe settings (`config.billing`): without them nothing here is constructed.
 */
@Module({
  providers: [
    factoryProvider(STRIPE_CLIENT, [APP_CONFIG], (config) => {
      if (!config.billing) throw new Error('BillingModule imported without Stripe settings');
      return createStripeClient(config.billing);
    }),
    factoryProvider(
      StripeWebhookVerifier,
      [STRIPE_CLIENT, APP_CONFIG],
      (stripe, config) => new StripeWebhookVerifier(stripe, config.billing!),
    ),
    factoryProvider(
      ReceiveStripeEventUseCase,
      [StripeWebhookVerifier, StripeEventRepository, SyncQueues],
      (verifier, events, queues) => {
        const logger = new Logger('StripeWebhook');
        return new ReceiveStripeEventUseCase(verifier, events, queues, (error, eventId) =>
          logger.warn(
            { eventId, err: (error as Error).message },
            'Stripe event stored but not queued; the sweep queues it',
          ),
        );
      },
    ),
    factoryProvider(
      ProcessStripeEventUseCase,
      [StripeEventRepository, SubscriptionRepository, TenantRepository, STRIPE_CLIENT, APP_CONFIG],
      (events, subscriptions, tenants, stripe, config) =>
        new ProcessStripeEventUseCase({ events, subscriptions, tenants }, stripe, config.billing!),
    ),
    factoryProvider(
      BillingAccountService,
      [STRIPE_CLIENT, SubscriptionRepository, BillingUsageRepository, TenantRepository, APP_CONFIG],
      (stripe, subscriptions, usage, tenants, config) =>
        new BillingAccountService(stripe, subscriptions, usage, tenants, config.billing!),
    ),
  ],
  exports: [
    STRIPE_CLIENT,
    ReceiveStripeEventUseCase,
    ProcessStripeEventUseCase,
    BillingAccountService,
  ],
})
export class BillingModule {}
