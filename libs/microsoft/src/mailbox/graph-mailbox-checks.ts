import type * as MG from '@microsoft/microsoft-graph-types';
import type { ItemWrite, ItemWriteResult, MailboxPurpose } from '@app/domain';
import { errorCode, errorMessage, type GraphGateway } from '../graph/graph-gateway';
import type { GraphResponse, TenantRef } from '../graph/graph-types';
import type { MailboxGate } from '../graph/mailbox-gate';
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

/** A folder that no longer exists answers 404 ErrorItemNotFound on its own paths. */
export function assertContainerFound(res: GraphResponse, containerId: string): void {
  if (res.status === 404 && errorCode(res.body) === 'ErrorItemNotFound')
    throw new MicrosoftError('CONTAINER_NOT_FOUND', `contact folder ${containerId} not found`, {
      status: 404,
      graphCode: 'ErrorItemNotFound',
    });
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

/** What kind of mailbox this is (one request); throws MAILBOX_NOT_FOUND / MAILBOX_ON_PREMISES. */
export async function probeMailboxPurpose(
  graph: GraphGateway,
  tenant: TenantRef,
  mailboxId: string,
  gate: MailboxGate,
): Promise<MailboxPurpose> {
  const res = await graph.request<Pick<MG.MailboxSettings, 'userPurpose'>>(
    tenant,
    { method: 'GET', path: `/users/${mailboxId}/mailboxSettings?$select=userPurpose` },
    gate,
  );
  assertMailboxOk(res, mailboxId);
  const purpose = res.body.userPurpose ?? 'unknown';
  return (
    ['user', 'shared', 'room', 'equipment', 'others'].includes(purpose) ? purpose : 'unknown'
  ) as MailboxPurpose;
}

/** The final result of one write from its (sub-)response: done, gone (404 on an item) or failed. */
export function writeResultOf<TPatch>(
  write: ItemWrite<TPatch>,
  res: GraphResponse,
  mailboxId: string,
): ItemWriteResult<TPatch> {
  if (res.status >= 200 && res.status < 300) {
    const body = (res.body ?? {}) as { id?: string | null; changeKey?: string | null };
    return {
      write,
      outcome: 'done',
      itemId: body.id ?? ('itemId' in write ? write.itemId : undefined),
      changeKey: body.changeKey ?? undefined,
    };
  }
  if (res.status === 404 && write.kind !== 'create') return { write, outcome: 'gone' };
  assertMailboxOk(res, mailboxId, true);
  return {
    write,
    outcome: 'failed',
    error: { status: res.status, code: errorCode(res.body), message: errorMessage(res.body) },
  };
}
