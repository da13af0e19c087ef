import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';

@Entity('calendar_list')
@Index('uq_calendar_list_tenant_name', ['tenantId', 'nameKey'], { unique: true })
export class CalendarListEntity extends TenantOwnedEntity {
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
