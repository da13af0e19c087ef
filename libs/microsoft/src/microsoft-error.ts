import { CodedError } from '@app/domain';

export type MicrosoftErrorCode =
  /** The tenant removed our app or its consent: stop the tenant's jobs, mark it. */
  | 'CONSENT_REVOKED'
  /** A permission the operation needs is not granted (403). */
  | 'PERMISSION_MISSING'
  | 'MAILBOX_NOT_FOUND'
  /** An on-premises mailbox of a hybrid tenant: only EWS reaches it. */
  | 'MAILBOX_ON_PREMISES'
  /**
   * 403 ErrorAccessDenied on a mailbox: outside the app's scope (Exchange RBAC for Applications
   * or an application access policy), or no mailbox permission at all. Never a lost consent.
   */
  | 'MAILBOX_OUT_OF_SCOPE'
  | 'THROTTLED'
  | 'TRANSIENT'
  | 'NOT_CONFIGURED'
  | 'GRAPH_ERROR';

/** A failure talking to Microsoft 365, with a code the engine and the API map (docs/errors.md). */
export class MicrosoftError extends CodedError {
  declare readonly code: MicrosoftErrorCode;
  declare readonly details: { status?: number; graphCode?: string; retryAfterMs?: number };

  constructor(
    code: MicrosoftErrorCode,
    message: string,
    details: { status?: number; graphCode?: string; retryAfterMs?: number } = {},
  ) {
    super(code, message, { details });
  }
}
