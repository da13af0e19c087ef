import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { AdminUserEntity } from '../entities/admin-user.entity';
import { AlertSettingsEntity } from '../entities/alert-settings.entity';
import { ApiTokenEntity } from '../entities/api-token.entity';
import { CalendarEntryEntity } from '../entities/calendar-entry.entity';
import { CalendarListEntity } from '../entities/calendar-list.entity';
import { ContactListEntity } from '../entities/contact-list.entity';
import { EwsConnectionEntity } from '../entities/ews-connection.entity';
import { ImportJobEntity } from '../entities/import-job.entity';
import { ListEntryEntity } from '../entities/list-entry.entity';
import { OperatorGrantEntity } from '../entities/operator-grant.entity';
import { ScheduleEntity } from '../entities/schedule.entity';
import { TargetEntity } from '../entities/target.entity';
import { TenantCleanupEntity } from '../entities/tenant-cleanup.entity';
import { TenantEntity } from '../entities/tenant.entity';
import { withTransaction } from '../with-transaction';
import { AuditEventRepository } from './audit-event.repository';

/** Entries deleted per short transaction (SQLite has one writer: the API must not wait long). */
const ENTRY_CHUNK = 1_000;

/** What the retention deleted of one tenant, per kind. */
export interface RevokedTenantDataDeleted {
  contactLists: number;
  listEntries: number;
  calendarLists: number;
  calendarEntries: number;
  targets: number;
  schedules: number;
  importJobs: number;
  apiTokens: number;
  operatorGrants: number;
  adminUsers: number;
  alertSettings: number;
  ewsConnections: number;
}

/**
 * The data a revoked tenant left: its lists, entries and settings, kept for a retention period
 * after the revocation so a re-consent finds them, then deleted. The tenant row, its clean-up
 * record and its audit log stay (they say what happened, and hold no contact data).
 */
export class RevokedTenantDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Tenants revoked before `cutoff` that are still suspended (a re-consent makes a tenant
   * active again and so keeps its data), with when they were revoked.
   */
  async revokedBefore(cutoff: Date): Promise<{ tenantId: string; revokedAt: Date }[]> {
    const cleanups = await this.dataSource.getRepository(TenantCleanupEntity).find({
      select: { tenantId: true, revokedAt: true },
      where: { state: 'revoked', revokedAt: LessThan(cutoff) },
    });
    if (cleanups.length === 0) return [];
    const suspended = await this.dataSource.getRepository(TenantEntity).find({
      select: { id: true },
      where: { id: In(cleanups.map((c) => c.tenantId)), status: 'suspended' },
    });
    const ids = new Set(suspended.map((t) => t.id));
    return cleanups
      .filter((c) => ids.has(c.tenantId) && c.revokedAt)
      .map((c) => ({ tenantId: c.tenantId, revokedAt: new Date(c.revokedAt!) }));
  }

  /**
   * Deletes the tenant's lists, entries and settings if it is still suspended and revoked at
   * `revokedAt` (checked again in each transaction: a re-consent meanwhile stops it). Entries go
   * in short transactions first, the rest in one with the audit event. Null when the tenant is
   * no longer to be deleted; all counts 0 when there was nothing left (no audit event then).
   */
  async deleteTenantData(
    tenantId: string,
    revokedAt: Date,
  ): Promise<RevokedTenantDataDeleted | null> {
    let listEntries = 0;
    let calendarEntries = 0;
    for (;;) {
      const deleted = await withTransaction(this.dataSource, async (manager) => {
        if (!(await this.stillRevoked(manager, tenantId, revokedAt))) return null;
        const entries = await this.deleteChunk(manager, ListEntryEntity, tenantId);
        const events = entries ? 0 : await this.deleteChunk(manager, CalendarEntryEntity, tenantId);
        return { entries, events };
      });
      if (!deleted) return null;
      listEntries += deleted.entries;
      calendarEntries += deleted.events;
      if (deleted.entries === 0 && deleted.events === 0) break;
    }
    return withTransaction(this.dataSource, async (manager) => {
      if (!(await this.stillRevoked(manager, tenantId, revokedAt))) return null;
      const count = async (entity: Parameters<EntityManager['delete']>[0]) =>
        (await manager.delete(entity, { tenantId })).affected ?? 0;
      const deleted: RevokedTenantDataDeleted = {
        listEntries,
        calendarEntries,
        targets: await count(TargetEntity),
        schedules: await count(ScheduleEntity),
        importJobs: await count(ImportJobEntity),
        contactLists: await count(ContactListEntity),
        calendarLists: await count(CalendarListEntity),
        apiTokens: await count(ApiTokenEntity),
        operatorGrants: await count(OperatorGrantEntity),
        adminUsers: await count(AdminUserEntity),
        alertSettings: await count(AlertSettingsEntity),
        ewsConnections: await count(EwsConnectionEntity),
      };
      if (Object.values(deleted).some((n) => n > 0))
        await new AuditEventRepository(manager).record(
          { tenantId, type: 'system', id: 'retention' },
          'tenant.data_deleted',
          { type: 'tenant', id: tenantId },
          { revokedAt: revokedAt.toISOString(), deleted },
        );
      return deleted;
    });
  }

  private async stillRevoked(
    manager: EntityManager,
    tenantId: string,
    revokedAt: Date,
  ): Promise<boolean> {
    const [tenant, cleanup] = await Promise.all([
      manager.getRepository(TenantEntity).findOne({ where: { id: tenantId } }),
      manager.getRepository(TenantCleanupEntity).findOne({ where: { tenantId } }),
    ]);
    return (
      tenant?.status === 'suspended' &&
      cleanup?.state === 'revoked' &&
      !!cleanup.revokedAt &&
      new Date(cleanup.revokedAt).getTime() === revokedAt.getTime()
    );
  }

  private async deleteChunk(
    manager: EntityManager,
    entity: typeof ListEntryEntity | typeof CalendarEntryEntity,
    tenantId: string,
  ): Promise<number> {
    const ids = (
      await manager
        .getRepository<{ id: string; tenantId: string }>(entity)
        .find({ select: { id: true }, where: { tenantId }, take: ENTRY_CHUNK })
    ).map((row) => row.id);
    if (ids.length === 0) return 0;
    await manager.getRepository<{ id: string }>(entity).delete({ id: In(ids) });
    return ids.length;
  }
}
