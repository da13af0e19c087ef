import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobIds } from './job-ids';
import {
  BOUNDED_RETENTION,
  IMPORT_CSV_OPTIONS,
  PLAN_RUN_OPTIONS,
  SYNC_MAILBOX_OPTIONS,
} from './job-options';
import type {
  AdvanceCleanupPayload,
  FinishRunPayload,
  ImportCsvPayload,
  PlanRunPayload,
  StripeEventPayload,
  SyncMailboxPayload,
} from './job-payloads';
import { logQueueErrors } from './log-queue-errors';
import { queuePrefix, QueueName } from './queue-names';

/**
 * The typed producer of every sync job (only libs enqueue; apps/worker consumes). Triggers of
 * one list are deduplicated while its plan job waits or runs; a trigger arriving later finds
 * the run active in SQL and merges into it.
 */
export class SyncQueues {
  readonly planRun: Queue<PlanRunPayload>;
  readonly syncMailbox: Queue<SyncMailboxPayload>;
  readonly finishRun: Queue<FinishRunPayload>;
  readonly importCsv: Queue<ImportCsvPayload>;
  readonly advanceCleanup: Queue<AdvanceCleanupPayload>;
  readonly stripeEvent: Queue<StripeEventPayload>;

  /**
   * BullMQ's own connection (maxRetriesPerRequest: null, as its workers require); the worker's
   * processors share it. Our own Redis commands use REDIS_CLIENT, which fails fast instead.
   */
  readonly connection: Redis;

  constructor(connection: Redis, keyPrefix: string) {
    this.connection = connection;
    const prefix = queuePrefix(keyPrefix);
    const logger = new Logger(SyncQueues.name);
    const queue = <T>(name: QueueName): Queue<T> => {
      const created = new Queue<T>(name, { connection, prefix });
      // In our log with the queue's name, not in console.error (see logQueueErrors).
      logQueueErrors(created, name, 'queue', logger);
      return created;
    };
    this.planRun = queue(QueueName.PlanRun);
    this.syncMailbox = queue(QueueName.SyncMailbox);
    this.finishRun = queue(QueueName.FinishRun);
    this.importCsv = queue(QueueName.ImportCsv);
    this.advanceCleanup = queue(QueueName.AdvanceCleanup);
    this.stripeEvent = queue(QueueName.StripeEvent);
  }

  async triggerRun(payload: PlanRunPayload): Promise<void> {
    // Triggers without a run are deduplicated while their plan job waits or runs; a request
    // that already created its run (RequestRunUseCase) is kept apart by the SQL constraint.
    await this.planRun.add(QueueName.PlanRun, payload, {
      ...PLAN_RUN_OPTIONS,
      ...(payload.runId
        ? { jobId: `plan-${payload.runId}` }
        : { deduplication: { id: `${JobIds.planRun(payload.listId)}-${payload.mode}` } }),
    });
  }

  async enqueueMailboxes(payloads: readonly SyncMailboxPayload[]): Promise<void> {
    for (let start = 0; start < payloads.length; start += 500) {
      await this.syncMailbox.addBulk(
        payloads.slice(start, start + 500).map((data) => ({
          name: QueueName.SyncMailbox,
          data,
          opts: { ...SYNC_MAILBOX_OPTIONS, jobId: JobIds.syncMailbox(data.runId, data.mailboxId) },
        })),
      );
    }
  }

  /** Idempotent per import job (the job id is the BullMQ job id), so re-enqueueing is safe. */
  async enqueueImport(payload: ImportCsvPayload): Promise<void> {
    await this.importCsv.add(QueueName.ImportCsv, payload, {
      ...IMPORT_CSV_OPTIONS,
      jobId: `import-${payload.importJobId}`,
    });
  }

  /**
   * Advances the tenant's clean-up (or a deleted list's) at the next whole second after `delayMs`. The job id is
   * that second's, so several callers (the request, the job itself, a worker start) add one
   * job, not parallel chains.
   */
  async advanceCleanupAfter(payload: AdvanceCleanupPayload, delayMs = 0): Promise<void> {
    const second = Math.ceil((Date.now() + delayMs) / 1000);
    await this.advanceCleanup.add(QueueName.AdvanceCleanup, payload, {
      ...BOUNDED_RETENTION,
      attempts: 3,
      backoff: { type: 'exponential', delay: 1_000 },
      jobId: `cleanup-${payload.tenantId}${payload.listId ? `-${payload.listId}` : ''}-${second}`,
      delay: Math.max(0, second * 1000 - Date.now()),
    });
  }

  /**
   * Idempotent per stored event (the row id is the job id): the webhook and the sweep may both
   * add it. Retried with backoff; the row is marked failed after the last attempt.
   */
  async enqueueStripeEvent(payload: StripeEventPayload): Promise<void> {
    await this.stripeEvent.add(QueueName.StripeEvent, payload, {
      ...BOUNDED_RETENTION,
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
      jobId: `stripe-${payload.eventRowId}`,
    });
  }

  async scheduleDeadline(payload: FinishRunPayload, at: Date): Promise<void> {
    await this.finishRun.add(QueueName.FinishRun, payload, {
      ...BOUNDED_RETENTION,
      jobId: JobIds.finishRun(payload.runId),
      delay: Math.max(0, at.getTime() - Date.now()),
    });
  }

  /** One BullMQ job scheduler per schedule row; idempotent, so safe on every start. */
  async upsertSchedule(
    scheduleId: string,
    cron: string,
    timeZone: string,
    payload: PlanRunPayload,
  ): Promise<void> {
    await this.planRun.upsertJobScheduler(
      JobIds.schedule(scheduleId),
      { pattern: cron, tz: timeZone },
      {
        name: QueueName.PlanRun,
        data: payload,
        opts: PLAN_RUN_OPTIONS,
      },
    );
  }

  async removeSchedule(scheduleId: string): Promise<void> {
    await this.planRun.removeJobScheduler(JobIds.schedule(scheduleId));
  }

  async scheduleIds(): Promise<string[]> {
    const schedulers = await this.planRun.getJobSchedulers(0, -1);
    return schedulers.map((s) => (s.key ?? s.id ?? '').replace(/^schedule-/, '')).filter(Boolean);
  }

  /** The job exists and has not finished (waiting, delayed, active or retrying). */
  async isLive(queue: 'planRun' | 'syncMailbox', jobId: string): Promise<boolean> {
    const job = await this[queue].getJob(jobId);
    return !!job && !job.finishedOn;
  }

  /** Lists whose plan-run job waits or runs (a scheduled trigger's job id is not the run's). */
  async plannedListIds(): Promise<Set<string>> {
    const jobs = await this.planRun.getJobs(['active', 'waiting', 'delayed', 'prioritized']);
    return new Set(jobs.filter(Boolean).map((j) => j.data.listId));
  }

  async close(): Promise<void> {
    await Promise.all([
      this.planRun.close(),
      this.syncMailbox.close(),
      this.finishRun.close(),
      this.importCsv.close(),
      this.advanceCleanup.close(),
      this.stripeEvent.close(),
    ]);
  }
}
