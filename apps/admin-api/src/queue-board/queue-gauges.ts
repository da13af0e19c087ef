import { PrometheusMetrics } from '@app/metrics';
import { SyncQueues } from '@app/queue';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';

/**
 * The queue gauges (jobs by queue and state, queue depth) come from the admin API: it knows
 * every queue, whichever queues a worker consumes. Each API replica reports the same numbers.
 */
@Injectable()
export class QueueGauges implements OnModuleInit {
  constructor(
    @Inject(PrometheusMetrics) private readonly metrics: PrometheusMetrics,
    @Inject(SyncQueues) private readonly queues: SyncQueues,
  ) {}

  onModuleInit(): void {
    const q = this.queues;
    this.metrics.watchQueues([
      q.planRun,
      q.syncMailbox,
      q.finishRun,
      q.importCsv,
      q.advanceCleanup,
    ]);
  }
}
