/** How one mailbox fared in one run, derived from its log entries. */
export interface MailboxOutcome {
  mailboxId: string;
  status: 'ok' | 'warning' | 'failed';
  errors: number;
  warnings: number;
  lastAt: Date;
  lastMessage: string;
  lastCode?: string;
  /** The most recent error of this mailbox in the run, if any. */
  lastError?: { code?: string; message: string; at: Date };
}
