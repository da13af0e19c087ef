import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantEntity } from './tenant.entity';

/**
 * A row that belongs to one tenant directly: its tenant id with a cascading foreign key, so
 * deleting the tenant deletes it. Rows below another owned row (list entries) keep a plain
 * tenant id instead: SQL Server allows only one cascade path to a table.
 */
export abstract class TenantOwnedEntity extends BaseEntity {
  /** Our tenant row id (a lower-case UUID). */
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;
}
