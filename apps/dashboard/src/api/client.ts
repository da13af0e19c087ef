import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './admin-api';
import { actingTenant } from './acting-tenant';
import { ApiError } from './api-error';

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => undefined;

/** The session's CSRF token (from GET /api/auth/me), sent on every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when the session is gone (401): the app returns to sign-in. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken)
      request.headers.set('X-CSRF-Token', csrfToken);
    // An MSP operator acting for a managed tenant; the list of those tenants is their own.
    const tenant = actingTenant();
    const path = new URL(request.url).pathname;
    if (tenant && !path.startsWith('/api/operator/') && path !== '/api/auth/logout')
      request.headers.set('X-Tenant-Id', tenant);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/api/auth/me'))
      onUnauthorized();
    return response;
  },
};

/** The typed admin API client, generated from its OpenAPI document (src/api/admin-api.d.ts). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(session);

/**
 * The body of a successful answer, or an ApiError carrying the API's error envelope. The
 * API's responses are not yet described by schemas in its OpenAPI document, so callers name
 * the shape they expect (src/api/views.ts).
 */
export async function unwrap<T>(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.from(response.status, error);
  return data as T;
}
