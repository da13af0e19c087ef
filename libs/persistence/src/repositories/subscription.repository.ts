import type { EntityManager } from 'typeorm';
import { SubscriptionEntity } from '../entities/subscription.entity';

/** A tenant's Stripe subscription (one row per tenant, created on first need). */
export class SubscriptionRepository {
  constructor(private readonly manager: EntityManager) {}

  private get repo() {
    return this.manager.getRepository(SubscriptionEntity);
  }

  async findByTenant(tenantId: string): Promise<SubscriptionEntity | null> {
    return this.repo.findOne({ where: { tenantId } });
  }

  async findByCustomer(stripeCustomerId: string): Promise<SubscriptionEntity | null> {
    return this.repo.findOne({ where: { stripeCustomerId } });
  }

  /** The tenant's row, inserted (status `none`) when it has none; safe when raced. */
  async ensure(tenantId: string): Promise<SubscriptionEntity> {
    const found = await this.findByTenant(tenantId);
    if (found) return found;
    try {
      await this.repo.insert(
        Object.assign(new SubscriptionEntity(), {
          tenantId,
          stripeCustomerId: null,
          stripeSubscriptionId: null,
          status: 'none',
          seats: 0,
          currentPeriodEnd: null,
          lastEventAt: null,
          lastInvoiceEventAt: null,
          graceUntil: null,
          trialEnd: null,
          paymentActionUrl: null,
          notice: null,
        }),
      );
    } catch (error) {
      if (!(await this.findByTenant(tenantId))) throw error;
    }
    return (await this.findByTenant(tenantId))!;
  }

  async update(tenantId: string, changes: Partial<SubscriptionEntity>): Promise<void> {
    await this.repo.update({ tenantId }, changes);
  }
}
