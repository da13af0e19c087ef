import { MoreThanOrEqual, type EntityManager } from 'typeorm';
import { BillingUsageDayEntity } from '../entities/billing-usage-day.entity';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { SyncRunEntity } from '../entities/sync-run.entity';

/**
 * Billing's reads and writes beside the subscription: synced mailboxes per day, the mailboxes
 * a tenant syncs now, and what a run was not entitled to.
 */
export class BillingUsageRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Distinct mailboxes the tenant's lists have synced (each counted once, however many lists
   * reach it), with the most recent sync of each.
   */
  async syncedMailboxes(tenantId: string): Promise<Map<string, Date>> {
    const rows = await this.manager
      .getRepository(MailboxStateEntity)
      .createQueryBuilder('s')
      .select('s.mailbox_id', 'mailboxId')
      .addSelect('MAX(s.last_synced_at)', 'last')
      .where('s.tenant_id = :tenantId', { tenantId })
      .andWhere('s.last_synced_at IS NOT NULL')
      .groupBy('s.mailbox_id')
      .getRawMany<{ mailboxId: string; last: string | Date }>();
    return new Map(rows.map((r) => [r.mailboxId, new Date(r.last)]));
  }

  /** Records the day's count, keeping the highest seen that day. */
  async recordDay(tenantId: string, day: string, mailboxes: number): Promise<void> {
    const repo = this.manager.getRepository(BillingUsageDayEntity);
    const found = await repo.findOne({ where: { tenantId, day } });
    if (found) {
      if (mailboxes > found.mailboxes) await repo.update({ id: found.id }, { mailboxes });
      return;
    }
    try {
      await repo.insert(Object.assign(new BillingUsageDayEntity(), { tenantId, day, mailboxes }));
    } catch (error) {
      const raced = await repo.findOne({ where: { tenantId, day } });
      if (!raced) throw error;
      if (mailboxes > raced.mailboxes) await repo.update({ id: raced.id }, { mailboxes });
    }
  }

  async days(tenantId: string, fromDay: string): Promise<BillingUsageDayEntity[]> {
    return this.manager.getRepository(BillingUsageDayEntity).find({
      where: { tenantId, day: MoreThanOrEqual(fromDay) },
      order: { day: 'ASC' },
    });
  }

  /** Tenants that sync something (the usage sweep's round). */
  async tenantsWithMailboxes(): Promise<string[]> {
    const rows = await this.manager
      .getRepository(MailboxStateEntity)
      .createQueryBuilder('s')
      .select('DISTINCT s.tenant_id', 'tenantId')
      .getRawMany<{ tenantId: string }>();
    return rows.map((r) => r.tenantId);
  }

  /** What the run was not entitled to, on the run itself (shown with the run and the preview). */
  async recordRunEntitlement(
    runId: string,
    mailboxesUnentitled: number,
    billingStatus: string,
  ): Promise<void> {
    await this.manager
      .getRepository(SyncRunEntity)
      .update({ id: runId }, { mailboxesUnentitled, billingStatus });
  }
}
