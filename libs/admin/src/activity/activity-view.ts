/** One UTC day of sync activity. */
export interface ActivityDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  /** Sync runs that finished that day. */
  runs: number;
  /** Contacts and events created, updated and deleted. */
  itemsWritten: number;
  /** Mailboxes that ended in step. */
  mailboxesSynced: number;
  /** Mailboxes that failed (throttled ones included). */
  mailboxesFailed: number;
  /** Mailboxes Microsoft throttled (code THROTTLED): retried by the next run. */
  mailboxesThrottled: number;
  /** Runs that ended failed or partial. */
  runsFailed: number;
}

export interface ActivityView {
  from: string;
  to: string;
  days: ActivityDay[];
  /** The mailboxes that received the most items in the window, most first. */
  mailboxes: Array<{ mailboxId: string; itemsWritten: number; runs: number; failed: number }>;
  totals: Omit<ActivityDay, 'date'>;
}
