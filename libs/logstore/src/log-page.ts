import type { LogRecord } from './log-record';

export interface LogPage {
  items: LogRecord[];
  /** Present when more entries follow; pass it back as `cursor`. */
  nextCursor?: string;
}
