import { FieldCipher, KeyRing } from '@app/crypto';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RowCipher } from '../encryption/row-cipher';
import { AuditEventEntity } from '../entities/audit-event.entity';
import { EwsConnectionEntity } from '../entities/ews-connection.entity';
import { TargetEntity } from '../entities/target.entity';
import { openMigratedScratch, type MigratedScratch } from '../testing/migrated-scratch';
import { saveTenant } from '../testing/save-tenant';
import { TEST_DATABASES } from '../testing/test-databases';
import { EwsConnectionRepository } from './ews-connection.repository';
import { UnitOfWork } from './unit-of-work';

describe.each(TEST_DATABASES)('UnitOfWork and repositories on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let rows: RowCipher;
  let unitOfWork: UnitOfWork;
  let tenantId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    const ring = new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: randomBytes(32) }] });
    rows = new RowCipher(new FieldCipher(ring));
    unitOfWork = new UnitOfWork(dataSource, rows);
    tenantId = await saveTenant(dataSource);
  });
  afterAll(() => scratch?.close());

  const actor = () => ({ tenantId, type: 'system' as const, id: 'test' });
  const target = (listId: string) =>
    Object.assign(new TargetEntity(), {
      tenantId,
      listKind: 'contacts' as const,
      listId,
      kind: 'all' as const,
      mode: 'include' as const,
      value: null,
    });

  it('commits every repository write of the work together', async () => {
    const listId = randomUUID();
    await unitOfWork.run(async (tx) => {
      await tx.targets.insert(target(listId));
      await tx.audit.record(actor(), 'target.add', { type: 'contact_list', id: listId });
    });
    expect(await dataSource.getRepository(TargetEntity).countBy({ tenantId, listId })).toBe(1);
    expect(
      await dataSource.getRepository(AuditEventEntity).countBy({ tenantId, targetId: listId }),
    ).toBe(1);
  });

  it('rolls back every repository write when the work throws', async () => {
    const listId = randomUUID();
    await expect(
      unitOfWork.run(async (tx) => {
        await tx.targets.insert(target(listId));
        await tx.audit.record(actor(), 'target.add', { type: 'contact_list', id: listId });
        throw new Error('refused after writing');
      }),
    ).rejects.toThrow('refused after writing');
    expect(await dataSource.getRepository(TargetEntity).countBy({ tenantId, listId })).toBe(0);
    expect(
      await dataSource.getRepository(AuditEventEntity).countBy({ tenantId, targetId: listId }),
    ).toBe(0);
  });

  it('runs overlapping units of work without losing either', async () => {
    const lists = [randomUUID(), randomUUID(), randomUUID()];
    await Promise.all(
      lists.map((listId) => unitOfWork.run((tx) => tx.targets.insert(target(listId)))),
    );
    for (const listId of lists)
      expect(await dataSource.getRepository(TargetEntity).countBy({ tenantId, listId })).toBe(1);
  });

  it('stores the EWS password sealed, and opens it only through the repository', async () => {
    const connections = new EwsConnectionRepository(dataSource.manager, rows);
    const row = Object.assign(new EwsConnectionEntity(), {
      tenantId,
      serverUrl: 'https://mail.example.test/EWS/Exchange.asmx',
      username: 'svc-sync',
      impersonationAddress: null,
    });
    await unitOfWork.run((tx) => tx.ewsConnections.save(row, 'correct horse battery staple'));
    const stored = await dataSource
      .getRepository(EwsConnectionEntity)
      .findOneByOrFail({ tenantId });
    expect(stored.passwordEncrypted).not.toContain('horse');
    expect(await connections.password(tenantId)).toBe('correct horse battery staple');
    expect(await connections.password(randomUUID())).toBeNull();
  });
});
