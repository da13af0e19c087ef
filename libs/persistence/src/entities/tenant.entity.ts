import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';

/** How our app reaches the tenant's mailboxes (docs/entra-app.md#least-privilege). */
export type MailboxAccess = 'entra' | 'exchange_rbac' | 'unverified';

export type TenantStatus = 'pending' | 'active' | 'consent_revoked' | 'orphaned' | 'suspended';

@Entity('tenant')
@Index('uq_tenant_azure_tenant_id', ['azureTenantId'], {
  unique: true,
  where: 'azure_tenant_id IS NOT NULL',
})
export class TenantEntity extends BaseEntity {
  /**
   * Entra ID directory (tenant) id, lower-cased; null for an EWS-only organisation (Exchange
   * Server on-premises without Microsoft 365, ADR 0047), which an operator creates.
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  @NormalizedKey()
  azureTenantId!: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  displayName!: string | null;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: TenantStatus;

  /** Object id of the admin who granted consent. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  consentedBy!: string | null;

  @Column({ type: Date, nullable: true })
  consentedAt!: Date | null;

  /** JSON array of the application permissions (roles) the consent granted. */
  @Column({ type: 'text', nullable: true })
  grantedPermissions!: string | null;

  /**
   * Mailbox permissions granted tenant-wide in Entra ID (`entra`), or left to Exchange's RBAC
   * for Applications: a probe of a mailbox answered (`exchange_rbac`) or was refused
   * (`unverified`). Null before the consent check recorded it.
   */
  @Column({ type: 'varchar', length: 20, nullable: true })
  mailboxAccess!: MailboxAccess | null;
}
