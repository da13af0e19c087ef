import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';

/**
 * A tenant's alert settings (one row per tenant). In SQL, not Redis: a Redis without
 * persistence may lose everything, and these cannot be rebuilt from anything else.
 */
@Entity('alert_settings')
@Index('uq_alert_settings_tenant', ['tenantId'], { unique: true })
export class AlertSettingsEntity extends TenantOwnedEntity {
  /** JSON array of lower-cased e-mail addresses. */
  @Column({ type: 'text' })
  emails!: string;

  @Column({ type: 'text', nullable: true })
  webhookUrl!: string | null;

  /** The webhook's HMAC key, sealed with RowCipher (ENCRYPTED_COLUMNS). */
  @Column({ type: 'text', nullable: true })
  webhookSecretEncrypted!: string | null;

  @Column()
  quietMinutes!: number;
}
