/**
 * One queue per job type, the tenant in the payload (not a queue per tenant). Names carry a
 * Redis Cluster hash tag through the `{cs}` prefix, so a queue's keys share one slot.
 */
export const QUEUE_PREFIX = '{cs}';

export const QueueName = {
  PlanRun: 'plan-run',
  SyncMailbox: 'sync-mailbox',
  FinishRun: 'finish-run',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
