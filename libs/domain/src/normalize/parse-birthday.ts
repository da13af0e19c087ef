const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;

/**
 * `YYYY-MM-DD` from `YYYY-MM-DD` or an ISO date-time (Graph returns `1980-05-01T00:00:00Z`);
 * `undefined` when it is not a real calendar date. The time part is ignored, not converted:
 * a birthday is a date, not an instant.
 */
export function parseBirthday(value: string): string | undefined {
  const match = DATE.exec(value.trim());
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const valid =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d);
  return valid ? `${y}-${m}-${d}` : undefined;
}
