import type { DataSource } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity';
import { openMigratedScratch, type MigratedScratch } from '../testing/migrated-scratch';
import { TEST_DATABASES } from '../testing/test-databases';
import { saveTenant } from '../testing/save-tenant';
import { AuditEventRepository } from './audit-event.repository';

describe.each(TEST_DATABASES)('Audit log filters on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let audit: AuditEventRepository;
  let tenantId: string;
  let otherTenantId: string;
  const base = new Date('2026-05-01T10:00:00.000Z');
  const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000);

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    audit = new AuditEventRepository(dataSource.manager);
    tenantId = await saveTenant(dataSource);
    otherTenantId = await saveTenant(dataSource);
    const events: Array<
      [string, AuditEventEntity['actorType'], string, string, string | null, number]
    > = [
      [tenantId, 'admin', 'alice', 'auth.sign_in', null, 0],
      [tenantId, 'admin', 'alice', 'list.create', 'list-1', 1],
      [tenantId, 'admin', 'bob', 'list.update', 'list-1', 2],
      [tenantId, 'api_token', 'token-1', 'list.delete', 'list-1', 3],
      [tenantId, 'admin', 'bob', 'listing.other', 'list-2', 4],
      [otherTenantId, 'admin', 'alice', 'list.create', 'list-1', 1],
    ];
    for (const [tenant, actorType, actorId, action, targetId, minutes] of events)
      await dataSource.getRepository(AuditEventEntity).insert(
        Object.assign(new AuditEventEntity(), {
          tenantId: tenant,
          actorType,
          actorId,
          action,
          targetType: targetId ? 'contact_list' : null,
          targetId,
          details: null,
          createdAt: at(minutes),
        }),
      );
  });
  afterAll(() => scratch?.close());

  const actions = async (filter: Parameters<AuditEventRepository['page']>[2]) => {
    const [rows, total] = await audit.page(tenantId, { limit: 50, offset: 0 }, filter);
    expect(total).toBe(rows.length);
    return rows.map((r) => r.action);
  };

  it('filters by actor, action (exact or prefix), target and time, newest first, in the tenant only', async () => {
    expect(await actions({})).toEqual([
      'listing.other',
      'list.delete',
      'list.update',
      'list.create',
      'auth.sign_in',
    ]);
    expect(await actions({ actorId: 'alice' })).toEqual(['list.create', 'auth.sign_in']);
    expect(await actions({ actorType: 'api_token' })).toEqual(['list.delete']);
    expect(await actions({ action: 'list.create' })).toEqual(['list.create']);
    // `list.*` is the list.… actions, not `listing.other`.
    expect(await actions({ action: 'list.*' })).toEqual([
      'list.delete',
      'list.update',
      'list.create',
    ]);
    expect(await actions({ targetType: 'contact_list', targetId: 'list-1' })).toEqual([
      'list.delete',
      'list.update',
      'list.create',
    ]);
    expect(await actions({ from: at(1), to: at(3) })).toEqual(['list.update', 'list.create']);
    expect(await actions({ from: at(4) })).toEqual(['listing.other']);
    expect(await actions({ to: at(0) })).toEqual([]);
    expect(await actions({ actorId: 'bob', action: 'list.*', from: at(2) })).toEqual([
      'list.update',
    ]);
  });
});
