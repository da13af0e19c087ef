export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A tenant as the Graph layer needs it: our row id (token cache) and the Entra ID tenant id. */
export interface TenantRef {
  id: string;
  azureTenantId: string | null;
}

export interface GraphCall {
  method: HttpMethod;
  /** Relative to the version root (`/users/...`), or a full nextLink/deltaLink URL. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Read the body as bytes (photos) rather than text or JSON. */
  binary?: boolean;
}

export interface GraphResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

/** Graph's error body: {error: {code, message}}. */
export interface GraphErrorBody {
  error?: { code?: string; message?: string };
}
