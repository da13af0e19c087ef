import { APP_CONFIG, type AppConfig } from '@app/config';
import { RevokedTenantDataRepository, type RevokedTenantDataDeleted } from '@app/persistence';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ADMIN_CLOCK, type AdminClock } from './admin-clock';

const DAY_MS = 86_400_000;

/**
 * After "clean up and revoke", a tenant's lists, entries and settings are kept for
 * REVOKED_TENANT_RETENTION_DAYS (default 30), so an administrator who consents again finds
 * them; then this sweep (run by the worker) deletes them. A re-consent makes the tenant active,
 * which takes it out of the sweep.
 */
@Injectable()
export class RevokedTenantRetention {
  private readonly logger = new Logger('RevokedTenantRetention');

  constructor(
    @Inject(RevokedTenantDataRepository) private readonly data: RevokedTenantDataRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ADMIN_CLOCK) private readonly clock: AdminClock,
  ) {}

  /** Deletes what every tenant revoked longer ago than the retention left; what it deleted. */
  async sweep(): Promise<{ tenantId: string; deleted: RevokedTenantDataDeleted }[]> {
    const cutoff = new Date(
      this.clock.now().getTime() - this.config.admin.revokedTenantRetentionDays * DAY_MS,
    );
    const out: { tenantId: string; deleted: RevokedTenantDataDeleted }[] = [];
    for (const { tenantId, revokedAt } of await this.data.revokedBefore(cutoff)) {
      const deleted = await this.data.deleteTenantData(tenantId, revokedAt);
      if (!deleted || !Object.values(deleted).some((n) => n > 0)) continue;
      this.logger.log(
        { tenantId, revokedAt: revokedAt.toISOString(), deleted },
        'revoked tenant data deleted after the retention period',
      );
      out.push({ tenantId, deleted });
    }
    return out;
  }
}
