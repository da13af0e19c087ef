import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { CalendarListEntity } from './calendar-list.entity';
import { NormalizedKey } from './normalized-key.decorator';

/** A holiday, shift or company event. Subject, body and location are encrypted. */
@Entity('calendar_entry')
@Index('uq_calendar_entry_list_source_key', ['calendarListId', 'sourceKey'], { unique: true })
@Index('ix_calendar_entry_window', ['calendarListId', 'startsAt'])
@Index('ix_calendar_entry_tenant', ['tenantId'])
export class CalendarEntryEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  calendarListId!: string;

  @ManyToOne(() => CalendarListEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'calendar_list_id' })
  calendarList?: CalendarListEntity;

  @Column({ type: 'varchar', length: 128 })
  @NormalizedKey()
  sourceKey!: string;

  @Column({ type: Date })
  startsAt!: Date;

  @Column({ type: Date })
  endsAt!: Date;

  @Column({ type: 'text' })
  dataEncrypted!: string;
}
