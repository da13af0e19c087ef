/**
 * How one mailbox ended in a run, as the run counts it. `cancelled`: the run was cancelled
 * while the mailbox's job was writing; it stopped between two write batches with what it wrote
 * recorded (counted in the run's items, in neither its succeeded nor its failed mailboxes).
 */
export type MailboxRunOutcome = 'succeeded' | 'failed' | 'skipped' | 'cancelled';
