import { API_ERROR_CODES } from './api-error-codes';

/** The markdown table of API_ERROR_CODES that docs/errors.md holds (checked by a test). */
export function apiErrorTable(): string {
  const rows = Object.entries(API_ERROR_CODES)
    .sort(([a, x], [b, y]) => x.status - y.status || a.localeCompare(b))
    .map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.meaning} |`);
  return ['| Code | Status | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
