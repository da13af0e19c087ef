import type { LogLevel } from './log-level';

/** Filters within one tenant; results are newest first. */
export interface LogQuery {
  runId?: string;
  mailboxId?: string;
  level?: LogLevel;
  /** Page size, 1-1000 (default 100). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}
