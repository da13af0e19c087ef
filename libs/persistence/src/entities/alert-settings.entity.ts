import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';

/**
 * A tenant's alert settings: SQL is their source of truth (they were in Redis, which may lose
 * everything without persistence). The webhook secret is AES-GCM ciphertext (RowCipher).
 */
@Entity('alert_settings')
@Index('uq_alert_settings_tenant', ['tenantId'], { unique: true })
export class AlertSettingsEntity extends TenantOwnedEntity {
  /** JSON array of lower-cased e-mail addresses. */
  @Column({ type: 'text' })
  emails!: string;

  @Column({ type: 'text', nullable: true })
  webhookUrl!: string | null;

  @Column({ type: 'text', nullable: true })
  webhookSecretEncrypted!: string | null;

  @Column()
  quietMinutes!: number;
}
