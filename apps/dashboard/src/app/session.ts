import { useQuery } from '@tanstack/react-query';
import { actingTenant, setActingTenant } from '../api/acting-tenant';
import { api, setCsrfToken, unwrap } from '../api/client';
import { ApiError } from '../api/api-error';
import type { Me } from '../api/views';

export const ME_KEY = ['me'] as const;

/** The signed-in user (null when signed out); keeps the CSRF token for the client. */
export function useSession() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await unwrap<Me>(api.GET('/api/auth/me'));
        setCsrfToken(me.csrfToken);
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          setActingTenant(null);
          return null;
        }
        // The operator grant of the tenant acted for is gone: back to the operator's own.
        if (error instanceof ApiError && error.code === 'operator_not_granted' && actingTenant()) {
          setActingTenant(null);
          const me = await unwrap<Me>(api.GET('/api/auth/me'));
          setCsrfToken(me.csrfToken);
          return me;
        }
        throw error;
      }
    },
    staleTime: 60_000,
  });
}
