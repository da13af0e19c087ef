/** Options of a coded error: where it meets the API, and what is safe to log or show. */
export interface CodedErrorOptions {
  /** HTTP status the admin API answers with; absent = the code's status in the API's table (or 500). */
  status?: number;
  /** Safe-to-log, safe-to-show facts (ids, field names, counts); never secrets, tokens or contents. */
  details?: Record<string, unknown>;
  cause?: unknown;
}
