/**
 * Mailbox-wide failures every mailbox port reports with these codes (on an error's `code`),
 * whatever its transport: THROTTLED carries `retryAfterMs` in its details; the others are
 * final for this sync (a retry cannot fix them) except TRANSIENT.
 */
export const MAILBOX_FAILURE_CODES = [
  'THROTTLED',
  'TRANSIENT',
  'CONSENT_REVOKED',
  'PERMISSION_MISSING',
  'MAILBOX_NOT_FOUND',
  'MAILBOX_ON_PREMISES',
  /**
   * The app may not open this mailbox: no tenant-wide Entra grant, and it is outside the scope
   * the Exchange admin gave the app (RBAC for Applications, or an application access policy).
   * Not a lost consent: other mailboxes of the tenant may be in scope.
   */
  'MAILBOX_OUT_OF_SCOPE',
  'NOT_CONFIGURED',
  /** The container (folder) no longer exists, e.g. the user deleted it for good. */
  'CONTAINER_NOT_FOUND',
  /** EWS connection failures (final for the run; the admin fixes the connection). */
  'EWS_SIGN_IN_FAILED',
  'EWS_IMPERSONATION_DENIED',
  'EWS_CERTIFICATE_UNTRUSTED',
  'EWS_HOST_UNREACHABLE',
  'EWS_ENDPOINT_NOT_FOUND',
  'EWS_HTTPS_REQUIRED',
] as const;

export type MailboxFailureCode = (typeof MAILBOX_FAILURE_CODES)[number];

export interface MailboxFailure {
  code: MailboxFailureCode;
  message: string;
  retryAfterMs?: number;
}

const KNOWN = new Set<string>(MAILBOX_FAILURE_CODES);

/** The port-level failure an adapter's error stands for, if it is one. */
export function mailboxFailureOf(error: unknown): MailboxFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, details } = error as Error & {
    code?: unknown;
    details?: { retryAfterMs?: unknown };
  };
  if (typeof code !== 'string' || !KNOWN.has(code)) return undefined;
  const retryAfterMs = details?.retryAfterMs;
  return {
    code: code as MailboxFailureCode,
    message: error.message,
    ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
  };
}
