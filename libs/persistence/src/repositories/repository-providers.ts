import { APP_CONFIG, type AppConfig } from '@app/config';
import { FieldCipher, KeyRing } from '@app/crypto';
import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RowCipher } from '../encryption/row-cipher';
import { ActivityRepository } from './activity.repository';
import { AdminUserRepository } from './admin-user.repository';
import { AlertOutboxRepository } from './alert-outbox.repository';
import { AlertSettingsRepository } from './alert-settings.repository';
import { ApiTokenRepository } from './api-token.repository';
import { AuditEventRepository } from './audit-event.repository';
import { BillingUsageRepository } from './billing-usage.repository';
import { StripeEventRepository } from './stripe-event.repository';
import { SubscriptionRepository } from './subscription.repository';
import { CalendarEntryRepository } from './calendar-entry.repository';
import { CalendarListRepository } from './calendar-list.repository';
import { ContactListRepository } from './contact-list.repository';
import { DatabaseProbe } from './database-probe';
import { EwsConnectionRepository } from './ews-connection.repository';
import { ImportJobRepository } from './import-job.repository';
import { ListEntryRepository } from './list-entry.repository';
import { ListTombstoneRepository } from './list-tombstone.repository';
import { RevokedTenantDataRepository } from './revoked-tenant-data.repository';
import { MailboxStateRepository } from './mailbox-state.repository';
import { OperatorGrantRepository } from './operator-grant.repository';
import { RunMailboxRepository } from './run-mailbox.repository';
import { ScheduleRepository } from './schedule.repository';
import { SourceStateRepository } from './source-state.repository';
import { SyncRunRepository } from './sync-run.repository';
import { TargetRepository } from './target.repository';
import { TenantCleanupRepository } from './tenant-cleanup.repository';
import { TenantRepository } from './tenant.repository';
import { UnitOfWork } from './unit-of-work';

/** A repository over the DataSource's own manager (each call its own statement). */
const onManager = (repository: new (manager: DataSource['manager']) => unknown): Provider => ({
  provide: repository,
  inject: [DataSource],
  useFactory: (dataSource: DataSource) => new repository(dataSource.manager),
});

/**
 * The repositories PersistenceModule provides (and exports) to the apps' services. The row
 * cipher is built from the configured key ring, as the engine's is.
 */
export const REPOSITORY_PROVIDERS: Provider[] = [
  {
    provide: RowCipher,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) =>
      new RowCipher(new FieldCipher(new KeyRing(config.encryption))),
  },
  {
    provide: UnitOfWork,
    inject: [DataSource, RowCipher],
    useFactory: (dataSource: DataSource, rows: RowCipher) => new UnitOfWork(dataSource, rows),
  },
  {
    provide: DatabaseProbe,
    inject: [DataSource],
    useFactory: (dataSource: DataSource) => new DatabaseProbe(dataSource),
  },
  {
    provide: SyncRunRepository,
    inject: [DataSource],
    useFactory: (dataSource: DataSource) => new SyncRunRepository(dataSource),
  },
  {
    provide: ActivityRepository,
    inject: [DataSource],
    useFactory: (dataSource: DataSource) => new ActivityRepository(dataSource),
  },
  {
    provide: RunMailboxRepository,
    inject: [DataSource],
    useFactory: (dataSource: DataSource) => new RunMailboxRepository(dataSource),
  },
  {
    provide: TenantCleanupRepository,
    inject: [DataSource],
    useFactory: (dataSource: DataSource) => new TenantCleanupRepository(dataSource),
  },
  {
    provide: EwsConnectionRepository,
    inject: [DataSource, RowCipher],
    useFactory: (dataSource: DataSource, rows: RowCipher) =>
      new EwsConnectionRepository(dataSource.manager, rows),
  },
  {
    provide: RevokedTenantDataRepository,
    inject: [DataSource],
    useFactory: (dataSource: DataSource) => new RevokedTenantDataRepository(dataSource),
  },
  {
    provide: ListEntryRepository,
    inject: [DataSource, RowCipher],
    useFactory: (dataSource: DataSource, rows: RowCipher) =>
      new ListEntryRepository(dataSource, rows),
  },
  {
    provide: ImportJobRepository,
    inject: [DataSource, RowCipher],
    useFactory: (dataSource: DataSource, rows: RowCipher) =>
      new ImportJobRepository(dataSource, rows),
  },
  onManager(AdminUserRepository),
  onManager(AlertOutboxRepository),
  onManager(AlertSettingsRepository),
  onManager(ApiTokenRepository),
  onManager(AuditEventRepository),
  onManager(CalendarListRepository),
  {
    provide: CalendarEntryRepository,
    inject: [DataSource, RowCipher],
    useFactory: (dataSource: DataSource, rows: RowCipher) =>
      new CalendarEntryRepository(dataSource.manager, rows),
  },
  onManager(ContactListRepository),
  onManager(ListTombstoneRepository),
  onManager(MailboxStateRepository),
  onManager(OperatorGrantRepository),
  onManager(ScheduleRepository),
  onManager(SourceStateRepository),
  onManager(TargetRepository),
  onManager(TenantRepository),
  onManager(StripeEventRepository),
  onManager(SubscriptionRepository),
  onManager(BillingUsageRepository),
];
