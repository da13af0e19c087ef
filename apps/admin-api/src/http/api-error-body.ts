/**
 * The one error envelope of the admin API: every 4xx/5xx body, unknown routes included.
 * `error` is the code (lower snake_case, listed in docs/errors.md); more fields may follow
 * (`problems`, `retryAfterSeconds`, `errorId`...).
 */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [field: string]: unknown;
}
