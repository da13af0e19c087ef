import type { Run } from '../api/views';

export const ACTIVE = new Set(['queued', 'running']);

export const STATUS_COLOR: Record<string, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'green',
  partial: 'orange',
  failed: 'red',
  cancelled: 'gray',
  ok: 'green',
  warning: 'orange',
};

export const STATUS_LABEL: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  partial: 'Partly done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  ok: 'In step',
  warning: 'Done with warnings',
};

/** Mailboxes done of total, as a whole percentage (100 once the run has finished). */
export function percentDone(run: Run): number {
  const { total, succeeded, failed } = run.mailboxes;
  if (run.finishedAt && !ACTIVE.has(run.status)) return 100;
  if (!total) return 0;
  return Math.min(100, Math.floor(((succeeded + failed) * 100) / total));
}
