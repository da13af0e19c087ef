import type { LogStore } from '@app/logstore';
import type { SyncRunEntity } from '@app/persistence';
import { JobIds, type SyncQueues } from '@app/queue';
import type { ScheduleRegistry } from '../schedules/schedule-registry';
import type { FinishRunUseCase } from './finish-run.use-case';
import { RUN_LOST, type RunLedger } from './run-ledger';
import { RunLifecycle } from './run-lifecycle';

export interface SweepResult {
  deadline: number;
  lost: number;
  schedulesRestored: number;
  /** Per-mailbox run outcomes older than the retention, deleted by this sweep. */
  outcomesPurged: number;
}

/** Outcomes deleted per sweep at most: a backlog drains over a few sweeps, never in one long statement. */
const OUTCOMES_PURGED_PER_SWEEP = 5_000;

/**
 * SQL is the source of truth for runs; Redis may lose everything. The sweep closes open runs
 * whose deadline passed (the deadline job lived in Redis) or that no live job serves any more,
 * and re-creates job schedulers Redis lost. A run younger than `graceMs` is left alone: its
 * plan job may be about to be added.
 */
export class RunSweep {
  constructor(
    private readonly ledger: RunLedger,
    private readonly queues: SyncQueues,
    private readonly finishRun: FinishRunUseCase,
    private readonly schedules: ScheduleRegistry,
    private readonly logStore: LogStore,
    private readonly options: { graceMs: number; outcomeRetentionDays?: number },
  ) {}

  async sweep(now = new Date()): Promise<SweepResult> {
    const result: SweepResult = { deadline: 0, lost: 0, schedulesRestored: 0, outcomesPurged: 0 };
    const runs = await this.ledger.openRuns(new Date(now.getTime() - this.options.graceMs));
    let planned: Set<string> | undefined;
    for (const run of runs) {
      if (!RunLifecycle.isActive(run.status)) continue;
      if (run.deadlineAt && run.deadlineAt.getTime() <= now.getTime()) {
        const closed = await this.finishRun.execute({
          tenantId: run.tenantId,
          runId: run.id,
          reason: 'deadline',
        });
        if (closed) result.deadline++;
        continue;
      }
      if (await this.isServed(run)) continue;
      // A scheduled trigger's plan job has its own id: a queued run may be its, not yet planned.
      if (run.status === 'queued') {
        planned ??= await this.queues.plannedListIds();
        if (planned.has(run.listId)) continue;
      }
      if (await this.closeLost(run)) result.lost++;
    }
    result.schedulesRestored = await this.schedules.restoreMissing();
    if (this.options.outcomeRetentionDays)
      result.outcomesPurged = await this.ledger.purgeOutcomes(
        new Date(now.getTime() - this.options.outcomeRetentionDays * 86_400_000),
        OUTCOMES_PURGED_PER_SWEEP,
      );
    return result;
  }

  /** Whether a job in Redis still works for the run: its plan job or a mailbox job not yet reported. */
  async isServed(run: SyncRunEntity): Promise<boolean> {
    if (Date.now() - run.startedAt.getTime() < this.options.graceMs) return true;
    if (await this.queues.isLive('planRun', `plan-${run.id}`)) return true;
    if (run.status !== 'running') return false;
    // Stops at the first live job: a healthy run's next waiting mailbox answers at once.
    for (const mailboxId of await this.ledger.outstandingMailboxes(run)) {
      if (await this.queues.isLive('syncMailbox', JobIds.syncMailbox(run.id, mailboxId)))
        return true;
    }
    return false;
  }

  /** Closes a run no job serves (partial, its unreported mailboxes failed with RUN_LOST). */
  async closeLost(run: SyncRunEntity): Promise<boolean> {
    if (!RunLifecycle.allows('sweeper', run.status, 'partial')) return false;
    const { closed, lostMailboxes } = await this.ledger.closeLost(run.id);
    if (closed) {
      await this.logStore.appendLogs(run.tenantId, [
        {
          runId: run.id,
          level: 'warn',
          code: RUN_LOST,
          message: `no job serves the run any more (Redis lost its data); ${lostMailboxes} mailboxes that never finished are synced by the next run`,
        },
      ]);
    }
    return closed;
  }
}
