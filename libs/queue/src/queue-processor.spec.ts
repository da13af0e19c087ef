import type { ProcessorJob } from './processor-job';
import { QueueName } from './queue-names';
import { QueueProcessor } from './queue-processor.decorator';

// Where @nestjs/bullmq's @Processor records its queue (its bull.constants).
const PROCESSOR_METADATA = 'bullmq:processor_metadata';

@QueueProcessor(QueueName.PlanRun)
class PlanRunLike {
  async process(job: ProcessorJob<'plan-run'>): Promise<string> {
    return job.data.listId;
  }
}

describe('QueueProcessor', () => {
  it("registers the class as @nestjs/bullmq's processor of its queue", () => {
    expect(Reflect.getMetadata(PROCESSOR_METADATA, PlanRunLike)).toEqual({
      name: QueueName.PlanRun,
    });
  });

  it("refuses, at compile time, a processor that reads another queue's payload", () => {
    // The check is the @ts-expect-error line (`npm run typecheck` fails if it compiles).
    // @ts-expect-error a plan-run processor cannot take sync-mailbox jobs
    @QueueProcessor(QueueName.PlanRun)
    class Mismatched {
      async process(job: ProcessorJob<'sync-mailbox'>): Promise<string> {
        return job.data.mailboxId;
      }
    }
    expect(Reflect.getMetadata(PROCESSOR_METADATA, Mismatched)).toEqual({
      name: QueueName.PlanRun,
    });
  });
});
