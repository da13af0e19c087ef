import type { SyncRunStatus } from '@app/persistence';
import { RunRowsCache } from '../mailbox/run-rows-cache';

/**
 * Whether a run was cancelled, as the mailbox jobs ask it. SQL is the source of truth (a cancel
 * survives a Redis loss). At the start of a job the answer is shared by the jobs of one process
 * for a moment (`ttlMs`): a run's queued jobs cost one small SELECT per moment, and a job that
 * starts within the moment after a cancel still finds out before its first write. Before the
 * first write batch and after each one the job asks `fresh`: one SELECT per batch of writes, so
 * a cancel stops every job after the batch it has in flight.
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

  async isCancelled(runId: string, options: { fresh?: boolean } = {}): Promise<boolean> {
    const status = options.fresh
      ? await this.statuses.refresh(runId, () => this.readStatus(runId))
      : await this.statuses.get(runId, () => this.readStatus(runId));
    return status === 'cancelled';
  }
}
