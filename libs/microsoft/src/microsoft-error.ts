export type MicrosoftErrorCode =
  /** The tenant removed our app or its consent: stop the tenant's jobs, mark it. */
  | 'CONSENT_REVOKED'
  /** A permission the operation needs is not granted (403). */
  | 'PERMISSION_MISSING'
  | 'MAILBOX_NOT_FOUND'
  /** An on-premises mailbox of a hybrid tenant: only EWS reaches it. */
  | 'MAILBOX_ON_PREMISES'
  | 'THROTTLED'
  | 'TRANSIENT'
  | 'NOT_CONFIGURED'
  | 'GRAPH_ERROR';

export class MicrosoftError extends Error {
  constructor(
    readonly code: MicrosoftErrorCode,
    message: string,
    readonly details: { status?: number; graphCode?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'MicrosoftError';
  }
}
