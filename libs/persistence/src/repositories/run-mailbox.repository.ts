import type { DataSource } from 'typeorm';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { RunMailboxEntity } from '../entities/run-mailbox.entity';
import type { MailboxRunOutcome } from './mailbox-run-outcome';

/**
 * Reads of the per-mailbox outcomes of runs (written by SyncRunRepository.recordMailbox):
 * one run's outcomes paged by mailbox id, one mailbox's history paged newest first. Every
 * query is scoped by the tenant. Keyset paging: a page costs the same at any depth.
 */
export class RunMailboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One run's outcomes by mailbox id, after `afterMailboxId`, optionally filtered. */
  async pageOfRun(
    tenantId: string,
    runId: string,
    query: {
      limit: number;
      afterMailboxId?: string;
      outcome?: MailboxRunOutcome;
      code?: string;
    },
  ): Promise<RunMailboxEntity[]> {
    const q = this.dataSource
      .getRepository(RunMailboxEntity)
      .createQueryBuilder('o')
      .where('o.runId = :runId AND o.tenantId = :tenantId', { runId, tenantId });
    if (query.afterMailboxId) q.andWhere('o.mailboxId > :after', { after: query.afterMailboxId });
    if (query.outcome) q.andWhere('o.outcome = :outcome', { outcome: query.outcome });
    if (query.code) q.andWhere('o.code = :code', { code: query.code });
    return q.orderBy('o.mailboxId', 'ASC').take(query.limit).getMany();
  }

  /** How many mailboxes of the run ended each way. */
  async outcomeCounts(tenantId: string, runId: string): Promise<Record<MailboxRunOutcome, number>> {
    const rows = await this.dataSource
      .getRepository(RunMailboxEntity)
      .createQueryBuilder('o')
      .select('o.outcome', 'outcome')
      .addSelect('COUNT(*)', 'n')
      .where('o.runId = :runId AND o.tenantId = :tenantId', { runId, tenantId })
      .groupBy('o.outcome')
      .getRawMany<{ outcome: MailboxRunOutcome; n: number | string }>();
    const counts: Record<MailboxRunOutcome, number> = {
      succeeded: 0,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    };
    for (const r of rows) counts[r.outcome] = Number(r.n);
    return counts;
  }

  /**
   * One mailbox's outcomes across runs, newest first, before the (finishedAt, id) of the last
   * row of the previous page; of one list when `listId` is given.
   */
  async historyOfMailbox(
    tenantId: string,
    mailboxId: string,
    query: { limit: number; before?: { at: Date; id: string }; listId?: string },
  ): Promise<RunMailboxEntity[]> {
    const q = this.dataSource
      .getRepository(RunMailboxEntity)
      .createQueryBuilder('o')
      .where('o.tenantId = :tenantId AND o.mailboxId = :mailboxId', { tenantId, mailboxId });
    if (query.listId) q.andWhere('o.listId = :listId', { listId: query.listId });
    if (query.before)
      q.andWhere('(o.finishedAt < :at OR (o.finishedAt = :at AND o.id < :id))', {
        at: query.before.at,
        id: query.before.id,
      });
    return q.orderBy('o.finishedAt', 'DESC').addOrderBy('o.id', 'DESC').take(query.limit).getMany();
  }

  /** Whether the tenant knows this mailbox: a state row of one of its lists, or an outcome. */
  async knowsMailbox(tenantId: string, mailboxId: string): Promise<boolean> {
    const [state, outcome] = await Promise.all([
      this.dataSource.getRepository(MailboxStateEntity).exists({ where: { tenantId, mailboxId } }),
      this.dataSource.getRepository(RunMailboxEntity).exists({ where: { tenantId, mailboxId } }),
    ]);
    return state || outcome;
  }
}
