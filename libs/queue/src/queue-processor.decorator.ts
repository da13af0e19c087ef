import { Processor } from '@nestjs/bullmq';
import type { ProcessorJob } from './processor-job';
import type { QueueName } from './queue-names';

/** A class whose `process` takes the jobs of queue Q (a property type, so checked strictly). */
export type ProcessorOf<Q extends QueueName> = abstract new (...args: never[]) => {
  process: (job: ProcessorJob<Q>, token?: string) => Promise<unknown>;
};

/**
 * `@Processor(queue)` of @nestjs/bullmq, typed: the decorated class must process
 * `ProcessorJob<queue>`, so a processor bound to one queue and reading another queue's
 * payload fails to compile.
 */
export function QueueProcessor<Q extends QueueName>(
  queue: Q,
): <T extends ProcessorOf<Q>>(target: T) => void {
  return (target) => {
    Processor(queue)(target);
  };
}
