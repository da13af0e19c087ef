import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FleetMetrics, type JobEnd, type MailboxSyncReport } from './fleet-metrics';

/** What the queue gauges read: a BullMQ Queue has this shape. */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

/** Job states the queue gauges report (BullMQ's names). */
export const QUEUE_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'waiting-children',
  'completed',
  'failed',
] as const;

const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const RETRY_AFTER_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800, 21600];

/**
 * The metrics port on prom-client, in a registry of its own (never the library's global one, so
 * two apps in one test process do not collide). Names start with `csf_`; every series carries
 * the process's `service` label (admin-api or worker).
 */
export class PrometheusMetrics extends FleetMetrics {
  readonly registry = new Registry();
  private readonly queues: CountableQueue[] = [];
  private readonly inProgress = new Map<string, number>();

  private readonly requests = new Histogram({
    name: 'csf_microsoft_request_duration_seconds',
    help: 'Latency of HTTP requests to Microsoft (a $batch is one request), by service, method and status (0: no response)',
    labelNames: ['service', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly throttles = new Counter({
    name: 'csf_microsoft_throttled_total',
    help: 'Responses (or $batch sub-responses) asking us to wait: 429, 503, 504',
    labelNames: ['service', 'status'] as const,
    registers: [this.registry],
  });
  private readonly retryAfter = new Histogram({
    name: 'csf_microsoft_retry_after_seconds',
    help: 'Retry-After of each throttled response, in seconds (the _sum is the total wait asked for)',
    labelNames: ['service'] as const,
    buckets: RETRY_AFTER_BUCKETS,
    registers: [this.registry],
  });
  private readonly jobs = new Counter({
    name: 'csf_jobs_total',
    help: 'Jobs this process ran, by queue and how they ended (completed, failed, delayed: rescheduled, returned: given back to the queue at shutdown)',
    labelNames: ['queue', 'result'] as const,
    registers: [this.registry],
  });
  private readonly jobDuration = new Histogram({
    name: 'csf_job_duration_seconds',
    help: 'Time a job spent in the processor, by queue',
    labelNames: ['queue'] as const,
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });
  private readonly mailboxes = new Counter({
    name: 'csf_sync_mailboxes_total',
    help: 'Mailbox syncs that reported an outcome, by item kind, mode and outcome',
    labelNames: ['item_kind', 'mode', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly operations = new Counter({
    name: 'csf_sync_operations_total',
    help: 'Items written to mailboxes (dry runs: would be), by item kind, operation (create, update, delete) and mode',
    labelNames: ['item_kind', 'operation', 'mode'] as const,
    registers: [this.registry],
  });
  private readonly runs = new Histogram({
    name: 'csf_run_duration_seconds',
    help: 'Duration of runs from start to end, by final status',
    labelNames: ['status'] as const,
    buckets: RUN_BUCKETS,
    registers: [this.registry],
  });

  constructor(service: string, options: { defaultMetrics?: boolean } = {}) {
    super();
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const inProgress = this.inProgress;
    new Gauge({
      name: 'csf_mailboxes_in_progress',
      help: 'sync-mailbox jobs this process is running now, by tenant (our tenant id)',
      labelNames: ['tenant'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [tenant, count] of inProgress) this.set({ tenant }, count);
      },
    });
    // The three queue gauges share one read of the queues per scrape (prom-client collects the
    // metrics of a scrape concurrently). An unreachable Redis leaves them out of that scrape
    // instead of failing it: the other series matter most then.
    const read = () =>
      (this.queueRead ??= this.readQueues().finally(() => (this.queueRead = undefined)));
    new Gauge({
      name: 'csf_queue_jobs',
      help: 'Jobs in each queue by state, read from Redis at scrape time',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of (await read()) ?? [])
          for (const state of QUEUE_STATES)
            this.set({ queue: q.name, state }, q.counts[state] ?? 0);
      },
    });
    new Gauge({
      name: 'csf_queue_depth',
      help: 'Jobs waiting for a worker (waiting + prioritized), read from Redis at scrape time',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of (await read()) ?? [])
          this.set({ queue: q.name }, (q.counts.waiting ?? 0) + (q.counts.prioritized ?? 0));
      },
    });
    new Gauge({
      name: 'csf_queue_scrape_ok',
      help: '1 when the queue gauges were read from Redis in this scrape, 0 when Redis did not answer',
      registers: [this.registry],
      async collect() {
        this.set((await read()) ? 1 : 0);
      },
    });
  }

  private queueRead?: Promise<Array<{ name: string; counts: Record<string, number> }> | undefined>;

  private async readQueues(): Promise<
    Array<{ name: string; counts: Record<string, number> }> | undefined
  > {
    try {
      return await Promise.all(
        this.queues.map(async (q) => ({
          name: q.name,
          counts: await q.getJobCounts(...QUEUE_STATES),
        })),
      );
    } catch {
      return undefined;
    }
  }

  /** Report these queues' job counts at each scrape. */
  watchQueues(queues: readonly CountableQueue[]): void {
    this.queues.push(...queues);
  }

  /** The exposition text of every series, in the registry's content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  microsoftRequest(
    service: 'graph' | 'ews',
    method: string,
    status: number,
    seconds: number,
  ): void {
    this.requests.observe({ service, method, status: String(status) }, seconds);
  }

  throttled(service: 'graph' | 'ews', status: number, retryAfterSeconds: number): void {
    this.throttles.inc({ service, status: String(status) });
    this.retryAfter.observe({ service }, retryAfterSeconds);
  }

  jobStarted(queue: string, tenantId?: string): (end: JobEnd) => void {
    const started = process.hrtime.bigint();
    if (tenantId) this.inProgress.set(tenantId, (this.inProgress.get(tenantId) ?? 0) + 1);
    let ended = false;
    return (end) => {
      if (ended) return;
      ended = true;
      this.jobs.inc({ queue, result: end });
      this.jobDuration.observe({ queue }, Number(process.hrtime.bigint() - started) / 1e9);
      if (tenantId) {
        const left = (this.inProgress.get(tenantId) ?? 1) - 1;
        if (left > 0) this.inProgress.set(tenantId, left);
        else this.inProgress.delete(tenantId);
      }
    };
  }

  mailboxSynced(report: MailboxSyncReport): void {
    const { itemKind: item_kind, mode } = report;
    this.mailboxes.inc({ item_kind, mode, outcome: report.outcome });
    const ops = [
      ['create', report.counts.created],
      ['update', report.counts.updated],
      ['delete', report.counts.deleted],
    ] as const;
    for (const [operation, count] of ops)
      if (count > 0) this.operations.inc({ item_kind, operation, mode }, count);
  }

  runFinished(status: string, seconds: number): void {
    this.runs.observe({ status }, Math.max(0, seconds));
  }
}
