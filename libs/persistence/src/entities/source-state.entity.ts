import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';

/** Where an incremental source read (e.g. `/users/delta`) continues next time, per tenant. */
@Entity('source_state')
@Index('uq_source_state_tenant_source', ['tenantId', 'sourceKey'], { unique: true })
export class SourceStateEntity extends TenantOwnedEntity {
  /** e.g. `directory-users`, lower-case. */
  @Column({ type: 'varchar', length: 100 })
  @NormalizedKey()
  sourceKey!: string;

  @Column({ type: 'text', nullable: true })
  deltaLink!: string | null;
}
