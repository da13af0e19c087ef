import { In, MoreThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { SyncRunEntity, type SyncRunStatus } from '../entities/sync-run.entity';
import type { ListKind } from '../entities/target.entity';
import { withTransaction } from '../with-transaction';
import type { MailboxCounts } from './mailbox-counts';
import type { MailboxRunOutcome } from './mailbox-run-outcome';
import type { Page } from './page';
import { RUN_LOST } from './run-lost';

const RUN_LOST_MESSAGE =
  'The job was lost (Redis lost its data) before this mailbox reported; the next run will sync it.';

/**
 * Sync runs, the run ledger: at most one active run per list (the filtered unique index on
 * active_list_id), per-mailbox outcomes counted exactly once even when a job is retried, and
 * the run closed by whichever mailbox finishes last — or by its deadline.
 */
export class SyncRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A tenant's runs, newest first, of one list when `listId` is given. */
  async page(
    tenantId: string,
    page: Page & { listId?: string },
  ): Promise<[SyncRunEntity[], number]> {
    return this.dataSource.getRepository(SyncRunEntity).findAndCount({
      where: { tenantId, ...(page.listId ? { listId: page.listId } : {}) },
      order: { startedAt: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /**
   * Sync and clean-up runs (never previews) that ended failed or partial at or after `since`,
   * oldest first: what alerts are about.
   */
  async endedWithProblemsSince(since: Date, limit: number): Promise<SyncRunEntity[]> {
    return this.dataSource.getRepository(SyncRunEntity).find({
      where: {
        finishedAt: MoreThanOrEqual(since),
        status: In(['failed', 'partial']),
        mode: In(['sync', 'cleanup']),
      },
      order: { finishedAt: 'ASC' },
      take: limit,
    });
  }

  /** Starts a run, or returns the active one when the list already has one (the trigger merges). */
  async start(input: {
    tenantId: string;
    listId: string;
    listKind: ListKind;
    trigger: SyncRunEntity['trigger'];
    mode: SyncRunEntity['mode'];
    deadlineAt: Date;
  }): Promise<{ run: SyncRunEntity; merged: boolean }> {
    const repo = this.dataSource.getRepository(SyncRunEntity);
    const run = repo.create({
      tenantId: input.tenantId,
      listKind: input.listKind,
      listId: input.listId,
      // A preview only reads: it must not block, nor be blocked by, a real run.
      activeListId: input.mode === 'dry_run' ? null : input.listId,
      trigger: input.trigger,
      mode: input.mode,
      status: 'queued',
      startedAt: new Date(),
      deadlineAt: input.deadlineAt,
    });
    try {
      await repo.insert(run);
      return { run, merged: false };
    } catch (error) {
      const active = await repo.findOne({
        where: { activeListId: input.listId, tenantId: input.tenantId },
      });
      if (!active) throw error;
      return { run: active, merged: true };
    }
  }

  async get(tenantId: string, runId: string): Promise<SyncRunEntity | null> {
    return this.dataSource.getRepository(SyncRunEntity).findOne({ where: { id: runId, tenantId } });
  }

  /** The plan is made: `total` mailboxes will report. Closes the run at once when there are none. */
  async planned(runId: string, total: number): Promise<void> {
    await this.dataSource
      .getRepository(SyncRunEntity)
      .update({ id: runId }, { mailboxesTotal: total, status: 'running' });
    await this.closeIfDone(runId);
  }

  /**
   * Counts one mailbox's outcome in the run, once: a retried or duplicated job finds the
   * mailbox already counted for this run and changes nothing. `stateChanges` are saved to the
   * mailbox's state in the same UPDATE when this call counts it. `closed`: this call closed the
   * run.
   */
  async recordMailbox(
    input: {
      runId: string;
      tenantId: string;
      listId: string;
      mailboxId: string;
      outcome: MailboxRunOutcome;
      counts: MailboxCounts;
    },
    stateChanges: Partial<MailboxStateEntity> = {},
  ): Promise<{ counted: boolean; closed: boolean }> {
    return withTransaction(this.dataSource, async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(MailboxStateEntity)
        .set({ ...stateChanges, lastRunId: input.runId })
        .where('tenant_id = :tenantId AND list_id = :listId AND mailbox_id = :mailboxId', input)
        .andWhere('(last_run_id IS NULL OR last_run_id <> :runId)', { runId: input.runId })
        .execute();
      if (!claimed.affected) return { counted: false, closed: false };
      const counter = input.outcome === 'failed' ? 'mailboxes_failed' : 'mailboxes_succeeded';
      await manager
        .createQueryBuilder()
        .update(SyncRunEntity)
        .set({
          [input.outcome === 'failed' ? 'mailboxesFailed' : 'mailboxesSucceeded']: () =>
            `${counter} + 1`,
          itemsCreated: () => `items_created + ${Math.trunc(input.counts.created)}`,
          itemsUpdated: () => `items_updated + ${Math.trunc(input.counts.updated)}`,
          itemsDeleted: () => `items_deleted + ${Math.trunc(input.counts.deleted)}`,
        })
        .where('id = :runId', input)
        .execute();
      return { counted: true, closed: await this.closeIfDone(input.runId, manager) };
    });
  }

  /** Ends a run that cannot go on (consent lost, sources unreadable). */
  async fail(runId: string, code: string, message: string): Promise<void> {
    await this.dataSource.getRepository(SyncRunEntity).update(
      { id: runId },
      {
        status: 'failed',
        activeListId: null,
        finishedAt: new Date(),
        errorCode: code,
        errorMessage: message,
      },
    );
  }

  /** The deadline passed with mailboxes outstanding: close the run as partial (or failed). */
  async closeAtDeadline(runId: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({
        status: () => `CASE WHEN mailboxes_succeeded > 0 THEN 'partial' ELSE 'failed' END`,
        activeListId: null,
        finishedAt: new Date(),
        errorCode: 'DEADLINE_EXCEEDED',
        errorMessage:
          'The run reached its deadline before every mailbox reported; the rest continue in the next run.',
      })
      .where('id = :runId', { runId })
      .andWhere("status IN ('queued', 'running')")
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * No live job serves the run any more (Redis lost them): its mailboxes that never reported
   * are recorded as failed with RUN_LOST, and the run closes as partial (failed when none
   * succeeded), so the list can run again. A job still running somewhere that reports later
   * finds its mailbox already counted and changes nothing.
   */
  async closeLost(runId: string): Promise<{ closed: boolean; lostMailboxes: number }> {
    return withTransaction(this.dataSource, async (manager) => {
      const run = await manager.getRepository(SyncRunEntity).findOne({ where: { id: runId } });
      if (!run || (run.status !== 'queued' && run.status !== 'running'))
        return { closed: false, lostMailboxes: 0 };
      let lost = 0;
      if (run.status === 'running') {
        const marked = await manager
          .createQueryBuilder()
          .update(MailboxStateEntity)
          .set({
            lastRunId: runId,
            status: 'failed',
            lastErrorCode: RUN_LOST,
            lastErrorMessage: RUN_LOST_MESSAGE,
          })
          .where('tenant_id = :tenantId AND list_id = :listId', run)
          .andWhere('(last_run_id IS NULL OR last_run_id <> :runId)', { runId })
          .execute();
        lost = marked.affected ?? 0;
      }
      const result = await manager
        .createQueryBuilder()
        .update(SyncRunEntity)
        .set({
          status: () => `CASE WHEN mailboxes_succeeded > 0 THEN 'partial' ELSE 'failed' END`,
          mailboxesFailed: () => `mailboxes_failed + ${lost}`,
          activeListId: null,
          finishedAt: new Date(),
          errorCode: RUN_LOST,
          errorMessage: RUN_LOST_MESSAGE,
        })
        .where('id = :runId', { runId })
        .andWhere("status IN ('queued', 'running')")
        .execute();
      return { closed: (result.affected ?? 0) > 0, lostMailboxes: lost };
    });
  }

  /** Open runs (queued or running) started before `before`, oldest first. */
  async openRuns(before: Date): Promise<SyncRunEntity[]> {
    return this.dataSource
      .getRepository(SyncRunEntity)
      .createQueryBuilder('r')
      .where("r.status IN ('queued', 'running')")
      .andWhere('r.startedAt < :before', { before })
      .orderBy('r.startedAt', 'ASC')
      .getMany();
  }

  /** Mailboxes of a running run that have not reported yet. */
  async outstandingMailboxes(run: SyncRunEntity): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(MailboxStateEntity)
      .createQueryBuilder('s')
      .select('s.mailboxId', 'mailboxId')
      .where('s.tenantId = :tenantId AND s.listId = :listId', run)
      .andWhere('(s.lastRunId IS NULL OR s.lastRunId <> :runId)', { runId: run.id })
      .getRawMany<{ mailboxId: string }>();
    return rows.map((r) => r.mailboxId);
  }

  private async closeIfDone(
    runId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const status: Record<'succeeded' | 'partial' | 'failed', SyncRunStatus> = {
      succeeded: 'succeeded',
      partial: 'partial',
      failed: 'failed',
    };
    const result = await manager
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({
        status: () =>
          `CASE WHEN mailboxes_failed = 0 THEN '${status.succeeded}' WHEN mailboxes_succeeded = 0 THEN '${status.failed}' ELSE '${status.partial}' END`,
        activeListId: null,
        finishedAt: new Date(),
      })
      .where('id = :runId', { runId })
      .andWhere("status = 'running'")
      .andWhere('mailboxes_succeeded + mailboxes_failed >= mailboxes_total')
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
