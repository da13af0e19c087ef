import { InitialSchema1732300000000 } from './1732300000000-initial-schema';
import { SyncEngineState1732400000000 } from './1732400000000-sync-engine-state';
import { OperatorGrants1732500000000 } from './1732500000000-operator-grants';
import { AppliedFingerprint1732600000000 } from './1732600000000-applied-fingerprint';
import { AlertSettings1732700000000 } from './1732700000000-alert-settings';
import { ImportJobs1732710000000 } from './1732710000000-import-jobs';
import { TenantCleanup1733010000000 } from './1733010000000-tenant-cleanup';
import { AlertOutbox1733020000000 } from './1733020000000-alert-outbox';
import { ListTombstones1733083000000 } from './1733083000000-list-tombstones';
import { ImportMode1733085000000 } from './1733085000000-import-mode';
import { RunMailbox1733086000000 } from './1733086000000-run-mailbox';
import { TenantMailboxAccess1733087000000 } from './1733087000000-tenant-mailbox-access';
import { FolderCheckedAt1733100000000 } from './1733100000000-folder-checked-at';
import { Billing1733110000000 } from './1733110000000-billing';
import { EwsConnectionAuth1733140000000 } from './1733140000000-ews-connection-auth';
import { EwsOnlyOrganisations1733160000000 } from './1733160000000-ews-only-organisations';
import { SubscriptionInvoiceOrder1733190000000 } from './1733190000000-subscription-invoice-order';
import { MailboxProgress1733260000000 } from './1733260000000-mailbox-progress';

/** Every migration, in order. New ones are appended, never edited. */
export const MIGRATIONS = [
  InitialSchema1732300000000,
  SyncEngineState1732400000000,
  OperatorGrants1732500000000,
  AppliedFingerprint1732600000000,
  AlertSettings1732700000000,
  ImportJobs1732710000000,
  TenantCleanup1733010000000,
  AlertOutbox1733020000000,
  ListTombstones1733083000000,
  ImportMode1733085000000,
  RunMailbox1733086000000,
  TenantMailboxAccess1733087000000,
  FolderCheckedAt1733100000000,
  Billing1733110000000,
  EwsConnectionAuth1733140000000,
  EwsOnlyOrganisations1733160000000,
  SubscriptionInvoiceOrder1733190000000,
  MailboxProgress1733260000000,
];
