import type { MailboxCounts, MailboxOutcome } from '../runs/run-ledger';
import type { MailboxPreview } from './mailbox-preview';

export interface MailboxResult {
  outcome: MailboxOutcome;
  counts: MailboxCounts;
  /** Set for failures, skips, clean-ups and previews: what happened, as a code the dashboard explains. */
  code?: string;
  message?: string;
  /** Graph requests this job sent (sub-requests counted), for the logs and the benchmarks. */
  requests?: number;
  /** A preview's sample of the changes the next run makes (dry runs only). */
  preview?: MailboxPreview;
}
