import type { Job } from 'bullmq';
import type { PayloadOf } from './job-payloads';
import type { QueueName } from './queue-names';

/**
 * The job a processor of queue Q receives: its payload and job name follow from the queue
 * (`JobPayloads`), so a processor cannot read another queue's payload by mistake.
 */
export type ProcessorJob<Q extends QueueName> = Job<PayloadOf<Q>, unknown, Q>;
