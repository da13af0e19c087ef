import type { AppConfig } from '@app/config';
import { FleetMetrics } from '@app/metrics';
import type { SyncRunRepository } from '@app/persistence';
import { logQueueErrors, QueueName } from '@app/queue';
import type { WorkerHost } from '@nestjs/bullmq';
import {
  type BeforeApplicationShutdown,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DelayedError, type Job, type Queue, WaitingError } from 'bullmq';

/** A processor, the queue it serves and that queue's instance BullModule.registerQueue made. */
export interface SupervisedProcessor {
  queue: QueueName;
  host: WorkerHost;
  registered: Queue;
}

interface InFlight {
  job: Job;
  token?: string;
  returned: boolean;
  abandon: (error: Error) => void;
}

/** Time kept back from SHUTDOWN_TIMEOUT_MS for closing SQL, Redis and the log store after the drain. */
export function drainBudgetMs(shutdownTimeoutMs: number): number {
  return shutdownTimeoutMs - Math.min(5_000, Math.floor(shutdownTimeoutMs / 4));
}

/**
 * Around every processor of this worker: reports each job to the metrics port (jobs by queue and
 * how they ended, mailboxes in progress per tenant, sync outcomes, run durations), and drains on
 * shutdown. The processors and the engine stay unaware of both.
 *
 * Shutdown (SIGTERM): before any connection closes, the BullMQ workers stop taking jobs and the
 * jobs in flight get until SHUTDOWN_TIMEOUT_MS minus a reserve to finish (a mailbox's batch in
 * flight completes and is recorded). Jobs still running then are moved back to the waiting list
 * at once (their lock released, no attempt spent, no 30 s stall), and the process goes on to exit
 * 0 within the limit. The next worker re-syncs such a mailbox against its content: our tags, the
 * per-mailbox lock (which the stopped process holds until it lapses) and the diff make the
 * repeat write nothing twice.
 */
export class JobSupervisor implements BeforeApplicationShutdown, OnApplicationBootstrap {
  private readonly logger = new Logger(JobSupervisor.name);
  private readonly inFlight = new Set<InFlight>();

  constructor(
    private readonly metrics: FleetMetrics,
    private readonly config: AppConfig,
    private readonly processors: readonly SupervisedProcessor[],
    ledger: SyncRunRepository,
  ) {
    // Wrapped now, while Nest builds providers: @nestjs/bullmq binds `process` when it creates
    // the BullMQ workers (onModuleInit), after every provider exists.
    for (const { queue, host, registered } of processors) {
      const process = host.process.bind(host);
      host.process = (job: Job, token?: string) => this.run(queue, job, token, process);
      logQueueErrors(registered, queue, 'queue', this.logger);
    }
    this.observeRunsClosedBy(ledger);
  }

  /**
   * A BullMQ worker emits 'error' when its Redis connection drops (Redis restarting, the process
   * shutting down). Unlistened, BullMQ drops connection errors and catches the others' throw
   * (QueueBase.emit) into console.error: nothing is fatal, and BullMQ reconnects by itself.
   * Every processor's worker (they exist once BullModule's onModuleInit ran) gets a listener.
   */
  onApplicationBootstrap(): void {
    for (const { queue, host } of this.processors)
      // So the log carries the queue's name and the error, instead of console.error.
      logQueueErrors(host.worker, queue, 'worker', this.logger);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const workers = this.processors.map(({ host }) => host.worker);
    const drained = Promise.all(workers.map((worker) => worker.close()));
    const budgetMs = drainBudgetMs(this.config.shutdownTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      drained.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), budgetMs))),
    ]);
    clearTimeout(timer);
    if (inTime) {
      this.logger.log('workers drained: every job in flight finished');
      return;
    }
    const left = [...this.inFlight];
    let returned = 0;
    for (const entry of left) {
      try {
        await entry.job.moveToWait(entry.token);
        entry.returned = true;
        returned++;
      } catch (error) {
        // The lock is gone already (the job ended meanwhile, or stalled): nothing to give back.
        this.logger.warn(
          { jobId: entry.job.id, err: error },
          'could not return a job to its queue',
        );
      }
      entry.abandon(new WaitingError());
    }
    await drained;
    this.logger.warn(
      { returned, budgetMs },
      `shutdown limit near: ${returned} job(s) returned to their queues`,
    );
  }

  private async run(
    queue: QueueName,
    job: Job,
    token: string | undefined,
    process: (job: Job, token?: string) => Promise<unknown>,
  ): Promise<unknown> {
    const data = job.data as { tenantId?: string; listKind?: string; mode?: string };
    const end = this.metrics.jobStarted(
      queue,
      queue === QueueName.SyncMailbox ? data.tenantId : undefined,
    );
    let abandon!: (error: Error) => void;
    const abandoned = new Promise<never>((_, reject) => (abandon = reject));
    const entry: InFlight = { job, token, returned: false, abandon };
    this.inFlight.add(entry);
    const work = process(job, token);
    // Once abandoned at shutdown, what the processor still does is not the job's outcome.
    work.catch(() => undefined);
    try {
      const result = await Promise.race([work, abandoned]);
      end('completed');
      if (queue === QueueName.SyncMailbox && isMailboxResult(result))
        this.metrics.mailboxSynced({
          itemKind: data.listKind ?? 'contacts',
          mode: data.mode ?? 'sync',
          outcome: result.outcome,
          counts: result.counts,
        });
      return result;
    } catch (error) {
      end(entry.returned ? 'returned' : error instanceof DelayedError ? 'delayed' : 'failed');
      throw error;
    } finally {
      this.inFlight.delete(entry);
    }
  }

  /**
   * A run closes in the UPDATE that counts its last mailbox, and exactly one call learns it
   * (`closed`): that call's process observes the run's duration, read back from SQL.
   */
  private observeRunsClosedBy(ledger: SyncRunRepository): void {
    const recordMailbox = ledger.recordMailbox.bind(ledger);
    ledger.recordMailbox = async (input, changes) => {
      const recorded = await recordMailbox(input, changes);
      if (recorded.closed) {
        const run = await ledger.get(input.tenantId, input.runId).catch(() => null);
        if (run?.finishedAt)
          this.metrics.runFinished(
            run.status,
            (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000,
          );
      }
      return recorded;
    };
  }
}

function isMailboxResult(
  value: unknown,
): value is { outcome: string; counts: { created: number; updated: number; deleted: number } } {
  const v = value as { outcome?: unknown; counts?: unknown } | undefined;
  return typeof v?.outcome === 'string' && typeof v.counts === 'object' && v.counts !== null;
}
