import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NormalizedKey } from './normalized-key.decorator';

/**
 * Where alert detection stands: runs that finished before `position` (less an overlap) were
 * looked at. Moved in the transaction that writes their alert_delivery rows.
 */
@Entity('alert_cursor')
export class AlertCursorEntity {
  /** A lower-case constant ('alerts'). */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  @NormalizedKey()
  name!: string;

  @Column({ type: Date })
  position!: Date;

  @Column({ type: Date })
  updatedAt!: Date;
}
