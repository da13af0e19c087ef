/**
 * Retry-After in milliseconds: integer seconds as Graph sends, fractions tolerated, or an HTTP
 * date; falls back when absent or unreadable. https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(
  value: string | undefined | null,
  fallbackMs: number,
  now = Date.now(),
): number {
  if (value === undefined || value === null || value.trim() === '') return fallbackMs;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, date - now);
  return fallbackMs;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);
