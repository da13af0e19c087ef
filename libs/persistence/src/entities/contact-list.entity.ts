import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';

@Entity('contact_list')
@Index('uq_contact_list_tenant_name', ['tenantId', 'nameKey'], { unique: true })
export class ContactListEntity extends TenantOwnedEntity {
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

  /** Which list_entry generation is current (see ListEntryEntity.generation); '' before any import. */
  @Column({ type: 'varchar', length: 36, default: '' })
  entryGeneration!: string;
}
