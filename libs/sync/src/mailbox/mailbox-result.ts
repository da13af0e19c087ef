import type { MailboxCounts, MailboxOutcome } from '../runs/run-ledger';

export interface MailboxResult {
  outcome: MailboxOutcome;
  counts: MailboxCounts;
  /** Set for failures, skips, clean-ups and previews: what happened, as a code the dashboard explains. */
  code?: string;
  message?: string;
  /** Graph requests this job sent (sub-requests counted), for the logs and the benchmarks. */
  requests?: number;
}
