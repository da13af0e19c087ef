import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';

@Entity('subscription')
@Index('uq_subscription_tenant', ['tenantId'], { unique: true })
@Index('ix_subscription_customer', ['stripeCustomerId'])
export class SubscriptionEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 255, nullable: true })
  stripeCustomerId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripeSubscriptionId!: string | null;

  @Column({ type: 'varchar', length: 30, default: 'none' })
  status!: string;

  @Column({ default: 0 })
  seats!: number;

  @Column({ type: Date, nullable: true })
  currentPeriodEnd!: Date | null;

  /** `created` of the newest Stripe event applied, so late, out-of-order events are ignored. */
  @Column({ type: Date, nullable: true })
  lastEventAt!: Date | null;

  /** `created` of the newest invoice event applied (paid, payment failed, action required). */
  @Column({ type: Date, nullable: true })
  lastInvoiceEventAt!: Date | null;

  /** Past due (or canceled): seats are kept until then; afterwards the limit drops. */
  @Column({ type: Date, nullable: true })
  graceUntil!: Date | null;

  @Column({ type: Date, nullable: true })
  trialEnd!: Date | null;

  /** A payment needs the customer's confirmation (SCA): the invoice page to send the admin to. */
  @Column({ type: 'text', nullable: true })
  paymentActionUrl!: string | null;

  /** The latest thing the admin should be told (trial_will_end, async_payment_failed, ...). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  notice!: string | null;
}
