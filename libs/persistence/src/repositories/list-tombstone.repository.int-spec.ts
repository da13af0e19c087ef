import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MailboxStateEntity } from '../entities/mailbox-state.entity';
import { openMigratedScratch, type MigratedScratch } from '../testing/migrated-scratch';
import { TEST_DATABASES } from '../testing/test-databases';
import { saveTenant } from '../testing/save-tenant';
import { ListTombstoneRepository } from './list-tombstone.repository';
import { MailboxStateRepository } from './mailbox-state.repository';

describe.each(TEST_DATABASES)('ListTombstoneRepository on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let tombstones: ListTombstoneRepository;
  let tenantId: string;
  let otherTenantId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    tombstones = new ListTombstoneRepository(dataSource.manager);
    tenantId = await saveTenant(dataSource);
    otherTenantId = await saveTenant(dataSource);
  });
  afterAll(() => scratch?.close());

  async function deletedListWithMailboxes(count: number): Promise<string> {
    const listId = randomUUID();
    await new MailboxStateRepository(dataSource.manager).insertPending(
      tenantId,
      listId,
      Array.from({ length: count }, () => randomUUID()),
    );
    await tombstones.record({ tenantId, listId, listKind: 'contacts', name: 'Company' });
    return listId;
  }

  it('counts the mailboxes the list wrote to; they remain until each is cleaned', async () => {
    const listId = await deletedListWithMailboxes(3);
    expect(await tombstones.get(tenantId, listId)).toMatchObject({
      state: 'requested',
      mailboxesTotal: 3,
      attempt: 1,
      runId: null,
    });
    expect(await tombstones.mailboxes(tenantId, listId)).toEqual({ remaining: 3, failed: 0 });
    const states = await dataSource.getRepository(MailboxStateEntity).findBy({ listId });
    await dataSource
      .getRepository(MailboxStateEntity)
      .update({ id: states[0].id }, { status: 'failed' });
    await dataSource.getRepository(MailboxStateEntity).delete({ id: states[1].id });
    expect(await tombstones.mailboxes(tenantId, listId)).toEqual({ remaining: 2, failed: 1 });
    // Another tenant sees nothing of it.
    expect(await tombstones.get(otherTenantId, listId)).toBeNull();
    expect(await tombstones.mailboxes(otherTenantId, listId)).toEqual({ remaining: 0, failed: 0 });
  });

  it('moves only by compare-and-set: requested → cleaning → failed → requested (retry) → done', async () => {
    const listId = await deletedListWithMailboxes(1);
    const runId = randomUUID();
    expect(await tombstones.finish(tenantId, listId, { state: 'done' })).toBe(false);
    expect(await tombstones.retry(tenantId, listId)).toBe(false);
    expect(await tombstones.startCleaning(tenantId, listId, runId)).toBe(true);
    // A second worker making the same step finds it made.
    expect(await tombstones.startCleaning(tenantId, listId, randomUUID())).toBe(false);
    expect((await tombstones.get(tenantId, listId))?.runId).toBe(runId);
    expect((await tombstones.unfinished()).map((t) => t.listId)).toContain(listId);

    expect(
      await tombstones.finish(tenantId, listId, {
        state: 'failed',
        code: 'CLEANUP_RUN_FAILED',
        message: 'the run ended partial',
      }),
    ).toBe(true);
    expect(await tombstones.get(tenantId, listId)).toMatchObject({
      state: 'failed',
      errorCode: 'CLEANUP_RUN_FAILED',
    });
    expect((await tombstones.unfinished()).map((t) => t.listId)).not.toContain(listId);
    // Still to be cleaned: a tenant's revocation takes it.
    expect(await tombstones.pendingListIds(tenantId)).toContain(listId);

    expect(await tombstones.retry(otherTenantId, listId)).toBe(false);
    expect(await tombstones.retry(tenantId, listId)).toBe(true);
    expect(await tombstones.retry(tenantId, listId)).toBe(false);
    expect(await tombstones.get(tenantId, listId)).toMatchObject({
      state: 'requested',
      attempt: 2,
      runId: null,
      errorCode: null,
    });
    expect(await tombstones.startCleaning(tenantId, listId, runId)).toBe(true);
    expect(await tombstones.finish(tenantId, listId, { state: 'done' })).toBe(true);
    expect(await tombstones.get(tenantId, listId)).toMatchObject({ state: 'done', attempt: 2 });
    expect(await tombstones.pendingListIds(tenantId)).not.toContain(listId);
  });

  it("deleting the tenant's tombstones leaves other tenants' alone", async () => {
    const listId = await deletedListWithMailboxes(0);
    const other = randomUUID();
    await tombstones.record({
      tenantId: otherTenantId,
      listId: other,
      listKind: 'contacts',
      name: 'X',
    });
    expect(await tombstones.deleteTenant(tenantId)).toBeGreaterThan(0);
    expect(await tombstones.get(tenantId, listId)).toBeNull();
    expect(await tombstones.get(otherTenantId, other)).not.toBeNull();
  });
});
