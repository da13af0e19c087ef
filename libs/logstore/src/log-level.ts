/** Severity of a sync log entry. `error` entries feed the admin API's error summary. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
