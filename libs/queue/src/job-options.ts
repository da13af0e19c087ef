import type { JobsOptions } from 'bullmq';

/** Redis runs with noeviction: finished jobs must not pile up, so retention is bounded. */
export const BOUNDED_RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} satisfies JobsOptions;

export const PLAN_RUN_OPTIONS: JobsOptions = {
  ...BOUNDED_RETENTION,
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
};

export const SYNC_MAILBOX_OPTIONS: JobsOptions = {
  ...BOUNDED_RETENTION,
  attempts: 5,
  // A failed attempt has saved its progress; the next one re-reads the mailbox and goes on.
  backoff: { type: 'exponential', delay: 3_000 },
};

export const IMPORT_CSV_OPTIONS: JobsOptions = {
  ...BOUNDED_RETENTION,
  // An interrupted attempt left the list's entries as they were (imports stage, then switch).
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
};
