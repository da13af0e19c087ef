import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { NormalizedKey } from './normalized-key.decorator';

@Entity('api_token')
@Index('uq_api_token_hash', ['tokenHash'], { unique: true })
@Index('ix_api_token_tenant', ['tenantId'])
export class ApiTokenEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** SHA-256 of the token, lower-case hex: the token itself is shown once and never stored. */
  @Column({ type: 'varchar', length: 64 })
  @NormalizedKey()
  tokenHash!: string;

  /** First characters of the token, so an admin can tell tokens apart. */
  @Column({ type: 'varchar', length: 12 })
  prefix!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: string;

  @Column({ type: 'varchar', length: 36 })
  createdBy!: string;

  @Column({ type: Date, nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  expiresAt!: Date | null;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;
}
