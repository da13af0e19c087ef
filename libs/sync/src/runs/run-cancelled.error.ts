import { CodedError } from '@app/domain';
import type { MailboxCounts } from './run-ledger';

/**
 * The run was cancelled while a mailbox job was writing: the job stopped between two write
 * batches. `counts` are the writes it made (and recorded in the map) before it stopped.
 */
export class RunCancelledError extends CodedError {
  constructor(
    readonly runId: string,
    readonly counts: MailboxCounts,
  ) {
    super(
      'RUN_CANCELLED',
      `the run was cancelled; stopped after ${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted`,
      { details: { runId, ...counts } },
    );
  }
}
