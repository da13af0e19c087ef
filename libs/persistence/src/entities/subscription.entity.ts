import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantEntity } from './tenant.entity';

@Entity('subscription')
@Index('uq_subscription_tenant', ['tenantId'], { unique: true })
@Index('ix_subscription_customer', ['stripeCustomerId'])
export class SubscriptionEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;

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
}
