import type { BillingConfig, TypedToken } from '@app/config';
import type Stripe from 'stripe';
import { STRIPE_API_VERSION } from './stripe-api-version';

export type StripeClient = Stripe;

export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT') as TypedToken<StripeClient>;

/**
 * The official client, loaded only here and only when billing is configured: without Stripe
 * settings the `stripe` package is never even required (the billing-off test checks it).
 */
export async function createStripeClient(config: BillingConfig): Promise<StripeClient> {
  const { default: StripeConstructor } = await import('stripe');
  return new StripeConstructor(config.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'contact-sync-fleet' },
    ...(config.api.host ? { host: config.api.host } : {}),
    ...(config.api.port ? { port: config.api.port } : {}),
    ...(config.api.protocol ? { protocol: config.api.protocol } : {}),
  });
}
