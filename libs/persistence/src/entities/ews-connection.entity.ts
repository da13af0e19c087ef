import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantEntity } from './tenant.entity';

/** Exchange Server on-premises access: the only place we hold a password, always encrypted. */
@Entity('ews_connection')
@Index('uq_ews_connection_tenant', ['tenantId'], { unique: true })
export class EwsConnectionEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;

  @Column({ type: 'varchar', length: 500 })
  serverUrl!: string;

  @Column({ type: 'varchar', length: 256 })
  username!: string;

  @Column({ type: 'text' })
  passwordEncrypted!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  impersonationAddress!: string | null;
}
