import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';

export type MailboxSyncStatus = 'pending' | 'in_sync' | 'failed' | 'skipped' | 'needs_on_premises';

/** Per mailbox and list: where our items live and how far we have read. */
@Entity('mailbox_state')
@Index('uq_mailbox_state_list_mailbox', ['listId', 'mailboxId'], { unique: true })
@Index('ix_mailbox_state_tenant', ['tenantId'])
export class MailboxStateEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  listId!: string;

  /** Directory object id of the mailbox owner, lower-cased. */
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  mailboxId!: string;

  @Column({ type: 'text', nullable: true })
  folderId!: string | null;

  /**
   * The container `folderId` stands for: `default`, or `named:<display name>` as we last named
   * it; null on rows from before it was kept (taken as the list's current setting).
   */
  @Column({ type: 'varchar', length: 210, nullable: true })
  folderSpec!: string | null;

  /**
   * The container our items are leaving after a folder change (Graph has no move for contacts:
   * they are created in the new one first, then deleted here); null once it holds none of ours.
   */
  @Column({ type: 'text', nullable: true })
  retiredFolderId!: string | null;

  /** When the named container was last found where and as we put it (checked once a day). */
  @Column({ type: Date, nullable: true })
  folderCheckedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  deltaLink!: string | null;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: MailboxSyncStatus;

  @Column({ type: Date, nullable: true })
  lastSyncedAt!: Date | null;

  @Column({ default: 0 })
  itemCount!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  lastErrorCode!: string | null;

  @Column({ type: 'text', nullable: true })
  lastErrorMessage!: string | null;

  /** What Graph said the mailbox is (user, shared, ...), probed once. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  mailboxKind!: string | null;

  @Column({ type: Date, nullable: true })
  mailboxKindCheckedAt!: Date | null;

  /**
   * The sync or clean-up run that last counted this mailbox: a retried job never counts it
   * twice. Previews never set it (they count by their outcome rows alone).
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  lastRunId!: string | null;

  /**
   * Items written by attempts of `progressRunId` that ended before the run counted the mailbox
   * (rescheduled when throttled, retried, killed after saving its map): the claim that counts
   * the mailbox adds them once, so a retried mailbox's writes are never lost from the run.
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  progressRunId!: string | null;

  @Column({ default: 0 })
  progressCreated!: number;

  @Column({ default: 0 })
  progressUpdated!: number;

  @Column({ default: 0 })
  progressDeleted!: number;

  /**
   * Fingerprint of what the last complete sync made the folder hold (snapshot, list settings,
   * folder); null after a sync that left work. Lets a no-op sync skip reading the mailbox map.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  appliedFingerprint!: string | null;
}
