import type { MicrosoftError } from '../microsoft-error';
import type { EwsFailure } from './ews-failure';
import { ewsMailboxError } from './ews-mailbox-error';

/** Item codes that mean the item is no longer there (already deleted, or an id of nothing). */
export const EWS_ITEM_GONE = new Set([
  'ErrorItemNotFound',
  'ErrorInvalidIdMalformed',
  'ErrorInvalidIdNotAnItemAttachmentId',
]);

/** Item-level codes that concern the whole mailbox or the connection, not the one item. */
const MAILBOX_WIDE =
  /^(ErrorNonExistentMailbox|ErrorImpersonateUserDenied|ErrorImpersonationDenied|ErrorAccessDenied|ErrorServerBusy|ErrorMailboxMoveInProgress)$/;

export type EwsItemOutcome =
  | { outcome: 'gone' }
  | { outcome: 'mailbox'; error: MicrosoftError }
  | { outcome: 'failed'; error: { status: number; code?: string; message: string } };

/**
 * What one item's error answer in a CreateItem/UpdateItem/DeleteItem response means: gone for an
 * update or delete of an item that is no longer there (a delete of it has nothing left to do),
 * a mailbox-wide failure (the caller stops the mailbox with it), or that item failed.
 */
export function ewsItemOutcome(
  kind: 'create' | 'update' | 'delete',
  f: EwsFailure,
  mailbox = 'the mailbox',
): EwsItemOutcome {
  if (kind !== 'create' && f.responseCode && EWS_ITEM_GONE.has(f.responseCode))
    return { outcome: 'gone' };
  if (f.responseCode && MAILBOX_WIDE.test(f.responseCode)) {
    const error = ewsMailboxError(f, mailbox);
    if (error) return { outcome: 'mailbox', error };
  }
  return {
    outcome: 'failed',
    error: { status: 200, ...(f.responseCode ? { code: f.responseCode } : {}), message: f.message },
  };
}
