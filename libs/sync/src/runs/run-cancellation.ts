import type { SyncRunStatus } from '@app/persistence';
import { RunRowsCache } from '../mailbox/run-rows-cache';

/**
 * Whether a run was cancelled, as the mailbox jobs ask it: at the start of a job and between
 * two write batches. SQL is the source of truth (a cancel survives a Redis loss); the answer
 * is shared by the jobs of one process for a moment (`ttlMs`), so a busy run costs one small
 * SELECT per moment, and a cancel is seen within that moment plus one batch.
 */
export class RunCancellation {
  private readonly statuses: RunRowsCache<SyncRunStatus | undefined>;

  constructor(
    private readonly readStatus: (runId: string) => Promise<SyncRunStatus | undefined>,
    ttlMs = 500,
    now: () => number = Date.now,
  ) {
    this.statuses = new RunRowsCache(ttlMs, now);
  }

  async isCancelled(runId: string): Promise<boolean> {
    return (await this.statuses.get(runId, () => this.readStatus(runId))) === 'cancelled';
  }
}
