import type { RunMode } from '@app/queue';

/** Where a run's desired contacts live in the log store: a preview never replaces the real snapshot. */
export function snapshotKey(listId: string, runId: string, mode: RunMode): string {
  return mode === 'dry_run' ? `${listId}.preview.${runId}` : listId;
}
