import { Column, Entity, Index } from 'typeorm';
import { TenantOwnedEntity } from './tenant-owned.entity';

/**
 * requested → cleaning (clean-up runs started) → wiping (all succeeded) → revoked; or failed
 * (with a coded reason) from any non-terminal state. A POST on a failed one requests it again.
 */
export type TenantCleanupState = 'requested' | 'cleaning' | 'wiping' | 'revoked' | 'failed';

/**
 * A tenant's "clean up and revoke" (one row per tenant): the worker advances it, so it
 * completes whether or not anybody reads its progress, and survives a Redis loss.
 */
@Entity('tenant_cleanup')
@Index('uq_tenant_cleanup_tenant', ['tenantId'], { unique: true })
@Index('ix_tenant_cleanup_state', ['state'])
export class TenantCleanupEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 16 })
  state!: TenantCleanupState;

  /** JSON: the lists disabled by the request, each cleaned by one run. */
  @Column({ type: 'text' })
  listIds!: string;

  /** JSON: {listId: runId} of the clean-up runs of this attempt. */
  @Column({ type: 'text' })
  runIds!: string;

  @Column({ type: 'varchar', length: 16 })
  actorType!: string;

  @Column({ type: 'varchar', length: 200 })
  actorId!: string;

  @Column({ type: Date })
  requestedAt!: Date;

  /** 1 for the first request; each retry of a failed one adds one. */
  @Column({ type: 'integer', default: 1 })
  attempt!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  errorMessage!: string | null;

  /** JSON: counts of what the wipe deleted (logs, snapshots, maps, states). */
  @Column({ type: 'text', nullable: true })
  wiped!: string | null;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;
}
