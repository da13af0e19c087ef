import type { LogLevel } from './log-level';

/** What the engine appends. The tenant id is passed separately, as the first argument. */
export interface LogEntryInput {
  runId?: string;
  mailboxId?: string;
  jobId?: string;
  level: LogLevel;
  /** A stable machine-readable code (e.g. `EWS_THROTTLED`), shown and counted by the admin API. */
  code?: string;
  message: string;
  /** Defaults to the store's clock. Expiry counts from this time. */
  at?: Date;
}
