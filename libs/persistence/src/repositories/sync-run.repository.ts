import { In, MoreThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { RunMailboxEntity } from '../entities/run-mailbox.entity';
import { SyncRunEntity, type SyncRunStatus } from '../entities/sync-run.entity';
import type { ListKind } from '../entities/target.entity';
import { withTransaction } from '../with-transaction';
import type { MailboxCounts } from './mailbox-counts';
import type { MailboxRunOutcome } from './mailbox-run-outcome';
import type { Page } from './page';
import { RUN_LOST } from './run-lost';

const RUN_LOST_MESSAGE =
  'The job was lost (Redis lost its data) before this mailbox reported; the next run will sync it.';
const RUN_CANCELLED_MESSAGE =
  'An administrator cancelled the run; mailboxes it did not finish are synced by the next run.';
/** Rows per INSERT of outcome rows (SQL Server takes at most 2,100 parameters a statement). */
const OUTCOME_ROWS_PER_INSERT = 100;

/** closeLost found the run changed after reading it: its transaction rolls back. */
class RunChangedMeanwhile extends Error {}

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

  /** The tenant's runs among `runIds` (another tenant's ids find nothing). */
  async getMany(tenantId: string, runIds: readonly string[]): Promise<SyncRunEntity[]> {
    if (runIds.length === 0) return [];
    return this.dataSource
      .getRepository(SyncRunEntity)
      .find({ where: { tenantId, id: In([...new Set(runIds)]) } });
  }

  async get(tenantId: string, runId: string): Promise<SyncRunEntity | null> {
    return this.dataSource.getRepository(SyncRunEntity).findOne({ where: { id: runId, tenantId } });
  }

  /**
   * The plan is made: `total` mailboxes will report. Closes the run at once when there are none.
   * False when the run ended meanwhile (cancelled): its mailbox jobs must not be enqueued.
   */
  async planned(runId: string, total: number): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({ mailboxesTotal: total, status: 'running' })
      .where('id = :runId', { runId })
      .andWhere("status IN ('queued', 'running')")
      .execute();
    if (!result.affected) return false;
    await this.closeIfDone(runId);
    return true;
  }

  /**
   * Counts one mailbox's outcome in the run, once: a retried or duplicated job finds the
   * mailbox already counted for this run (its outcome row) and changes nothing. `counts` are
   * the items the final attempt wrote and has not saved as progress; what earlier attempts of
   * the run saved (MailboxStateRepository.updateWithProgress) is added to them here, once.
   * `stateChanges` are saved to the mailbox's state in the same UPDATE when this call counts
   * it. A preview (`mode` dry_run) runs beside the list's sync and touches no mailbox state:
   * neither its claim (last_run_id) nor its progress, which are the sync run's. `closed`: this
   * call closed the run; `counts`: the mailbox's items in the run, when counted.
   */
  async recordMailbox(
    input: {
      runId: string;
      tenantId: string;
      listId: string;
      mailboxId: string;
      /** The run's mode; sync when not given. */
      mode?: SyncRunEntity['mode'];
      outcome: MailboxRunOutcome;
      counts: MailboxCounts;
      /** What happened, as logged (the run history shows it): a code and a message. */
      code?: string;
      /** A message, or one made from the mailbox's counts in the run (all attempts). */
      message?: string | ((counts: MailboxCounts) => string);
    },
    stateChanges: Partial<MailboxStateEntity> = {},
  ): Promise<{ counted: boolean; closed: boolean; counts?: MailboxCounts }> {
    return withTransaction(this.dataSource, async (manager) => {
      const saved =
        input.mode === 'dry_run'
          ? await this.claimForPreview(input, manager)
          : await this.claim(input, stateChanges, manager);
      if (!saved) return { counted: false, closed: false };
      const counts: MailboxCounts = {
        created: Math.trunc(input.counts.created) + saved.created,
        updated: Math.trunc(input.counts.updated) + saved.updated,
        deleted: Math.trunc(input.counts.deleted) + saved.deleted,
      };
      const message = typeof input.message === 'function' ? input.message(counts) : input.message;
      await manager.getRepository(RunMailboxEntity).insert(
        manager.getRepository(RunMailboxEntity).create({
          tenantId: input.tenantId,
          runId: input.runId,
          listId: input.listId,
          mailboxId: input.mailboxId,
          outcome: input.outcome,
          code: input.code?.slice(0, 64) ?? null,
          message: message?.slice(0, 500) ?? null,
          itemsCreated: counts.created,
          itemsUpdated: counts.updated,
          itemsDeleted: counts.deleted,
          finishedAt: new Date(),
        }),
      );
      // A cancelled mailbox counts its items, in neither the succeeded nor the failed mailboxes.
      const counter =
        input.outcome === 'failed'
          ? { mailboxesFailed: () => 'mailboxes_failed + 1' }
          : input.outcome === 'cancelled'
            ? {}
            : { mailboxesSucceeded: () => 'mailboxes_succeeded + 1' };
      await manager
        .createQueryBuilder()
        .update(SyncRunEntity)
        .set({
          ...counter,
          itemsCreated: () => `items_created + ${counts.created}`,
          itemsUpdated: () => `items_updated + ${counts.updated}`,
          itemsDeleted: () => `items_deleted + ${counts.deleted}`,
        })
        .where('id = :runId', { runId: input.runId })
        .execute();
      return { counted: true, closed: await this.closeIfDone(input.runId, manager), counts };
    });
  }

  /** Ends an active run that cannot go on (consent lost, sources unreadable); an ended one stays. */
  async fail(runId: string, code: string, message: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({
        status: 'failed',
        activeListId: null,
        finishedAt: new Date(),
        errorCode: code,
        errorMessage: message,
      })
      .where('id = :runId', { runId })
      .andWhere("status IN ('queued', 'running')")
      .execute();
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
   * finds its mailbox already counted and changes nothing. A run that ended meanwhile
   * (cancelled, closed at its deadline or by its last mailbox) keeps what it has: nothing is
   * marked, and `closed` is false.
   */
  async closeLost(runId: string): Promise<{ closed: boolean; lostMailboxes: number }> {
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const run = await manager.getRepository(SyncRunEntity).findOne({ where: { id: runId } });
        if (!run || (run.status !== 'queued' && run.status !== 'running'))
          return { closed: false, lostMailboxes: 0 };
        const lost =
          run.status !== 'running'
            ? []
            : run.mode === 'dry_run'
              ? await this.unreportedOfPreview(run, manager)
              : await this.markLost(run, manager);
        const items = { created: 0, updated: 0, deleted: 0 };
        for (const o of lost) {
          items.created += o.created;
          items.updated += o.updated;
          items.deleted += o.deleted;
        }
        const at = new Date();
        const rows = manager.getRepository(RunMailboxEntity);
        for (let i = 0; i < lost.length; i += OUTCOME_ROWS_PER_INSERT)
          await rows.insert(
            lost.slice(i, i + OUTCOME_ROWS_PER_INSERT).map((o) =>
              rows.create({
                tenantId: run.tenantId,
                runId,
                listId: run.listId,
                mailboxId: o.mailboxId,
                outcome: 'failed',
                code: RUN_LOST,
                message: RUN_LOST_MESSAGE,
                itemsCreated: o.created,
                itemsUpdated: o.updated,
                itemsDeleted: o.deleted,
                finishedAt: at,
              }),
            ),
          );
        const result = await manager
          .createQueryBuilder()
          .update(SyncRunEntity)
          .set({
            status: () => `CASE WHEN mailboxes_succeeded > 0 THEN 'partial' ELSE 'failed' END`,
            mailboxesFailed: () => `mailboxes_failed + ${lost.length}`,
            itemsCreated: () => `items_created + ${items.created}`,
            itemsUpdated: () => `items_updated + ${items.updated}`,
            itemsDeleted: () => `items_deleted + ${items.deleted}`,
            activeListId: null,
            finishedAt: at,
            errorCode: RUN_LOST,
            errorMessage: RUN_LOST_MESSAGE,
          })
          .where('id = :runId', { runId })
          .andWhere('status = :status', { status: run.status })
          .execute();
        // The run ended (or was planned) after the read, even after the marks: they roll back.
        if (!result.affected) throw new RunChangedMeanwhile();
        return { closed: true, lostMailboxes: lost.length };
      });
    } catch (error) {
      if (error instanceof RunChangedMeanwhile) return { closed: false, lostMailboxes: 0 };
      throw error;
    }
  }

  /**
   * An administrator cancels an active run (not a clean-up: its tombstone waits on it). The
   * run ends at once, so the list may run again; its jobs see the status and stop between two
   * write batches, recording what they wrote. False when the run is not active (or a clean-up).
   */
  async cancel(tenantId: string, runId: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({
        status: 'cancelled',
        activeListId: null,
        finishedAt: new Date(),
        errorCode: 'RUN_CANCELLED',
        errorMessage: RUN_CANCELLED_MESSAGE,
      })
      .where('id = :runId AND tenant_id = :tenantId', { runId, tenantId })
      .andWhere("status IN ('queued', 'running')")
      .andWhere("mode <> 'cleanup'")
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** The run's status alone (a cheap read the mailbox jobs make to notice a cancel). */
  async statusOf(runId: string): Promise<SyncRunStatus | undefined> {
    const row = await this.dataSource
      .getRepository(SyncRunEntity)
      .createQueryBuilder('r')
      .select('r.status', 'status')
      .where('r.id = :runId', { runId })
      .getRawOne<{ status: SyncRunStatus }>();
    return row?.status;
  }

  /**
   * Deletes up to `limit` per-mailbox outcomes that finished before `before` (they are kept as
   * long as the logs, LOG_RETENTION_DAYS); the count deleted. The runs themselves stay.
   */
  async purgeOutcomes(before: Date, limit: number): Promise<number> {
    const rows = this.dataSource.getRepository(RunMailboxEntity);
    const old = await rows
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where('o.finishedAt < :before', { before })
      .orderBy('o.finishedAt', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (old.length === 0) return 0;
    const result = await rows.delete({ id: In(old.map((r) => r.id)) });
    return result.affected ?? old.length;
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

  /** Mailboxes of a running run that have not reported yet (no outcome row in the run). */
  async outstandingMailboxes(
    run: SyncRunEntity,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows = await manager
      .getRepository(MailboxStateEntity)
      .createQueryBuilder('s')
      .select('s.mailboxId', 'mailboxId')
      .where('s.tenantId = :tenantId AND s.listId = :listId', run)
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM run_mailbox o WHERE o.run_id = :runId AND o.mailbox_id = s.mailbox_id)',
        { runId: run.id },
      )
      .getRawMany<{ mailboxId: string }>();
    return rows.map((r) => r.mailboxId);
  }

  /** Whether the run counted the mailbox (its outcome row is written with the count). */
  async reported(
    runId: string,
    mailboxId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const row = await manager
      .getRepository(RunMailboxEntity)
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where('o.runId = :runId AND o.mailboxId = :mailboxId', { runId, mailboxId })
      .getRawOne<{ id: string }>();
    return row !== undefined;
  }

  /**
   * A sync or clean-up run claims the mailbox in its state row, with `stateChanges`, unless the
   * run counted it already: the row names the run (a concurrent report of the same mailbox
   * waits for this one's commit on the row, then finds it so), or the run's outcome row exists
   * (the state names a later run since). The progress its attempts saved, when claimed.
   */
  private async claim(
    input: { runId: string; tenantId: string; listId: string; mailboxId: string },
    stateChanges: Partial<MailboxStateEntity>,
    manager: EntityManager,
  ): Promise<MailboxCounts | undefined> {
    const keyParams = {
      tenantId: input.tenantId,
      listId: input.listId,
      mailboxId: input.mailboxId,
    };
    const claimed = await manager
      .createQueryBuilder()
      .update(MailboxStateEntity)
      .set({ ...stateChanges, lastRunId: input.runId })
      .where('tenant_id = :tenantId AND list_id = :listId AND mailbox_id = :mailboxId', keyParams)
      .andWhere('(last_run_id IS NULL OR last_run_id <> :runId)', { runId: input.runId })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM run_mailbox o WHERE o.run_id = :runId AND o.mailbox_id = :mailboxId)',
        { runId: input.runId, mailboxId: input.mailboxId },
      )
      .execute();
    if (!claimed.affected) return undefined;
    // Read after the claim: the row is ours (locked) until commit, and a late attempt's
    // progress lands after the claim, where no later claim of this run reads it.
    const saved = await manager
      .getRepository(MailboxStateEntity)
      .createQueryBuilder('s')
      .select('s.progressCreated', 'created')
      .addSelect('s.progressUpdated', 'updated')
      .addSelect('s.progressDeleted', 'deleted')
      .where(
        's.tenantId = :tenantId AND s.listId = :listId AND s.mailboxId = :mailboxId',
        keyParams,
      )
      .andWhere('s.progressRunId = :runId', { runId: input.runId })
      .getRawOne<{
        created: number | string;
        updated: number | string;
        deleted: number | string;
      }>();
    return {
      created: Number(saved?.created ?? 0),
      updated: Number(saved?.updated ?? 0),
      deleted: Number(saved?.deleted ?? 0),
    };
  }

  /**
   * A preview claims the mailbox by its outcome row alone. It first locks its run's row (every
   * report of the run writes that row anyway), so two reports of one mailbox come one after the
   * other and the second, reading after the lock, finds the first's outcome. Nothing saved: a
   * preview writes nothing.
   */
  private async claimForPreview(
    input: { runId: string; mailboxId: string },
    manager: EntityManager,
  ): Promise<MailboxCounts | undefined> {
    await this.lockRun(input.runId, manager);
    if (await this.reported(input.runId, input.mailboxId, manager)) return undefined;
    return { created: 0, updated: 0, deleted: 0 };
  }

  /**
   * Locks the run's row until the transaction ends (an UPDATE that changes nothing, the same
   * on every database); false when `status` is given and the run has another.
   */
  private async lockRun(
    runId: string,
    manager: EntityManager,
    status?: SyncRunStatus,
  ): Promise<boolean> {
    const q = manager
      .createQueryBuilder()
      .update(SyncRunEntity)
      .set({ mailboxesTotal: () => 'mailboxes_total' })
      .where('id = :runId', { runId });
    if (status) q.andWhere('status = :status', { status });
    return ((await q.execute()).affected ?? 0) > 0;
  }

  /**
   * Marks a sync or clean-up run's mailboxes that never reported as lost, in their state, and
   * returns them with what their attempts saved in the run. One statement marks them, so a
   * late report cannot slip between a read and this write: one that claimed its mailbox first
   * is passed over (on PostgreSQL this waits for its commit); one that comes after finds its
   * mailbox counted. A mailbox the run counted whose state names a later run keeps it (its
   * outcome row says it reported). Nothing is marked once the run is no longer running.
   */
  private async markLost(
    run: SyncRunEntity,
    manager: EntityManager,
  ): Promise<Array<{ mailboxId: string } & MailboxCounts>> {
    await manager
      .createQueryBuilder()
      .update(MailboxStateEntity)
      .set({
        lastRunId: run.id,
        status: 'failed',
        lastErrorCode: RUN_LOST,
        lastErrorMessage: RUN_LOST_MESSAGE,
      })
      .where('tenant_id = :tenantId AND list_id = :listId', run)
      .andWhere('(last_run_id IS NULL OR last_run_id <> :runId)', { runId: run.id })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM run_mailbox o WHERE o.run_id = :runId AND o.mailbox_id = mailbox_state.mailbox_id)',
        { runId: run.id },
      )
      .andWhere("EXISTS (SELECT 1 FROM sync_run r WHERE r.id = :runId AND r.status = 'running')", {
        runId: run.id,
      })
      .execute();
    return this.markedLost(run, manager);
  }

  /**
   * A preview's mailboxes that never reported: those of the list without an outcome in it. Its
   * run's row is locked first, so a late report (which locks it too) comes before this read or
   * after the run closed; none if the run is no longer running. A preview marks no state.
   */
  private async unreportedOfPreview(
    run: SyncRunEntity,
    manager: EntityManager,
  ): Promise<Array<{ mailboxId: string } & MailboxCounts>> {
    if (!(await this.lockRun(run.id, manager, 'running'))) return [];
    return (await this.outstandingMailboxes(run, manager)).map((mailboxId) => ({
      mailboxId,
      created: 0,
      updated: 0,
      deleted: 0,
    }));
  }

  /**
   * The list's mailboxes the run counted without an outcome — those markLost just marked (a
   * report writes its outcome with its claim) — with what their attempts saved in the run.
   */
  private async markedLost(
    run: SyncRunEntity,
    manager: EntityManager,
  ): Promise<Array<{ mailboxId: string } & MailboxCounts>> {
    const rows = await manager
      .getRepository(MailboxStateEntity)
      .createQueryBuilder('s')
      .select('s.mailboxId', 'mailboxId')
      .addSelect('s.progressRunId', 'progressRunId')
      .addSelect('s.progressCreated', 'created')
      .addSelect('s.progressUpdated', 'updated')
      .addSelect('s.progressDeleted', 'deleted')
      .where('s.tenantId = :tenantId AND s.listId = :listId', run)
      .andWhere('s.lastRunId = :runId', { runId: run.id })
      .andWhere(
        'NOT EXISTS (SELECT 1 FROM run_mailbox o WHERE o.run_id = :runId AND o.mailbox_id = s.mailbox_id)',
        { runId: run.id },
      )
      .getRawMany<{
        mailboxId: string;
        progressRunId: string | null;
        created: number | string;
        updated: number | string;
        deleted: number | string;
      }>();
    return rows.map((r) =>
      r.progressRunId === run.id
        ? {
            mailboxId: r.mailboxId,
            created: Number(r.created),
            updated: Number(r.updated),
            deleted: Number(r.deleted),
          }
        : { mailboxId: r.mailboxId, created: 0, updated: 0, deleted: 0 },
    );
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
