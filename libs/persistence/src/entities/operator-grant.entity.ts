import { Column, Entity, Index } from 'typeorm';
import { NormalizedKey } from './normalized-key.decorator';
import { TenantOwnedEntity } from './tenant-owned.entity';

export type OperatorRole = 'admin' | 'viewer';

/**
 * An MSP operator's access to this tenant (the row's tenant), granted by one of its admins:
 * a user of another Entra tenant, named by home tenant id and object id. Revoking deletes the
 * row, so the next request of the operator is refused.
 */
@Entity('operator_grant')
@Index('uq_operator_grant_tenant_operator', ['tenantId', 'operatorTenantId', 'operatorObjectId'], {
  unique: true,
})
@Index('ix_operator_grant_operator', ['operatorTenantId', 'operatorObjectId'])
export class OperatorGrantEntity extends TenantOwnedEntity {
  /** The operator's home Entra tenant id (`tid`), lower-cased. */
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  operatorTenantId!: string;

  /** The operator's Entra object id (`oid`) in the home tenant, lower-cased. */
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  operatorObjectId!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: OperatorRole;

  /** Free, non-personal label chosen by the granting admin (e.g. the MSP's company name). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  label!: string | null;

  /** Audit actor id of the admin (object id) or API token that granted it. */
  @Column({ type: 'varchar', length: 100 })
  grantedBy!: string;
}
