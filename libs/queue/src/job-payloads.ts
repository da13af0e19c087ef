import type { QueueName } from './queue-names';

export type RunTrigger = 'schedule' | 'manual' | 'api' | 'cleanup';
export type RunMode = 'sync' | 'dry_run' | 'cleanup';
/** Which kind of list a job serves; absent in jobs queued before calendars: contacts. */
export type JobListKind = 'contacts' | 'calendar';

/** Read the list's sources, resolve its targets, snapshot, and fan out one job per mailbox. */
export interface PlanRunPayload {
  tenantId: string;
  listId: string;
  /** Absent: contacts. */
  listKind?: JobListKind;
  trigger: RunTrigger;
  mode: RunMode;
  /** Set by the first attempt once it has started the run, so a retry resumes that run. */
  runId?: string;
}

/** Bring one mailbox in line with the list's snapshot (or plan it, or remove our items). */
export interface SyncMailboxPayload {
  tenantId: string;
  listId: string;
  /** Absent: contacts. */
  listKind?: JobListKind;
  runId: string;
  mailboxId: string;
  mode: RunMode;
  /** A preview (dry_run) of the clean-up of a mailbox the list no longer targets. */
  untargeted?: boolean;
}

/** Closes a run at its deadline if mailboxes are still outstanding. */
export interface FinishRunPayload {
  tenantId: string;
  runId: string;
  reason: 'deadline';
}

/** Runs one CSV import job (its file and state are in SQL, the import_job row). */
export interface ImportCsvPayload {
  tenantId: string;
  importJobId: string;
}

/**
 * Moves a tenant's clean-up (tenant_cleanup row) on by one or more steps; with `listId`, the
 * clean-up of that deleted list instead (its list_tombstone row).
 */
export interface AdvanceCleanupPayload {
  tenantId: string;
  listId?: string;
}

/** Processes one stored Stripe webhook event (its payload is in SQL, the stripe_event row). */
export interface StripeEventPayload {
  eventRowId: string;
}

export interface JobPayloads {
  'plan-run': PlanRunPayload;
  'sync-mailbox': SyncMailboxPayload;
  'finish-run': FinishRunPayload;
  'import-csv': ImportCsvPayload;
  'advance-cleanup': AdvanceCleanupPayload;
  'stripe-event': StripeEventPayload;
}

export type PayloadOf<Q extends QueueName> = JobPayloads[Q];
