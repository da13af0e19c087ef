/** JWTs (access and ID tokens): three base64url parts, the first two JSON objects. */
const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** Values of query parameters and key=value pairs that are secrets by name. */
const SECRET_PAIR =
  /\b(code|state|access_token|refresh_token|id_token|client_secret|client_assertion|password|token|secret|\$skiptoken|\$deltatoken|skiptoken|deltatoken)=([^&\s"']+)/gi;

/**
 * A sync log message as the API shows it: the engine writes no secrets into its log entries,
 * and this is the second line of defence before a message leaves the product (a Microsoft
 * error text may quote a URL): tokens, credentials and paging tokens are masked.
 */
export function redactLogText(text: string): string {
  return text
    .replace(JWT, '[REDACTED]')
    .replace(BEARER, '$1 [REDACTED]')
    .replace(SECRET_PAIR, '$1=[REDACTED]');
}
