/** A sync-mailbox job's result as the worker sees it (outcome and item counts). */
export interface MailboxSyncReport {
  /** contacts | calendar */
  itemKind: string;
  /** sync | dry_run | cleanup */
  mode: string;
  /** succeeded | failed | skipped | cancelled */
  outcome: string;
  counts: { created: number; updated: number; deleted: number };
}

/** How a job left the processor. */
export type JobEnd = 'completed' | 'failed' | 'delayed' | 'returned';

/**
 * The metrics port: what the engine, the Microsoft adapters and the worker report, in their
 * own words. The Prometheus adapter turns it into series; a process without metrics gets the
 * no-op adapter, so callers never check whether metrics are on.
 */
export abstract class FleetMetrics {
  /** One HTTP request to Microsoft (Graph, later EWS) answered, or failed in transport (`status` 0). */
  abstract microsoftRequest(
    service: 'graph' | 'ews',
    method: string,
    status: number,
    seconds: number,
  ): void;
  /** Microsoft asked us to wait: a 429 (or 503/504) with the Retry-After it gave, in seconds. */
  abstract throttled(service: 'graph' | 'ews', status: number, retryAfterSeconds: number): void;
  /** A job started in this process; the returned function records how it ended. */
  abstract jobStarted(queue: string, tenantId?: string): (end: JobEnd) => void;
  /** A mailbox's sync reported its outcome: one mailbox, and the items it changed. */
  abstract mailboxSynced(report: MailboxSyncReport): void;
  /** A run ended (succeeded, partial, failed, cancelled), `seconds` after it started. */
  abstract runFinished(status: string, seconds: number): void;
}
