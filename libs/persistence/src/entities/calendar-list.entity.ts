import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantEntity } from './tenant.entity';

@Entity('calendar_list')
@Index('uq_calendar_list_tenant_name', ['tenantId', 'nameKey'], { unique: true })
export class CalendarListEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  @NormalizedKey()
  nameKey!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** JSON: calendar name or category, time zone, policies. */
  @Column({ type: 'text' })
  settings!: string;

  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timeZone!: string;

  @Column({ default: true })
  enabled!: boolean;
}
