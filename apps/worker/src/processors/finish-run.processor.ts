import { type ProcessorJob, QueueName, QueueProcessor } from '@app/queue';
import { FinishRunUseCase } from '@app/sync';
import { WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';

@QueueProcessor(QueueName.FinishRun)
export class FinishRunProcessor extends WorkerHost {
  private readonly logger = new Logger(FinishRunProcessor.name);

  constructor(private readonly finishRun: FinishRunUseCase) {
    super();
  }

  async process(job: ProcessorJob<'finish-run'>): Promise<boolean> {
    const closed = await this.finishRun.execute(job.data);
    if (closed)
      this.logger.warn(
        { tenantId: job.data.tenantId, runId: job.data.runId },
        'run closed at its deadline',
      );
    return closed;
  }
}
