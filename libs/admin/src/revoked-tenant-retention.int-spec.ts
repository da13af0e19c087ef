import type { AppConfig } from '@app/config';
import { ManualClock } from '@app/logstore';
import {
  AdminUserEntity,
  AlertSettingsEntity,
  ApiTokenEntity,
  AuditEventEntity,
  ContactListEntity,
  ImportJobEntity,
  ListEntryEntity,
  RevokedTenantDataRepository,
  ScheduleEntity,
  TargetEntity,
  TenantCleanupEntity,
  TenantEntity,
  type TenantStatus,
} from '@app/persistence';
import {
  openMigratedScratch,
  type MigratedScratch,
} from '@app/persistence/testing/migrated-scratch';
import { TEST_DATABASES } from '@app/persistence/testing/test-databases';
import { saveTenant } from '@app/persistence/testing/save-tenant';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RevokedTenantRetention } from './revoked-tenant-retention';

const DAY = 86_400_000;
const REVOKED_AT = new Date('2026-03-01T12:00:00Z');
/** Tables holding a tenant's lists, entries and settings: what the retention deletes. */
const TENANT_DATA = [
  ContactListEntity,
  ListEntryEntity,
  TargetEntity,
  ScheduleEntity,
  ImportJobEntity,
  ApiTokenEntity,
  AdminUserEntity,
  AlertSettingsEntity,
] as const;

describe.each(TEST_DATABASES)('Revoked tenant retention on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  const clock = new ManualClock(REVOKED_AT);
  let retention: RevokedTenantRetention;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    retention = new RevokedTenantRetention(
      new RevokedTenantDataRepository(dataSource),
      { admin: { revokedTenantRetentionDays: 30 } } as AppConfig,
      clock,
    );
  });
  afterAll(() => scratch?.close());

  /** A tenant with a list, entries, a target, a schedule, an import, a token, an admin, alerts. */
  async function tenantWithData(
    status: TenantStatus,
    revokedAt: Date | null,
    entries = 3,
  ): Promise<string> {
    const tenantId = await saveTenant(dataSource, status);
    const list = await dataSource.getRepository(ContactListEntity).save(
      Object.assign(new ContactListEntity(), {
        tenantId,
        name: 'Suppliers',
        nameKey: 'suppliers',
        settings: '{}',
        enabled: false,
      }),
    );
    // Inserted in batches; more than one deletion chunk (1,000) in the first tenant.
    const rows = Array.from({ length: entries }, (_, i) =>
      Object.assign(new ListEntryEntity(), {
        id: randomUUID(),
        tenantId,
        listId: list.id,
        generation: '',
        sourceKey: `csvh:${i}`,
        emailBlindIndex: null,
        dataEncrypted: 'v1.sealed',
      }),
    );
    for (let i = 0; i < rows.length; i += 200)
      await dataSource.getRepository(ListEntryEntity).insert(rows.slice(i, i + 200));
    const own = { tenantId, listKind: 'contacts' as const, listId: list.id };
    await dataSource
      .getRepository(TargetEntity)
      .save(
        Object.assign(new TargetEntity(), { ...own, kind: 'all', mode: 'include', value: null }),
      );
    await dataSource
      .getRepository(ScheduleEntity)
      .save(Object.assign(new ScheduleEntity(), { ...own, cron: '0 7 * * *', enabled: false }));
    await dataSource.getRepository(ImportJobEntity).save(
      Object.assign(new ImportJobEntity(), {
        tenantId,
        listId: list.id,
        status: 'succeeded',
        mode: 'replace',
      }),
    );
    await dataSource.getRepository(ApiTokenEntity).save(
      Object.assign(new ApiTokenEntity(), {
        tenantId,
        name: 't',
        tokenHash: randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''),
        prefix: 'csf_x',
        role: 'viewer',
        createdBy: 'admin',
        lastUsedAt: null,
        expiresAt: null,
        revokedAt: null,
      }),
    );
    await dataSource.getRepository(AdminUserEntity).save(
      Object.assign(new AdminUserEntity(), {
        tenantId,
        oid: randomUUID(),
        role: 'admin',
        profileEncrypted: null,
        lastSignInAt: null,
      }),
    );
    await dataSource.getRepository(AlertSettingsEntity).save(
      Object.assign(new AlertSettingsEntity(), {
        tenantId,
        emails: '["ops@example.com"]',
        webhookUrl: null,
        webhookSecretEncrypted: null,
        quietMinutes: 60,
      }),
    );
    if (revokedAt)
      await dataSource.getRepository(TenantCleanupEntity).save(
        Object.assign(new TenantCleanupEntity(), {
          tenantId,
          state: 'revoked',
          listIds: JSON.stringify([list.id]),
          runIds: '{}',
          actorType: 'admin',
          actorId: 'admin',
          requestedAt: new Date(revokedAt.getTime() - 3_600_000),
          attempt: 1,
          errorCode: null,
          errorMessage: null,
          wiped: '{}',
          revokedAt,
        }),
      );
    return tenantId;
  }

  async function rowsOf(tenantId: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const entity of TENANT_DATA)
      out[entity.name] = await dataSource.getRepository(entity).count({ where: { tenantId } });
    return out;
  }
  const untouched = (rows: Record<string, number>) =>
    Object.values(rows).every((n) => n > 0) && rows.ListEntryEntity === 3;

  it('deletes a revoked tenant’s lists, entries and settings once 30 days have passed, and nobody else’s', async () => {
    const revoked = await tenantWithData('suspended', REVOKED_AT, 2_500);
    // Revoked, then consented again: active, so its data stays.
    const reconsented = await tenantWithData('active', REVOKED_AT);
    const later = await tenantWithData('suspended', new Date(REVOKED_AT.getTime() + 10 * DAY));
    const active = await tenantWithData('active', null);
    // An orphaned tenant (consent vanished from outside) was never revoked by its admin.
    const orphaned = await tenantWithData('consent_revoked', null);

    clock.advanceMs(30 * DAY - 1_000);
    expect(await retention.sweep()).toEqual([]);
    expect((await rowsOf(revoked)).ListEntryEntity).toBe(2_500);

    clock.advanceMs(2_000);
    const swept = await retention.sweep();
    expect(swept).toEqual([
      {
        tenantId: revoked,
        deleted: expect.objectContaining({
          contactLists: 1,
          listEntries: 2_500,
          targets: 1,
          schedules: 1,
          importJobs: 1,
          apiTokens: 1,
          adminUsers: 1,
          alertSettings: 1,
        }),
      },
    ]);
    expect(Object.values(await rowsOf(revoked)).every((n) => n === 0)).toBe(true);
    for (const other of [reconsented, later, active, orphaned])
      expect(untouched(await rowsOf(other))).toBe(true);
    // What happened stays on record: the tenant, its clean-up and an audit event.
    expect(await dataSource.getRepository(TenantEntity).findOneBy({ id: revoked })).toMatchObject({
      status: 'suspended',
    });
    const events = await dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { tenantId: revoked, action: 'tenant.data_deleted' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: 'system', targetId: revoked });

    // Nothing left to delete: the next sweep records nothing more.
    expect(await retention.sweep()).toEqual([]);
    expect(
      await dataSource
        .getRepository(AuditEventEntity)
        .count({ where: { tenantId: revoked, action: 'tenant.data_deleted' } }),
    ).toBe(1);

    // The later revocation's 30 days pass too.
    clock.advanceDays(10);
    expect((await retention.sweep()).map((s) => s.tenantId)).toEqual([later]);
    for (const other of [reconsented, active, orphaned])
      expect(untouched(await rowsOf(other))).toBe(true);
  });

  it('stops when the tenant consents again while it runs', async () => {
    const tenantId = await tenantWithData('suspended', new Date(clock.now().getTime() - 31 * DAY));
    const repository = new RevokedTenantDataRepository(dataSource);
    const [due] = (
      await repository.revokedBefore(new Date(clock.now().getTime() - 30 * DAY))
    ).filter((d) => d.tenantId === tenantId);
    expect(due).toBeDefined();
    await dataSource.getRepository(TenantEntity).update({ id: tenantId }, { status: 'active' });
    expect(await repository.deleteTenantData(tenantId, due.revokedAt)).toBeNull();
    expect(untouched(await rowsOf(tenantId))).toBe(true);
  });
});
