import { ManualClock } from '@app/logstore';
import {
  ActivityRepository,
  RunMailboxEntity,
  SyncRunEntity,
  type SyncRunStatus,
} from '@app/persistence';
import {
  openMigratedScratch,
  type MigratedScratch,
} from '@app/persistence/testing/migrated-scratch';
import { TEST_DATABASES } from '@app/persistence/testing/test-databases';
import { saveTenant } from '@app/persistence/testing/save-tenant';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { activityQuerySchema } from './activity-query.schema';
import { ActivityService } from './activity.service';

const NOW = new Date('2026-06-10T15:00:00Z');
const at = (iso: string) => new Date(iso);

describe.each(TEST_DATABASES)('ActivityService on %s', (_kind, makeDatabase) => {
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let service: ActivityService;
  let tenantId: string;
  let otherTenantId: string;
  const listId = randomUUID();
  const [ada, bob, cy] = [randomUUID(), randomUUID(), randomUUID()].sort();

  async function run(
    tenant: string,
    finishedAt: Date,
    status: SyncRunStatus,
    mailboxes: Array<[string, 'succeeded' | 'failed', number, string | null]>,
    mode: SyncRunEntity['mode'] = 'sync',
  ): Promise<void> {
    const r = await dataSource.getRepository(SyncRunEntity).save(
      Object.assign(new SyncRunEntity(), {
        tenantId: tenant,
        listKind: 'contacts',
        listId,
        activeListId: null,
        mode,
        trigger: 'manual',
        status,
        startedAt: new Date(finishedAt.getTime() - 60_000),
        finishedAt,
        mailboxesTotal: mailboxes.length,
        mailboxesSucceeded: mailboxes.filter((m) => m[1] === 'succeeded').length,
        mailboxesFailed: mailboxes.filter((m) => m[1] === 'failed').length,
        itemsCreated: mailboxes.reduce((n, m) => n + m[2], 0),
        itemsUpdated: 0,
        itemsDeleted: 0,
      }),
    );
    for (const [mailboxId, outcome, items, code] of mailboxes)
      await dataSource.getRepository(RunMailboxEntity).save(
        Object.assign(new RunMailboxEntity(), {
          tenantId: tenant,
          runId: r.id,
          listId,
          mailboxId,
          outcome,
          code,
          message: null,
          itemsCreated: items,
          itemsUpdated: 0,
          itemsDeleted: 0,
          finishedAt,
        }),
      );
  }

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    service = new ActivityService(new ActivityRepository(dataSource), new ManualClock(NOW));
    tenantId = await saveTenant(dataSource);
    otherTenantId = await saveTenant(dataSource);
    // Today (UTC): one clean run, one partial run with a throttled mailbox.
    await run(tenantId, at('2026-06-10T08:00:00Z'), 'succeeded', [
      [ada, 'succeeded', 40, 'MAILBOX_SYNCED'],
      [bob, 'succeeded', 10, 'MAILBOX_SYNCED'],
    ]);
    await run(tenantId, at('2026-06-10T09:00:00Z'), 'partial', [
      [ada, 'succeeded', 5, 'MAILBOX_SYNCED'],
      [bob, 'failed', 0, 'THROTTLED'],
      [cy, 'failed', 0, 'MAILBOX_NOT_FOUND'],
    ]);
    // Two days ago, just before midnight UTC.
    await run(tenantId, at('2026-06-08T23:59:59Z'), 'succeeded', [[cy, 'succeeded', 7, null]]);
    // Outside the window (15 days ago), a preview, and another tenant's run: not counted.
    await run(tenantId, at('2026-05-26T12:00:00Z'), 'succeeded', [[ada, 'succeeded', 900, null]]);
    await run(tenantId, at('2026-06-10T10:00:00Z'), 'succeeded', [], 'dry_run');
    await run(otherTenantId, at('2026-06-10T10:00:00Z'), 'failed', [
      [ada, 'failed', 0, 'THROTTLED'],
    ]);
  });
  afterAll(() => scratch?.close());

  it('buckets the sync runs of the last N UTC days, throttled mailboxes counted from their outcomes', async () => {
    const view = await service.get(tenantId, activityQuerySchema.parse({ days: '3' }));
    expect([view.from, view.to]).toEqual(['2026-06-08T00:00:00.000Z', '2026-06-11T00:00:00.000Z']);
    expect(view.days).toEqual([
      {
        date: '2026-06-08',
        runs: 1,
        itemsWritten: 7,
        mailboxesSynced: 1,
        mailboxesFailed: 0,
        mailboxesThrottled: 0,
        runsFailed: 0,
      },
      {
        date: '2026-06-09',
        runs: 0,
        itemsWritten: 0,
        mailboxesSynced: 0,
        mailboxesFailed: 0,
        mailboxesThrottled: 0,
        runsFailed: 0,
      },
      {
        date: '2026-06-10',
        runs: 2,
        itemsWritten: 55,
        mailboxesSynced: 3,
        mailboxesFailed: 2,
        mailboxesThrottled: 1,
        runsFailed: 1,
      },
    ]);
    expect(view.totals).toEqual({
      runs: 3,
      itemsWritten: 62,
      mailboxesSynced: 4,
      mailboxesFailed: 2,
      mailboxesThrottled: 1,
      runsFailed: 1,
    });
  });

  it('ranks mailboxes by items written in the window, scoped to the tenant', async () => {
    const view = await service.get(tenantId, activityQuerySchema.parse({ days: '14' }));
    expect(view.days).toHaveLength(14);
    expect(view.mailboxes).toEqual([
      { mailboxId: ada, itemsWritten: 45, runs: 2, failed: 0 },
      { mailboxId: bob, itemsWritten: 10, runs: 2, failed: 1 },
      { mailboxId: cy, itemsWritten: 7, runs: 2, failed: 1 },
    ]);
    const top = await service.get(tenantId, activityQuerySchema.parse({ mailboxes: '1' }));
    expect(top.mailboxes.map((m) => m.mailboxId)).toEqual([ada]);
    const other = await service.get(otherTenantId, activityQuerySchema.parse({}));
    expect(other.totals).toMatchObject({ runs: 1, mailboxesFailed: 1, mailboxesThrottled: 1 });
    expect(other.mailboxes).toEqual([{ mailboxId: ada, itemsWritten: 0, runs: 1, failed: 1 }]);
  });

  it('refuses a window beyond 90 days or below 1, naming the field', () => {
    for (const days of ['0', '91', 'x'])
      expect(activityQuerySchema.safeParse({ days }).error?.issues[0].path).toEqual(['days']);
  });
});
