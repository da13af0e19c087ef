import { MicrosoftError } from '../microsoft-error';
import { isTlsCode, type EwsFailure } from './ews-failure';

/**
 * The coded error for an EWS failure that concerns the connection or the whole mailbox, each
 * with a sentence saying what to fix; undefined when it concerns one item only (the caller maps
 * those to a write result). `mailbox` names the SMTP address (never a credential).
 */
export function ewsMailboxError(f: EwsFailure, mailbox: string): MicrosoftError | undefined {
  const details = {
    ...(f.httpStatus ? { status: f.httpStatus } : {}),
    ...(f.responseCode ? { ewsCode: f.responseCode } : {}),
  };
  if (f.responseCode === 'ErrorServerBusy')
    return new MicrosoftError(
      'THROTTLED',
      `Exchange is busy (ErrorServerBusy) and asked us to wait ${Math.ceil((f.backOffMs ?? 0) / 1000)} s`,
      { ...details, retryAfterMs: Math.max(f.backOffMs ?? 0, 1) },
    );
  if (f.httpStatus === 401)
    return new MicrosoftError(
      'EWS_SIGN_IN_FAILED',
      'Exchange refused the service account (HTTP 401): check the user name (DOMAIN\\user or user@domain), the password, whether the account is locked, and the sign-in method (NTLM or Basic must be enabled on the EWS virtual directory)',
      details,
    );
  if (isTlsCode(f.networkCode))
    return new MicrosoftError(
      'EWS_CERTIFICATE_UNTRUSTED',
      `the EWS server's certificate is not trusted (${f.networkCode}): install a certificate from a public CA on the server, or paste the CA that signed it into the connection's CA certificate`,
      details,
    );
  if (f.networkCode && /ENOTFOUND|EAI_AGAIN/.test(f.networkCode))
    return new MicrosoftError(
      'EWS_HOST_UNREACHABLE',
      `the EWS server name does not resolve (${f.networkCode}): check the host name in the server URL and that this server's DNS can resolve it`,
      details,
    );
  if (f.networkCode && /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/.test(f.networkCode))
    return new MicrosoftError(
      'EWS_HOST_UNREACHABLE',
      `nothing answers at the EWS server (${f.networkCode}): check the URL's host and port and that a firewall lets this server reach it on 443`,
      details,
    );
  // No answer in time: retried (a sync job is attempted again), never final for the run.
  if (f.networkCode === 'ETIMEDOUT')
    return new MicrosoftError(
      'TRANSIENT',
      `the EWS server did not answer in time (${f.message}): Exchange (IIS) may be overloaded or hung, or a firewall or proxy holds the connection to it on 443; check the server, the request is tried again later`,
      details,
    );
  if (
    f.httpStatus === 404 ||
    f.httpStatus === 405 ||
    (f.httpStatus && f.httpStatus >= 300 && f.httpStatus < 400)
  )
    return new MicrosoftError(
      'EWS_ENDPOINT_NOT_FOUND',
      `the server answered HTTP ${f.httpStatus} at the EWS URL: it is not the EWS endpoint; use https://<server>/EWS/Exchange.asmx`,
      details,
    );
  switch (f.responseCode) {
    case 'ErrorImpersonateUserDenied':
    case 'ErrorImpersonationDenied':
      return new MicrosoftError(
        'EWS_IMPERSONATION_DENIED',
        `the service account may not impersonate ${mailbox} (${f.responseCode}): grant it the ApplicationImpersonation role (New-ManagementRoleAssignment -Role ApplicationImpersonation -User <account>), with a scope that includes this mailbox`,
        details,
      );
    case 'ErrorNonExistentMailbox':
    case 'ErrorMailboxMoveInProgress':
    case 'ErrorInvalidSmtpAddress':
      return new MicrosoftError(
        'MAILBOX_NOT_FOUND',
        `Exchange has no mailbox for ${mailbox} (${f.responseCode}): check the address, or whether the mailbox moved to Exchange Online`,
        details,
      );
    case 'ErrorAccessDenied':
      return new MicrosoftError(
        'MAILBOX_OUT_OF_SCOPE',
        `Exchange denied the service account access to ${mailbox} (ErrorAccessDenied): widen the scope of its ApplicationImpersonation assignment to include this mailbox`,
        details,
      );
    case 'ErrorSchemaValidation':
    case 'ErrorInvalidRequest':
    case 'ErrorInvalidServerVersion':
      return new MicrosoftError(
        'EWS_REQUEST_REJECTED',
        `Exchange rejected the request (${f.responseCode}): ${f.message}`,
        details,
      );
  }
  if (f.httpStatus === 403)
    return new MicrosoftError(
      'PERMISSION_MISSING',
      'Exchange answered HTTP 403 at the EWS URL: check that EWS is enabled for the service account (Set-CASMailbox -EwsEnabled) and that no EWS application policy blocks this client',
      details,
    );
  if (f.networkCode || (f.httpStatus && f.httpStatus >= 500) || f.httpStatus === 429)
    return new MicrosoftError(
      'TRANSIENT',
      `EWS call failed (${f.networkCode ?? `HTTP ${f.httpStatus}`}${f.responseCode ? ` ${f.responseCode}` : ''}): ${f.message}`,
      details,
    );
  if (!f.responseCode)
    return new MicrosoftError('TRANSIENT', `EWS call failed: ${f.message || 'no answer'}`, details);
  return undefined;
}
