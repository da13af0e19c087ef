import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';

/** Exchange Server on-premises access: the only place we hold a password, always encrypted. */
@Entity('ews_connection')
@Index('uq_ews_connection_tenant', ['tenantId'], { unique: true })
export class EwsConnectionEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 500 })
  serverUrl!: string;

  @Column({ type: 'varchar', length: 256 })
  username!: string;

  @Column({ type: 'text' })
  passwordEncrypted!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  impersonationAddress!: string | null;
}
