import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';

/**
 * Webhook idempotency. Stripe ids are case-sensitive, and SQL Server's default collation is
 * not: uniqueness is on the SHA-256 of the id (lower-case hex), which means the same everywhere.
 */
@Entity('stripe_event')
@Index('uq_stripe_event_id_hash', ['eventIdHash'], { unique: true })
@Index('ix_stripe_event_status', ['status'])
export class StripeEventEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  @NormalizedKey()
  eventIdHash!: string;

  @Column({ type: 'varchar', length: 255 })
  eventId!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  tenantId!: string | null;

  @Column({ type: Date, nullable: true })
  processedAt!: Date | null;

  /** The verified event as Stripe sent it, kept until processed (the sweep re-queues it). */
  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  /** The event's own `created` (Stripe's time), for ordering. */
  @Column({ type: Date, nullable: true })
  eventCreatedAt!: Date | null;

  /** received → processed | ignored (an event type we do not act on) | failed (gave up). */
  @Column({ type: 'varchar', length: 20, default: 'received' })
  status!: StripeEventStatus;

  @Column({ default: 0 })
  attempts!: number;

  /** What processing did (e.g. `applied`, `stale`, `unknown_tenant`) or why it failed. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  outcome!: string | null;
}

export type StripeEventStatus = 'received' | 'processed' | 'ignored' | 'failed';
