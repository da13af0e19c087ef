import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';

export type ListKind = 'contacts' | 'calendar';
export type TargetKind = 'all' | 'group' | 'user' | 'filter';

/**
 * Who receives a list. `listId` points at a contact or calendar list (by `listKind`) without
 * a foreign key: two cascading keys would give SQL Server two cascade paths from tenant.
 */
@Entity('target')
@Index('ix_target_list', ['listId'])
@Index('ix_target_tenant', ['tenantId'])
export class TargetEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 10 })
  listKind!: ListKind;

  @Column({ type: 'varchar', length: 36 })
  listId!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: TargetKind;

  @Column({ type: 'varchar', length: 10, default: 'include' })
  mode!: 'include' | 'exclude';

  /** Group or user object id for `group`/`user`; JSON filter for `filter`. */
  @Column({ type: 'text', nullable: true })
  value!: string | null;
}
