import type { LogLevel } from './log-level';

/** A stored log entry as read back. */
export interface LogRecord {
  id: string;
  tenantId: string;
  runId?: string;
  mailboxId?: string;
  jobId?: string;
  level: LogLevel;
  code?: string;
  message: string;
  at: Date;
}
