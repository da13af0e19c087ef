import type { DataSource } from 'typeorm';
import { RunMailboxEntity } from '../entities/run-mailbox.entity';
import { SyncRunEntity } from '../entities/sync-run.entity';

/** One finished sync run's counts, as the activity charts bucket them. */
export interface ActivityRunRow {
  id: string;
  finishedAt: Date;
  status: string;
  mailboxesSucceeded: number;
  mailboxesFailed: number;
  itemsWritten: number;
}

/** Items one mailbox received over a window, across its runs. */
export interface ActivityMailboxRow {
  mailboxId: string;
  itemsWritten: number;
  runs: number;
  failed: number;
}

/**
 * Reads for the activity charts: the tenant's sync runs that finished in a window, how many
 * mailboxes of each were throttled, and the items written per mailbox. Only GROUP BY and
 * COUNT/SUM (no date functions), so the same SQL runs on SQLite, PostgreSQL and SQL Server;
 * the caller buckets by day. Every query is scoped by the tenant.
 */
export class ActivityRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Sync runs (not previews, not clean-ups) that finished in [from, to), oldest first. */
  async finishedRuns(tenantId: string, from: Date, to: Date): Promise<ActivityRunRow[]> {
    const rows = await this.dataSource
      .getRepository(SyncRunEntity)
      .createQueryBuilder('r')
      .where('r.tenantId = :tenantId AND r.mode = :mode', { tenantId, mode: 'sync' })
      .andWhere('r.finishedAt >= :from AND r.finishedAt < :to', { from, to })
      .orderBy('r.finishedAt', 'ASC')
      .getMany();
    return rows.map((r) => ({
      id: r.id,
      finishedAt: r.finishedAt!,
      status: r.status,
      mailboxesSucceeded: r.mailboxesSucceeded,
      mailboxesFailed: r.mailboxesFailed,
      itemsWritten: r.itemsCreated + r.itemsUpdated + r.itemsDeleted,
    }));
  }

  /** Per run id: how many of its mailboxes ended with `code` (e.g. THROTTLED), in [from, to). */
  async mailboxesWithCode(
    tenantId: string,
    code: string,
    from: Date,
    to: Date,
  ): Promise<Map<string, number>> {
    const rows = await this.dataSource
      .getRepository(RunMailboxEntity)
      .createQueryBuilder('o')
      .select('o.runId', 'runId')
      .addSelect('COUNT(*)', 'n')
      .where('o.tenantId = :tenantId AND o.code = :code', { tenantId, code })
      .andWhere('o.finishedAt >= :from AND o.finishedAt < :to', { from, to })
      .groupBy('o.runId')
      .getRawMany<{ runId: string; n: number | string }>();
    return new Map(rows.map((r) => [r.runId, Number(r.n)]));
  }

  /** The mailboxes that received the most items in [from, to), most first. */
  async topMailboxes(
    tenantId: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<ActivityMailboxRow[]> {
    const rows = await this.dataSource
      .getRepository(RunMailboxEntity)
      .createQueryBuilder('o')
      .select('o.mailboxId', 'mailboxId')
      .addSelect('SUM(o.itemsCreated + o.itemsUpdated + o.itemsDeleted)', 'items')
      .addSelect('COUNT(*)', 'runs')
      .addSelect("SUM(CASE WHEN o.outcome = 'failed' THEN 1 ELSE 0 END)", 'failed')
      .where('o.tenantId = :tenantId', { tenantId })
      .andWhere('o.finishedAt >= :from AND o.finishedAt < :to', { from, to })
      .groupBy('o.mailboxId')
      .orderBy('items', 'DESC')
      .addOrderBy('o.mailboxId', 'ASC')
      .limit(limit)
      .getRawMany<{
        mailboxId: string;
        items: number | string | null;
        runs: number | string;
        failed: number | string | null;
      }>();
    return rows.map((r) => ({
      mailboxId: r.mailboxId,
      itemsWritten: Number(r.items ?? 0),
      runs: Number(r.runs),
      failed: Number(r.failed ?? 0),
    }));
  }
}
