import { type ProcessorJob, QueueName, QueueProcessor } from '@app/queue';
import { PlanRunUseCase } from '@app/sync';
import { WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';

@QueueProcessor(QueueName.PlanRun)
export class PlanRunProcessor extends WorkerHost {
  private readonly logger = new Logger(PlanRunProcessor.name);

  constructor(private readonly planRun: PlanRunUseCase) {
    super();
  }

  async process(job: ProcessorJob<'plan-run'>): Promise<unknown> {
    const ids = { tenantId: job.data.tenantId, listId: job.data.listId, jobId: job.id };
    try {
      const result = await this.planRun.execute(job.data, job.data.runId, async (runId) => {
        await job.updateData({ ...job.data, runId });
      });
      this.logger.log({ ...ids, ...result }, `plan-run ${result.outcome}`);
      return result;
    } catch (error) {
      const err = error as Error & { code?: string };
      this.logger.error({ ...ids, runId: job.data.runId, code: err.code, err }, 'plan-run failed');
      if (job.data.runId && job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
        await this.planRun.failRun(job.data.runId, err);
      throw error;
    }
  }
}
