import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';

@Entity('audit_event')
@Index('ix_audit_event_tenant_created', ['tenantId', 'createdAt'])
export class AuditEventEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 20 })
  actorType!: 'admin' | 'api_token' | 'operator' | 'system';

  /** Object id, API token id, or `${tid}/${oid}` of an MSP operator. */
  @Column({ type: 'varchar', length: 100 })
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
