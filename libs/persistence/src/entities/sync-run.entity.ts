import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';
import type { ListKind } from './target.entity';

export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';

/**
 * One run of a list. `activeListId` holds the list id while the run is active and NULL once it
 * ends: its filtered unique index allows at most one active run per list on every database.
 */
@Entity('sync_run')
@Index('uq_sync_run_active_list', ['activeListId'], {
  unique: true,
  where: 'active_list_id IS NOT NULL',
})
@Index('ix_sync_run_list_started', ['listId', 'startedAt'])
@Index('ix_sync_run_tenant', ['tenantId'])
export class SyncRunEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 10 })
  listKind!: ListKind;

  @Column({ type: 'varchar', length: 36 })
  listId!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  @NormalizedKey()
  activeListId!: string | null;

  /** sync writes; dry_run only plans (the preview); cleanup removes our items. */
  @Column({ type: 'varchar', length: 10, default: 'sync' })
  mode!: 'sync' | 'dry_run' | 'cleanup';

  @Column({ type: 'varchar', length: 20 })
  trigger!: 'schedule' | 'manual' | 'api' | 'cleanup';

  @Column({ type: 'varchar', length: 20 })
  status!: SyncRunStatus;

  @Column({ type: Date })
  startedAt!: Date;

  @Column({ type: Date, nullable: true })
  finishedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  deadlineAt!: Date | null;

  @Column({ default: 0 })
  mailboxesTotal!: number;

  @Column({ default: 0 })
  mailboxesSucceeded!: number;

  @Column({ default: 0 })
  mailboxesFailed!: number;

  @Column({ default: 0 })
  itemsCreated!: number;

  @Column({ default: 0 })
  itemsUpdated!: number;

  @Column({ default: 0 })
  itemsDeleted!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ type: 'text', nullable: true })
  errorMessage!: string | null;

  /** Targeted mailboxes beyond the tenant's seats: left as they are (frozen), not synced. */
  @Column({ default: 0 })
  mailboxesUnentitled!: number;

  /** The tenant's billing status when the run was planned (billing on only). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  billingStatus!: string | null;
}
