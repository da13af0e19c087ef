import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';
import type { ListKind } from './target.entity';

/**
 * requested (no clean-up run yet: a sync run of the list may still be active) → cleaning (its
 * clean-up run is running) → done; or failed (the run did not succeed) until a retry requests
 * it again.
 */
export type ListTombstoneState = 'requested' | 'cleaning' | 'failed' | 'done';

/**
 * What is left of a deleted list until its clean-up has succeeded: its id and name, and the
 * mailboxes it wrote to — its `mailbox_state` rows, which outlive the list (no foreign key) and
 * go one by one as each mailbox is cleaned. So the mailboxes are known without scanning the
 * tenant, and the worker can finish the clean-up whatever happens to Redis.
 */
@Entity('list_tombstone')
@Index('uq_list_tombstone_list', ['listId'], { unique: true })
@Index('ix_list_tombstone_tenant', ['tenantId'])
@Index('ix_list_tombstone_state', ['state'])
export class ListTombstoneEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  listId!: string;

  @Column({ type: 'varchar', length: 10 })
  listKind!: ListKind;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: ListTombstoneState;

  /** The clean-up run of the current attempt (null while requested). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  runId!: string | null;

  /** How many mailboxes the list had written to (had a state) when it was deleted. */
  @Column({ type: 'integer', default: 0 })
  mailboxesTotal!: number;

  /** 1 for the deletion; each retry of a failed clean-up adds one. */
  @Column({ type: 'integer', default: 1 })
  attempt!: number;

  @Column({ type: Date })
  requestedAt!: Date;

  @Column({ type: Date, nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  errorMessage!: string | null;
}
