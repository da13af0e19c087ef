/** How one mailbox ended in a run, as the run counts it. */
export type MailboxRunOutcome = 'succeeded' | 'failed' | 'skipped';
