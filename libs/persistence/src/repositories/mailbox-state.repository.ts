import type { EntityManager } from 'typeorm';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import type { MailboxCounts } from './mailbox-counts';

/** Rows inserted per statement: well under every driver's parameter limit. */
const INSERT_BATCH = 200;

/** Each targeted mailbox's sync state for a list. */
export class MailboxStateRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The mailboxes the list has a state for (ids only). */
  async knownMailboxes(
    tenantId: string,
    listId: string,
  ): Promise<Pick<MailboxStateEntity, 'id' | 'mailboxId'>[]> {
    return this.manager.getRepository(MailboxStateEntity).find({
      where: { tenantId, listId },
      select: { id: true, mailboxId: true },
    });
  }

  /** A pending state for each mailbox; one a concurrent plan inserted first is left as it is. */
  async insertPending(tenantId: string, listId: string, mailboxIds: string[]): Promise<void> {
    const states = this.manager.getRepository(MailboxStateEntity);
    for (let start = 0; start < mailboxIds.length; start += INSERT_BATCH) {
      await states
        .createQueryBuilder()
        .insert()
        .values(
          mailboxIds.slice(start, start + INSERT_BATCH).map((mailboxId) =>
            Object.assign(new MailboxStateEntity(), {
              tenantId,
              listId,
              mailboxId,
              status: 'pending',
            }),
          ),
        )
        .orIgnore()
        .execute();
    }
  }

  /** The state of one mailbox for one list of one tenant. */
  findForMailbox(key: {
    tenantId: string;
    listId: string;
    mailboxId: string;
  }): Promise<MailboxStateEntity | null> {
    return this.manager.getRepository(MailboxStateEntity).findOne({
      where: { tenantId: key.tenantId, listId: key.listId, mailboxId: key.mailboxId },
    });
  }

  async update(id: string, changes: Partial<MailboxStateEntity>): Promise<void> {
    await this.manager
      .getRepository(MailboxStateEntity)
      .update({ id }, { ...changes, updatedAt: new Date() });
  }

  /**
   * Saves `changes` and adds `counts` (items this attempt wrote since it last saved) to the
   * mailbox's progress in `runId`, in one UPDATE: the claim that counts the mailbox in the run
   * adds them once. Progress of an earlier run is dropped (that run counted the mailbox or lost it).
   */
  async updateWithProgress(
    id: string,
    changes: Partial<MailboxStateEntity>,
    runId: string,
    counts: MailboxCounts,
  ): Promise<void> {
    const add = (column: string, n: number) => () =>
      `CASE WHEN progress_run_id = :runId THEN ${column} ELSE 0 END + (${Math.trunc(n)})`;
    await this.manager
      .createQueryBuilder()
      .update(MailboxStateEntity)
      .set({
        ...changes,
        updatedAt: new Date(),
        progressCreated: add('progress_created', counts.created),
        progressUpdated: add('progress_updated', counts.updated),
        progressDeleted: add('progress_deleted', counts.deleted),
        progressRunId: runId,
      })
      .where('id = :id', { id, runId })
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.manager.getRepository(MailboxStateEntity).delete({ id });
  }
}
