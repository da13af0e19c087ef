import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';
import type { ListKind } from './target.entity';

/** A cron schedule; re-upserted into BullMQ job schedulers on every worker start. */
@Entity('schedule')
@Index('uq_schedule_list', ['listId'], { unique: true })
export class ScheduleEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 10 })
  listKind!: ListKind;

  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  listId!: string;

  @Column({ type: 'varchar', length: 100 })
  cron!: string;

  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timeZone!: string;

  @Column({ default: true })
  enabled!: boolean;
}
