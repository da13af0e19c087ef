/**
 * BullMQ job ids: deterministic, so a repeated add is a no-op, and never containing ':' nor
 * being an integer (BullMQ rejects both).
 */
export const JobIds = {
  planRun: (listId: string) => `plan-${listId}`,
  syncMailbox: (runId: string, mailboxId: string) => `mbx-${runId}-${mailboxId}`,
  finishRun: (runId: string) => `finish-${runId}`,
  schedule: (scheduleId: string) => `schedule-${scheduleId}`,
};
