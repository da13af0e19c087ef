import { Column, Entity, Index } from 'typeorm';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantOwnedEntity } from './tenant-owned.entity';

/** Synced mailboxes of a tenant on one UTC day (the most seen that day): what seats rest on. */
@Entity('billing_usage_day')
@Index('uq_billing_usage_day_tenant_day', ['tenantId', 'day'], { unique: true })
export class BillingUsageDayEntity extends TenantOwnedEntity {
  /** YYYY-MM-DD (UTC): digits and dashes, the same in every collation. */
  @Column({ type: 'varchar', length: 10 })
  @NormalizedKey()
  day!: string;

  @Column({ default: 0 })
  mailboxes!: number;
}
