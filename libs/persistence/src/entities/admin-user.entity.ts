import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';

export type AdminRole = 'admin' | 'viewer' | 'msp_operator';

@Entity('admin_user')
@Index('uq_admin_user_tenant_oid', ['tenantId', 'oid'], { unique: true })
export class AdminUserEntity extends TenantOwnedEntity {
  /** Entra ID object id of the user, lower-cased. */
  @Column({ type: 'varchar', length: 36 })
  @NormalizedKey()
  oid!: string;

  /** Encrypted display name and sign-in name. */
  @Column({ type: 'text', nullable: true })
  profileEncrypted!: string | null;

  @Column({ type: 'varchar', length: 20 })
  role!: AdminRole;

  @Column({ type: Date, nullable: true })
  lastSignInAt!: Date | null;
}
