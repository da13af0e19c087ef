import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantEntity } from './tenant.entity';

/** Where an incremental source read (e.g. `/users/delta`) continues next time, per tenant. */
@Entity('source_state')
@Index('uq_source_state_tenant_source', ['tenantId', 'sourceKey'], { unique: true })
export class SourceStateEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;

  /** e.g. `directory-users`, lower-case. */
  @Column({ type: 'varchar', length: 100 })
  @NormalizedKey()
  sourceKey!: string;

  @Column({ type: 'text', nullable: true })
  deltaLink!: string | null;
}
