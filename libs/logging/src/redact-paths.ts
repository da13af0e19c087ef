/**
 * Log fields that must never be written. pino's wildcards cover one level each, so the
 * usual depths are listed: a secret in a request, in an error, or in a logged object.
 */
const SECRET_KEYS = [
  'password',
  'passwordEncrypted',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'apiKey',
  'authorization',
  'cookie',
  'encryptionKeys',
  'material',
  'stripeSignature',
  'webhookSecret',
  'csrf',
  'csrfToken',
];

export const REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];
