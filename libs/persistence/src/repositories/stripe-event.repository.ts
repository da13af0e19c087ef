import { createHash } from 'node:crypto';
import { In, LessThan, type EntityManager } from 'typeorm';
import { StripeEventEntity, type StripeEventStatus } from '../entities/stripe-event.entity';

/** What storing a verified Stripe event did: new (to be processed) or a repeat delivery. */
export type StoredStripeEvent =
  { stored: 'new'; row: StripeEventEntity } | { stored: 'duplicate'; row: StripeEventEntity };

export const stripeEventIdHash = (eventId: string): string =>
  createHash('sha256').update(eventId, 'utf8').digest('hex');

/** Stripe webhook events: stored once (unique on the id's hash), then processed once. */
export class StripeEventRepository {
  constructor(private readonly manager: EntityManager) {}

  private get repo() {
    return this.manager.getRepository(StripeEventEntity);
  }

  /** Inserts the event unless it is there already (any number of concurrent deliveries). */
  async store(event: {
    eventId: string;
    type: string;
    tenantId: string | null;
    createdAt: Date;
    payload: string;
  }): Promise<StoredStripeEvent> {
    const eventIdHash = stripeEventIdHash(event.eventId);
    const row = Object.assign(new StripeEventEntity(), {
      eventIdHash,
      eventId: event.eventId,
      type: event.type,
      tenantId: event.tenantId,
      eventCreatedAt: event.createdAt,
      payload: event.payload,
      status: 'received' as const,
      attempts: 0,
      processedAt: null,
      outcome: null,
    });
    try {
      await this.repo.insert(row);
      return { stored: 'new', row };
    } catch (error) {
      const existing = await this.repo.findOne({ where: { eventIdHash } });
      if (existing) return { stored: 'duplicate', row: existing };
      throw error;
    }
  }

  async find(id: string): Promise<StripeEventEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  async findByEventId(eventId: string): Promise<StripeEventEntity | null> {
    return this.repo.findOne({ where: { eventIdHash: stripeEventIdHash(eventId) } });
  }

  /**
   * Marks a received event as done, once: false when another worker finished it first. The
   * payload is dropped once processed (nothing needs it any more).
   */
  async finish(
    id: string,
    status: Exclude<StripeEventStatus, 'received'>,
    outcome: string,
    tenantId: string | null,
  ): Promise<boolean> {
    const result = await this.repo.update(
      { id, status: 'received' },
      {
        status,
        outcome,
        tenantId,
        processedAt: new Date(),
        ...(status === 'failed' ? {} : { payload: null }),
      },
    );
    return (result.affected ?? 0) > 0;
  }

  async countAttempt(id: string): Promise<void> {
    await this.repo.increment({ id }, 'attempts', 1);
  }

  /** Events stored before `before` and never processed: the sweep queues them again. */
  async unprocessed(before: Date, limit = 500): Promise<StripeEventEntity[]> {
    return this.repo.find({
      where: { status: 'received', createdAt: LessThan(before) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  async byStatus(statuses: StripeEventStatus[]): Promise<StripeEventEntity[]> {
    return this.repo.find({ where: { status: In(statuses) }, order: { createdAt: 'ASC' } });
  }
}
