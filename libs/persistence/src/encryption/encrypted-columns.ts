import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { AdminUserEntity } from '../entities/admin-user.entity';
import { AlertSettingsEntity } from '../entities/alert-settings.entity';
import { CalendarEntryEntity } from '../entities/calendar-entry.entity';
import { EwsConnectionEntity } from '../entities/ews-connection.entity';
import { ImportJobEntity } from '../entities/import-job.entity';
import { ListEntryEntity } from '../entities/list-entry.entity';

export interface EncryptedColumn {
  entity: EntityTarget<ObjectLiteral>;
  table: string;
  /** Database column name: part of the AAD, so a value cannot be moved to another column. */
  column: string;
  property: string;
}

/** Every column holding AES-GCM ciphertext. Rotation walks exactly these; add new ones here. */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  {
    entity: AdminUserEntity,
    table: 'admin_user',
    column: 'profile_encrypted',
    property: 'profileEncrypted',
  },
  {
    entity: EwsConnectionEntity,
    table: 'ews_connection',
    column: 'password_encrypted',
    property: 'passwordEncrypted',
  },
  {
    entity: ListEntryEntity,
    table: 'list_entry',
    column: 'data_encrypted',
    property: 'dataEncrypted',
  },
  {
    entity: CalendarEntryEntity,
    table: 'calendar_entry',
    column: 'data_encrypted',
    property: 'dataEncrypted',
  },
  {
    entity: AlertSettingsEntity,
    table: 'alert_settings',
    column: 'webhook_secret_encrypted',
    property: 'webhookSecretEncrypted',
  },
  {
    entity: ImportJobEntity,
    table: 'import_job',
    column: 'csv_encrypted',
    property: 'csvEncrypted',
  },
];
