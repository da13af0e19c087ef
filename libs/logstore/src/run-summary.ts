/** One line of the admin API's "recent runs", derived from the run's log entries. */
export interface RunSummary {
  runId: string;
  firstAt: Date;
  lastAt: Date;
  entries: number;
  errors: number;
  warnings: number;
  mailboxes: number;
}
