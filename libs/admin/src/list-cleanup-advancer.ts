import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  ListTombstoneRepository,
  SyncRunRepository,
  type ListTombstoneEntity,
  type ListTombstoneState,
} from '@app/persistence';
import { SyncQueues } from '@app/queue';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLEANUP_RUN_FAILED } from './cleanup-advancer';

// A run started this long before the deletion (clock skew between processes) is still its own.
const SKEW_MS = 1_000;

/**
 * The worker's side of deleting a list: moves its tombstone on, one compare-and-set step at a
 * time — requested (starts the list's clean-up run once any sync run of it has ended) →
 * cleaning (waits for the run) → done; failed (CLEANUP_RUN_FAILED) when the run did not
 * succeed, until the admin retries. The run's mailbox jobs delete exactly our tagged items from
 * each mailbox the list has a state for, and each mailbox's state once it is clean.
 */
@Injectable()
export class ListCleanupAdvancer {
  private readonly logger = new Logger('ListCleanup');

  constructor(
    @Inject(ListTombstoneRepository) private readonly tombstones: ListTombstoneRepository,
    @Inject(SyncRunRepository) private readonly runs: SyncRunRepository,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Advances as far as it can now; the state it is left in (null: no tombstone). */
  async advance(tenantId: string, listId: string): Promise<ListTombstoneState | null> {
    let tombstone = await this.tombstones.get(tenantId, listId);
    while (tombstone && (await this.step(tombstone)))
      tombstone = await this.tombstones.get(tenantId, listId);
    return tombstone?.state ?? null;
  }

  private async step(tombstone: ListTombstoneEntity): Promise<boolean> {
    if (tombstone.state === 'requested') return this.startRun(tombstone);
    if (tombstone.state === 'cleaning') return this.checkRun(tombstone);
    return false;
  }

  private async startRun(tombstone: ListTombstoneEntity): Promise<boolean> {
    const { tenantId, listId } = tombstone;
    const { run, merged } = await this.runs.start({
      tenantId,
      listId,
      listKind: tombstone.listKind,
      trigger: 'cleanup',
      mode: 'cleanup',
      deadlineAt: new Date(Date.now() + this.config.sync.runDeadlineMinutes * 60_000),
    });
    // A sync run of the list (started before the deletion) is still active: wait for its end.
    // A clean-up run started since the deletion (a tenant's revocation) does the same job.
    const ours =
      !merged ||
      (run.mode === 'cleanup' &&
        run.startedAt.getTime() >= tombstone.requestedAt.getTime() - SKEW_MS);
    if (!ours) return false;
    if (!merged)
      await this.queues.triggerRun({
        tenantId,
        listId,
        ...(tombstone.listKind === 'calendar' ? { listKind: 'calendar' as const } : {}),
        trigger: 'cleanup',
        mode: 'cleanup',
        runId: run.id,
      });
    return this.tombstones.startCleaning(tenantId, listId, run.id);
  }

  private async checkRun(tombstone: ListTombstoneEntity): Promise<boolean> {
    const { tenantId, listId } = tombstone;
    const run = tombstone.runId ? await this.runs.get(tenantId, tombstone.runId) : null;
    if (run && !run.finishedAt) return false;
    if (run?.status === 'succeeded') {
      const moved = await this.tombstones.finish(tenantId, listId, { state: 'done' });
      if (moved)
        this.logger.log(
          { tenantId, listId, runId: run.id, itemsDeleted: run.itemsDeleted },
          'deleted list cleaned up',
        );
      return moved;
    }
    return this.tombstones.finish(tenantId, listId, {
      state: 'failed',
      code: CLEANUP_RUN_FAILED,
      message: run
        ? `the clean-up run ${run.id} ended ${run.status}${run.errorCode ? ` (${run.errorCode})` : ''}: fix the cause, then retry`
        : 'the clean-up run is gone: retry',
    });
  }
}
