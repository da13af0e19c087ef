import { AdminUserEntity } from './admin-user.entity';
import { AlertCursorEntity } from './alert-cursor.entity';
import { AlertDeliveryEntity } from './alert-delivery.entity';
import { AlertSettingsEntity } from './alert-settings.entity';
import { ApiTokenEntity } from './api-token.entity';
import { AuditEventEntity } from './audit-event.entity';
import { BillingUsageDayEntity } from './billing-usage-day.entity';
import { CalendarEntryEntity } from './calendar-entry.entity';
import { CalendarListEntity } from './calendar-list.entity';
import { ContactListEntity } from './contact-list.entity';
import { EwsConnectionEntity } from './ews-connection.entity';
import { ImportJobEntity } from './import-job.entity';
import { ListEntryEntity } from './list-entry.entity';
import { ListTombstoneEntity } from './list-tombstone.entity';
import { MailboxStateEntity } from './mailbox-state.entity';
import { OperatorGrantEntity } from './operator-grant.entity';
import { ScheduleEntity } from './schedule.entity';
import { SourceStateEntity } from './source-state.entity';
import { StripeEventEntity } from './stripe-event.entity';
import { SubscriptionEntity } from './subscription.entity';
import { RunMailboxEntity } from './run-mailbox.entity';
import { SyncRunEntity } from './sync-run.entity';
import { TargetEntity } from './target.entity';
import { TenantCleanupEntity } from './tenant-cleanup.entity';
import { TenantEntity } from './tenant.entity';

export * from './admin-user.entity';
export * from './alert-cursor.entity';
export * from './alert-delivery.entity';
export * from './alert-settings.entity';
export * from './api-token.entity';
export * from './import-job.entity';
export * from './audit-event.entity';
export * from './base.entity';
export * from './billing-usage-day.entity';
export * from './calendar-entry.entity';
export * from './calendar-list.entity';
export * from './contact-list.entity';
export * from './ews-connection.entity';
export * from './list-entry.entity';
export * from './list-tombstone.entity';
export * from './mailbox-state.entity';
export * from './normalized-key.decorator';
export * from './operator-grant.entity';
export * from './run-mailbox.entity';
export * from './schedule.entity';
export * from './source-state.entity';
export * from './stripe-event.entity';
export * from './subscription.entity';
export * from './sync-run.entity';
export * from './target.entity';
export * from './tenant-cleanup.entity';
export * from './tenant-owned.entity';
export * from './tenant.entity';

export const ENTITIES = [
  TenantEntity,
  AdminUserEntity,
  ApiTokenEntity,
  EwsConnectionEntity,
  ContactListEntity,
  ListEntryEntity,
  CalendarListEntity,
  CalendarEntryEntity,
  TargetEntity,
  ScheduleEntity,
  SyncRunEntity,
  MailboxStateEntity,
  SubscriptionEntity,
  StripeEventEntity,
  AuditEventEntity,
  SourceStateEntity,
  OperatorGrantEntity,
  AlertSettingsEntity,
  ImportJobEntity,
  TenantCleanupEntity,
  AlertCursorEntity,
  AlertDeliveryEntity,
  ListTombstoneEntity,
  RunMailboxEntity,
  BillingUsageDayEntity,
];
