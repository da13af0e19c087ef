import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';

/** Synced mailboxes of a tenant on one UTC day (the most seen that day): what seats rest on. */
@Entity('billing_usage_day')
@Index('uq_billing_usage_day_tenant_day', ['tenantId', 'day'], { unique: true })
export class BillingUsageDayEntity extends TenantOwnedEntity {
  /** YYYY-MM-DD (UTC). */
  @Column({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ default: 0 })
  mailboxes!: number;
}
