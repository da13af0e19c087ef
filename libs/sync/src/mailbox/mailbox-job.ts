import type { MailboxRef, MailboxSession } from '@app/domain';
import type { MailboxStateEntity } from '@app/persistence';
import type { SyncMailboxPayload } from '@app/queue';
import type { MailboxCounts } from '../runs/run-ledger';
import type { ItemKindTypes } from './item-kind-types';
import type { ListSyncSettings } from './list-sync-settings';

/** One sync-mailbox job as its steps see it. */
export interface MailboxJob<K extends ItemKindTypes> {
  payload: SyncMailboxPayload;
  mailbox: MailboxRef;
  state: MailboxStateEntity;
  /** The list's stored settings (JSON), part of the applied fingerprint; null: list deleted. */
  listSettingsJson: string | null;
  settings: ListSyncSettings<K['policy']> | undefined;
  session: MailboxSession<K['patch'], K['values']>;
  /** state changes saved with the outcome (one UPDATE instead of two) */
  unsaved: Partial<MailboxStateEntity>;
  /** This attempt's counts saved as the mailbox's progress in the run (the outcome adds the rest). */
  savedCounts: MailboxCounts;
  /** Whether the job's run was cancelled (asked around each write batch, read from SQL then). */
  cancelled: () => Promise<boolean>;
}
