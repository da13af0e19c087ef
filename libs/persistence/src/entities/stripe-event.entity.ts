import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';

/**
 * Webhook idempotency. Stripe ids are case-sensitive, and SQL Server's default collation is
 * not: uniqueness is on the SHA-256 of the id (lower-case hex), which means the same everywhere.
 */
@Entity('stripe_event')
@Index('uq_stripe_event_id_hash', ['eventIdHash'], { unique: true })
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
}
