import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/api-error';

/** GET /api/billing (libs/billing BillingOverview). */
export interface BillingOverview {
  /** free | trialing | active | past_due | unpaid | canceled */
  status: string;
  /** Stripe's subscription status, or `none` before any. */
  stripeStatus: string;
  seats: number;
  mailboxLimit: number;
  freeMailboxes: number;
  syncedMailboxes: number;
  inGrace: boolean;
  graceUntil: string | null;
  currentPeriodEnd: string | null;
  trialEnd: string | null;
  notice: string | null;
  paymentActionUrl: string | null;
  hasCustomer: boolean;
}

export const BILLING_KEY = ['billing'] as const;

/**
 * The tenant's billing, or null when this deployment has billing off (its routes answer 404):
 * the navigation and the screen hide it then.
 */
export function useBilling(enabled = true) {
  return useQuery({
    queryKey: BILLING_KEY,
    enabled,
    queryFn: async (): Promise<BillingOverview | null> => {
      try {
        return await unwrap<BillingOverview>(api.GET('/api/billing'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    staleTime: 30_000,
  });
}

export function useBillingUsage(days: number) {
  return useQuery({
    queryKey: [...BILLING_KEY, 'usage', days],
    queryFn: () =>
      unwrap<{ days: Array<{ day: string; mailboxes: number }> }>(
        api.GET('/api/billing/usage', { params: { query: { days } } }),
      ),
  });
}
