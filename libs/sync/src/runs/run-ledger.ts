// The run ledger is the sync-run repository of libs/persistence (SQL only in repositories).
// These names stay for the engine's callers (mailbox sync, run sweep, clean-up).
export {
  SyncRunRepository as RunLedger,
  RUN_LOST,
  type MailboxCounts,
  type MailboxRunOutcome as MailboxOutcome,
} from '@app/persistence';
