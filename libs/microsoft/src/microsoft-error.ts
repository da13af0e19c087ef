import { CodedError } from '@app/domain';

export type MicrosoftErrorCode =
  /** The tenant removed our app or its consent: stop the tenant's jobs, mark it. */
  | 'CONSENT_REVOKED'
  /** A permission the operation needs is not granted (403). */
  | 'PERMISSION_MISSING'
  | 'MAILBOX_NOT_FOUND'
  /** A contact folder (or calendar) we use no longer exists: the engine re-creates it. */
  | 'CONTAINER_NOT_FOUND'
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
  | 'GRAPH_ERROR'
  /** EWS: the service account's user name or password was refused (HTTP 401). */
  | 'EWS_SIGN_IN_FAILED'
  /** EWS: the service account may not impersonate mailboxes (ApplicationImpersonation missing). */
  | 'EWS_IMPERSONATION_DENIED'
  /** EWS: the server's TLS certificate is not trusted (self-signed or a private CA not given). */
  | 'EWS_CERTIFICATE_UNTRUSTED'
  /** EWS: the server name does not resolve, or nothing answers on it. */
  | 'EWS_HOST_UNREACHABLE'
  /** EWS: the URL answers, but is not the EWS endpoint (404 and the like). */
  | 'EWS_ENDPOINT_NOT_FOUND'
  /** EWS: the server URL is http:// and no lab setting (EWS_ALLOW_HTTP) allows it. */
  | 'EWS_HTTPS_REQUIRED'
  /** EWS: Exchange refused the request as invalid (ErrorSchemaValidation or a SOAP fault). */
  | 'EWS_REQUEST_REJECTED'
  /**
   * An EWS-only organisation's directory cannot be read: no EWS connection, no Global Address
   * List id or no mailbox to read it as (ADR 0047).
   */
  | 'EWS_DIRECTORY_NOT_CONFIGURED'
  /** What an EWS-only organisation's directory (the GAL) cannot give: a group it does not hold, a source mailbox's folder. */
  | 'EWS_DIRECTORY_UNSUPPORTED'
  /**
   * FindPeople on the GAL does not page: a page repeats the previous one (the server ignores the
   * Offset), or a read goes past EWS_MAX_GAL_ENTRIES without the server saying it ended.
   */
  | 'EWS_DIRECTORY_PAGING_FAILED';

/** A failure talking to Microsoft 365, with a code the engine and the API map (docs/errors.md). */
export class MicrosoftError extends CodedError {
  declare readonly code: MicrosoftErrorCode;
  declare readonly details: {
    status?: number;
    graphCode?: string;
    ewsCode?: string;
    retryAfterMs?: number;
  };

  constructor(
    code: MicrosoftErrorCode,
    message: string,
    details: { status?: number; graphCode?: string; ewsCode?: string; retryAfterMs?: number } = {},
  ) {
    super(code, message, { details });
  }
}
