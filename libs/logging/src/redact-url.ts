/**
 * Query parameters whose values are per-session secrets or one-time credentials: OAuth
 * authorization codes and states (the callback URLs carry them), tokens, PKCE verifiers.
 */
const SECRET_PARAMS = new Set([
  'code',
  'state',
  'session_state',
  'nonce',
  'code_verifier',
  'code_challenge',
  'id_token',
  'access_token',
  'refresh_token',
  'client_secret',
  'client_assertion',
  'token',
  'password',
  'csrf',
]);

/** The URL (absolute or a path) with the values of secret query parameters replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        /* a malformed name stays as sent */
      }
      return SECRET_PARAMS.has(name.toLowerCase()) && eq >= 0 ? `${rawName}=[REDACTED]` : pair;
    })
    .join('&');
  return `${url.slice(0, q + 1)}${redacted}${hash < 0 ? '' : url.slice(hash)}`;
}

/** A parsed query object with the same parameters' values replaced. */
export function redactQuery(query: unknown): unknown {
  if (!query || typeof query !== 'object') return query;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query as Record<string, unknown>))
    out[k] = SECRET_PARAMS.has(k.toLowerCase()) ? '[REDACTED]' : v;
  return out;
}
