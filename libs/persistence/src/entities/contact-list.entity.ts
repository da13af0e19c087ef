import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from './base.entity';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantEntity } from './tenant.entity';

@Entity('contact_list')
@Index('uq_contact_list_tenant_name', ['tenantId', 'nameKey'], { unique: true })
export class ContactListEntity extends BaseEntity {
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  tenantId!: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** Trimmed, lower-cased name: list names are unique per tenant regardless of case. */
  @Column({ type: 'varchar', length: 200 })
  @NormalizedKey()
  nameKey!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** JSON: sources, field mapping, filters, per-field policies. */
  @Column({ type: 'text' })
  settings!: string;

  @Column({ type: 'varchar', length: 2, default: 'US' })
  defaultRegion!: string;

  @Column({ default: true })
  enabled!: boolean;
}
