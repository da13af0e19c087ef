import { CodedError } from '@app/domain';

/**
 * A mailbox job's own failures, beside the port's (MAILBOX_FAILURE_CODES): the codes are shown
 * per mailbox in the run history.
 */
export class MailboxSyncError extends CodedError {}
