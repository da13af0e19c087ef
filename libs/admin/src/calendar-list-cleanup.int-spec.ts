import { TEST_SERVERS, type AppConfig } from '@app/config';
import { EmbeddedLogStore } from '@app/logstore';
import { testCipher } from '@app/logstore/test-cipher';
import {
  CalendarListEntity,
  CalendarListRepository,
  ContactListEntity,
  ContactListRepository,
  ListTombstoneRepository,
  MailboxStateEntity,
  SyncRunRepository,
  TenantCleanupRepository,
  withTransaction,
} from '@app/persistence';
import {
  openMigratedScratch,
  type MigratedScratch,
} from '@app/persistence/testing/migrated-scratch';
import { saveTenant } from '@app/persistence/testing/save-tenant';
import { TEST_DATABASES } from '@app/persistence/testing/test-databases';
import { createRedisClient, SyncQueues } from '@app/queue';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AlertsService } from './alerts/alerts.service';
import { CleanupAdvancer } from './cleanup-advancer';
import { ListCleanupAdvancer } from './list-cleanup-advancer';

const CONFIG = { sync: { runDeadlineMinutes: 30 } } as AppConfig;

// The clean-up of calendar lists (issue #20) on real SQL and Redis: a deleted calendar list's
// tombstone and a tenant's revocation start clean-up runs of kind calendar, whose plan-run jobs
// say so (the worker then reads the list's events adapter, not the contacts one).
describe.each(TEST_DATABASES)('calendar list clean-up on %s', (_kind, makeDatabase) => {
  const redis = createRedisClient(TEST_SERVERS.redisUrl, { enableOfflineQueue: true });
  const queues = new SyncQueues(redis, `calclean-${randomUUID()}:`);
  const logStore = EmbeddedLogStore.open(
    join(mkdtempSync(join(tmpdir(), 'calclean-')), 'logs.db'),
    testCipher(),
    { retentionDays: 30 },
  );
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let tenantId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
  });
  beforeEach(async () => {
    tenantId = await saveTenant(dataSource);
  });
  afterAll(async () => {
    await queues.planRun.obliterate({ force: true });
    await queues.close();
    redis.disconnect();
    await logStore.close();
    await scratch?.close();
  });

  async function calendarList(name: string): Promise<string> {
    const list = Object.assign(new CalendarListEntity(), {
      tenantId,
      name,
      nameKey: name.toLowerCase(),
      description: null,
      enabled: true,
      timeZone: 'UTC',
      settings: JSON.stringify({ sources: [{ id: 'm', kind: 'manual' }] }),
    });
    await dataSource.getRepository(CalendarListEntity).insert(list);
    return list.id;
  }

  async function planJobOf(runId: string) {
    const job = await queues.planRun.getJob(`plan-${runId}`);
    return job?.data;
  }

  it("a deleted calendar list's tombstone starts a calendar clean-up run", async () => {
    const listId = await calendarList('Holidays');
    await dataSource.getRepository(MailboxStateEntity).insert(
      Object.assign(new MailboxStateEntity(), {
        tenantId,
        listId,
        mailboxId: randomUUID(),
      }),
    );
    await withTransaction(dataSource, async (manager) => {
      await new ListTombstoneRepository(manager).record({
        tenantId,
        listId,
        listKind: 'calendar',
        name: 'Holidays',
      });
      await new CalendarListRepository(manager).deleteInTenant(tenantId, listId);
    });
    const runs = new SyncRunRepository(dataSource);
    const advancer = new ListCleanupAdvancer(
      new ListTombstoneRepository(dataSource.manager),
      runs,
      queues,
      CONFIG,
    );
    expect(await advancer.advance(tenantId, listId)).toBe('cleaning');
    const tombstone = await new ListTombstoneRepository(dataSource.manager).get(tenantId, listId);
    const run = await runs.get(tenantId, tombstone!.runId!);
    expect(run).toMatchObject({ listKind: 'calendar', mode: 'cleanup' });
    expect(await planJobOf(run!.id)).toEqual({
      tenantId,
      listId,
      listKind: 'calendar',
      trigger: 'cleanup',
      mode: 'cleanup',
      runId: run!.id,
    });
  });

  it("a tenant's clean-up starts one run per list of either kind, each with its kind", async () => {
    const calendarId = await calendarList('Shifts');
    const contacts = Object.assign(new ContactListEntity(), {
      tenantId,
      name: 'Suppliers',
      nameKey: 'suppliers',
      settings: '{}',
      enabled: true,
    });
    await dataSource.getRepository(ContactListEntity).insert(contacts);
    const cleanups = new TenantCleanupRepository(dataSource);
    const { cleanup } = await cleanups.request({ tenantId, type: 'admin', id: 'oid-1' });
    expect((JSON.parse(cleanup.listIds) as string[]).sort()).toEqual(
      [calendarId, contacts.id].sort(),
    );
    const runs = new SyncRunRepository(dataSource);
    const advancer = new CleanupAdvancer(
      cleanups,
      runs,
      new ContactListRepository(dataSource.manager),
      new CalendarListRepository(dataSource.manager),
      new ListTombstoneRepository(dataSource.manager),
      queues,
      logStore,
      // Only the wipe step uses the alerts, and it is not reached: the runs stay active here.
      null as unknown as AlertsService,
      CONFIG,
    );
    expect(await advancer.advance(tenantId)).toBe('cleaning');
    const runIds = JSON.parse((await cleanups.get(tenantId))!.runIds) as Record<string, string>;
    const calendarRun = await runs.get(tenantId, runIds[calendarId]);
    const contactRun = await runs.get(tenantId, runIds[contacts.id]);
    expect(calendarRun?.listKind).toBe('calendar');
    expect(contactRun?.listKind).toBe('contacts');
    expect((await planJobOf(calendarRun!.id))?.listKind).toBe('calendar');
    expect((await planJobOf(contactRun!.id))?.listKind).toBeUndefined();
    const disabled = await dataSource
      .getRepository(CalendarListEntity)
      .findOneBy({ id: calendarId });
    expect(disabled?.enabled).toBe(false);
  });
});
