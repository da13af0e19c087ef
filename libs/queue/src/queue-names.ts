/**
 * One queue per job type, the tenant in the payload (not a queue per tenant). The prefix is a
 * Redis Cluster hash tag (`{cs}`), so a queue's keys share one slot.
 */
export function queuePrefix(keyPrefix: string): string {
  return `{${keyPrefix}}`;
}

export const QueueName = {
  PlanRun: 'plan-run',
  SyncMailbox: 'sync-mailbox',
  FinishRun: 'finish-run',
  ImportCsv: 'import-csv',
  AdvanceCleanup: 'advance-cleanup',
  StripeEvent: 'stripe-event',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
