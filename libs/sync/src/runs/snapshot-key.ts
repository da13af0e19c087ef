import type { RunMode } from '@app/queue';

/** Where a run's desired contacts live in the log store: a preview never replaces the real snapshot. */
export function snapshotKey(listId: string, runId: string, mode: RunMode): string {
  return mode === 'dry_run' ? `${listId}.preview.${runId}` : listId;
}

/** Where a preview keeps one mailbox's sample of changes (encrypted, expiring like the logs). */
export function previewKey(listId: string, runId: string, mailboxId: string): string {
  return `${listId}.preview.${runId}.${mailboxId}`;
}
