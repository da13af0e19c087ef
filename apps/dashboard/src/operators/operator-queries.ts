import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { Page } from '../api/views';
import type { ManagedTenant } from '../api/views-admin';

export const managedTenantsKey = ['operator', 'tenants'] as const;

/** Tenants the signed-in user may act for as an MSP operator (none for most people). */
export function useManagedTenants(enabled: boolean) {
  return useQuery({
    queryKey: managedTenantsKey,
    enabled,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      try {
        return await unwrap<Page<ManagedTenant>>(
          api.GET('/api/operator/tenants', { params: { query: { limit: 200 } } }),
        );
      } catch (error) {
        // An API token or a principal that cannot be an operator: no switcher, no error.
        if (error instanceof ApiError && error.status === 403) return { items: [], total: 0 };
        throw error;
      }
    },
  });
}
