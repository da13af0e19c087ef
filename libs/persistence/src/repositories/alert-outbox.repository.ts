import {
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  MoreThanOrEqual,
  Not,
  type EntityManager,
} from 'typeorm';
import { AlertCursorEntity } from '../entities/alert-cursor.entity';
import {
  AlertDeliveryEntity,
  type AlertChannelState,
  type AlertDeliveryState,
} from '../entities/alert-delivery.entity';

/** What one attempt at an alert's channels came to; written only by the lease holder. */
export interface AlertAttemptRecord {
  state: AlertDeliveryState;
  emailState: AlertChannelState;
  webhookState: AlertChannelState;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date;
  webhookAt?: Date;
  webhookCode?: string | null;
  webhookHttpStatus?: number | null;
  emailCode?: string | null;
}

/**
 * The alert outbox (alert_delivery) and its detection cursor (alert_cursor). Bound to one
 * manager: the detector writes rows and moves the cursor in one transaction.
 */
export class AlertOutboxRepository {
  constructor(private readonly manager: EntityManager) {}

  async cursor(name: string): Promise<Date | null> {
    const row = await this.manager.getRepository(AlertCursorEntity).findOne({ where: { name } });
    return row?.position ?? null;
  }

  /** The first pass of a deployment sets the cursor; false when another pass set it first. */
  async startCursor(name: string, at: Date): Promise<boolean> {
    try {
      await this.manager
        .getRepository(AlertCursorEntity)
        .insert({ name, position: at, updatedAt: new Date() });
      return true;
    } catch (error) {
      if (await this.cursor(name)) return false;
      throw error;
    }
  }

  /** Compare-and-set: false when another pass moved the cursor since `from` was read. */
  async moveCursor(name: string, from: Date, to: Date): Promise<boolean> {
    const result = await this.manager
      .getRepository(AlertCursorEntity)
      .update({ name, position: from }, { position: to, updatedAt: new Date() });
    return !!result.affected;
  }

  /** Which of these dedupe keys have a row already. */
  async existingKeys(keys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await this.manager.getRepository(AlertDeliveryEntity).find({
        where: { dedupeKey: In(keys.slice(i, i + 500)) },
        select: { id: true, dedupeKey: true },
      });
      for (const row of rows) found.add(row.dedupeKey);
    }
    return found;
  }

  /** Whether the subject alerted (not suppressed, not channel-less) since `since`. */
  async alertedSince(tenantId: string, subject: string, since: Date): Promise<boolean> {
    const count = await this.manager.getRepository(AlertDeliveryEntity).count({
      where: {
        tenantId,
        subject,
        createdAt: MoreThanOrEqual(since),
        state: In(['pending', 'delivered', 'failed']),
      },
    });
    return count > 0;
  }

  async insert(row: AlertDeliveryEntity): Promise<void> {
    await this.manager.getRepository(AlertDeliveryEntity).insert(row);
  }

  /**
   * Takes up to `limit` due rows for `leaseUntil`: pending, due by `now`, and not held by
   * another deliverer (no lease, or an expired one: that deliverer crashed or stalled).
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<AlertDeliveryEntity[]> {
    const rows = this.manager.getRepository(AlertDeliveryEntity);
    const due = await rows.find({
      where: { state: 'pending', nextAttemptAt: LessThanOrEqual(now) },
      order: { nextAttemptAt: 'ASC' },
      take: limit * 2,
    });
    const claimed: AlertDeliveryEntity[] = [];
    for (const row of due) {
      if (claimed.length >= limit) break;
      if (row.leaseUntil && row.leaseUntil > now) continue;
      const result = await rows.update(
        {
          id: row.id,
          state: 'pending',
          leaseUntil: row.leaseUntil ? row.leaseUntil : IsNull(),
        },
        { leaseUntil },
      );
      if (result.affected) claimed.push(Object.assign(row, { leaseUntil }));
    }
    return claimed;
  }

  /** Records an attempt and releases the lease; false when the lease was lost meanwhile. */
  async recordAttempt(row: AlertDeliveryEntity, record: AlertAttemptRecord): Promise<boolean> {
    const result = await this.manager
      .getRepository(AlertDeliveryEntity)
      .update(
        { id: row.id, leaseUntil: row.leaseUntil ?? IsNull() },
        { ...record, leaseUntil: null, updatedAt: new Date() },
      );
    return !!result.affected;
  }

  /** The tenant's latest webhook attempt, for the settings view. */
  async lastWebhookAttempt(tenantId: string): Promise<AlertDeliveryEntity | null> {
    return this.manager.getRepository(AlertDeliveryEntity).findOne({
      where: { tenantId, webhookAt: Not(IsNull()) },
      order: { webhookAt: 'DESC' },
    });
  }

  async get(id: string): Promise<AlertDeliveryEntity | null> {
    return this.manager.getRepository(AlertDeliveryEntity).findOne({ where: { id } });
  }

  async deleteTenant(tenantId: string): Promise<void> {
    await this.manager.getRepository(AlertDeliveryEntity).delete({ tenantId });
  }

  /** Finished rows older than `before` go (the outbox is not an archive). */
  async prune(before: Date): Promise<number> {
    const result = await this.manager
      .getRepository(AlertDeliveryEntity)
      .delete({ state: Not('pending'), updatedAt: LessThan(before) });
    return result.affected ?? 0;
  }
}
