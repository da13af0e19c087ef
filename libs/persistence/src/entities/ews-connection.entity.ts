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

  /** How the service account signs in: `ntlm` (default, as on-premises EWS offers) or `basic`. */
  @Column({ type: 'varchar', length: 10, default: 'ntlm' })
  authMode!: 'ntlm' | 'basic';

  /**
   * GUID of the Global Address List that FindPeople pages for an EWS-only organisation's
   * directory (`Get-GlobalAddressList | Format-List Name,Guid`); null = not set.
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  addressListId!: string | null;

  /** PEM of the CA that signs the server's certificate (a customer's own CA); null = system CAs. */
  @Column({ type: 'text', nullable: true })
  caCertificate!: string | null;
}
