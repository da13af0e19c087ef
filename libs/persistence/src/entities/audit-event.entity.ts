import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { TenantEntity } from './tenant.entity';

@Entity('audit_event')
@Index('ix_audit_event_tenant_created', ['tenantId', 'createdAt'])
export class AuditEventEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;

  @Column({ type: 'varchar', length: 20 })
  actorType!: 'admin' | 'api_token' | 'system';

  @Column({ type: 'varchar', length: 64 })
  actorId!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  /** JSON details; never secrets. */
  @Column({ type: 'text', nullable: true })
  details!: string | null;
}
