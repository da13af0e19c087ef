import { Column, Entity, Index } from 'typeorm';
import type { MailboxRunOutcome } from '../repositories/mailbox-run-outcome';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantOwnedEntity } from './tenant-owned.entity';

/**
 * How one mailbox ended in one run, written once with the claim that counts the mailbox in the
 * run (SyncRunRepository.recordMailbox). The run's outcomes page by mailbox id; a mailbox's
 * history across runs pages by time. Kept LOG_RETENTION_DAYS, like the logs (the run sweep
 * purges older ones); the runs themselves stay.
 */
@Entity('run_mailbox')
@Index('uq_run_mailbox_run_mailbox', ['runId', 'mailboxId'], { unique: true })
@Index('ix_run_mailbox_tenant_mailbox', ['tenantId', 'mailboxId', 'finishedAt'])
@Index('ix_run_mailbox_finished', ['finishedAt'])
export class RunMailboxEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  runId!: string;

  @Column({ type: 'varchar', length: 36 })
  listId!: string;

  /** Directory object id of the mailbox owner, lower-cased. */
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  mailboxId!: string;

  @Column({ type: 'varchar', length: 16 })
  outcome!: MailboxRunOutcome;

  /** What happened, as the run history shows it (MAILBOX_SYNCED, RUN_CANCELLED, an error code). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  code!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  message!: string | null;

  @Column({ default: 0 })
  itemsCreated!: number;

  @Column({ default: 0 })
  itemsUpdated!: number;

  @Column({ default: 0 })
  itemsDeleted!: number;

  @Column({ type: Date })
  finishedAt!: Date;
}
