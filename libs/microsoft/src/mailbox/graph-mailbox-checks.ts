import { errorCode, errorMessage } from '../graph/graph-gateway';
import type { GraphResponse } from '../graph/graph-types';
import { MicrosoftError } from '../microsoft-error';

/** Throttled for longer than a job sits out: THROTTLED, with the wait, for the job to reschedule. */
export function throwIfStillThrottled(throttledForMs: number | undefined): void {
  if (throttledForMs !== undefined) {
    throw new MicrosoftError(
      'THROTTLED',
      `the mailbox asked us to wait ${Math.ceil(throttledForMs / 1000)} s`,
      {
        status: 429,
        retryAfterMs: throttledForMs,
      },
    );
  }
}

/**
 * Mailbox-wide failures become typed errors; anything else is left to the caller.
 * With `itemLevel`, a 404 is about the item, not the mailbox.
 */
export function assertMailboxOk(res: GraphResponse, mailboxId: string, itemLevel = false): void {
  if (res.status < 400) return;
  const code = errorCode(res.body);
  // One code, two meanings: "REST API is not yet supported for this mailbox" is an on-premises
  // mailbox of a hybrid tenant (EWS reaches it); otherwise there is no usable mailbox at all.
  if (
    (code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI') &&
    !/not yet supported/i.test(errorMessage(res.body))
  ) {
    throw new MicrosoftError(
      'MAILBOX_NOT_FOUND',
      `mailbox ${mailboxId} is inactive, soft-deleted or missing: ${code}`,
      { status: res.status, graphCode: code },
    );
  }
  if (code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI') {
    throw new MicrosoftError(
      'MAILBOX_ON_PREMISES',
      `mailbox ${mailboxId} is not reachable through Graph (on-premises): ${code}`,
      { status: res.status, graphCode: code },
    );
  }
  if (res.status === 403 && code === 'ErrorAccessDenied') {
    // Exchange refused this mailbox. With RBAC for Applications the token lists no mailbox
    // permission and Exchange decides per mailbox; an application access policy denies the
    // same way. Either way the tenant's consent stands: other mailboxes may be in scope.
    throw new MicrosoftError(
      'MAILBOX_OUT_OF_SCOPE',
      `mailbox ${mailboxId} is out of the app's scope: Exchange denied access (${code}). Add it to the scope of the app's Exchange RBAC for Applications assignment (or its application access policy group), or grant the permission tenant-wide in Entra ID`,
      { status: 403, graphCode: code },
    );
  }
  if (res.status === 403) {
    throw new MicrosoftError(
      'PERMISSION_MISSING',
      `Graph refused access to mailbox ${mailboxId}: ${errorMessage(res.body)}`,
      { status: 403, graphCode: code },
    );
  }
  if (!itemLevel && res.status === 404) {
    throw new MicrosoftError(
      'MAILBOX_NOT_FOUND',
      `mailbox ${mailboxId} not found: ${errorMessage(res.body)}`,
      { status: 404, graphCode: code },
    );
  }
  if (
    code === 'ErrorInvalidUser' ||
    code === 'ResourceNotFound' ||
    code === 'Request_ResourceNotFound'
  ) {
    throw new MicrosoftError(
      'MAILBOX_NOT_FOUND',
      `mailbox ${mailboxId} not found: ${errorMessage(res.body)}`,
      { status: res.status, graphCode: code },
    );
  }
  if (!itemLevel) {
    throw new MicrosoftError(
      res.status >= 500 ? 'TRANSIENT' : 'GRAPH_ERROR',
      `Graph answered ${res.status} for mailbox ${mailboxId}: ${errorMessage(res.body)}`,
      {
        status: res.status,
        graphCode: code,
      },
    );
  }
}
