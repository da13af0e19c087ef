import { TEST_SERVERS } from '@app/config';
import { EmbeddedLogStore } from '@app/logstore';
import { testCipher } from '@app/logstore/test-cipher';
import {
  MailboxStateEntity,
  ScheduleEntity,
  ScheduleRepository,
  SyncRunEntity,
} from '@app/persistence';
import {
  openMigratedScratch,
  type MigratedScratch,
} from '@app/persistence/testing/migrated-scratch';
import { saveTenant } from '@app/persistence/testing/save-tenant';
import { TEST_DATABASES } from '@app/persistence/testing/test-databases';
import { createRedisClient, JobIds, SyncQueues } from '@app/queue';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ScheduleRegistry } from '../schedules/schedule-registry';
import { FinishRunUseCase } from './finish-run.use-case';
import { RequestRunUseCase } from './request-run.use-case';
import { RunLedger } from './run-ledger';
import { RunSweep } from './run-sweep';

describe.each(TEST_DATABASES)('RunSweep on %s', (_kind, makeDatabase) => {
  const redis = createRedisClient(TEST_SERVERS.redisUrl, { enableOfflineQueue: true });
  const queues = new SyncQueues(redis, `sweep-${randomUUID()}:`);
  const logStore = EmbeddedLogStore.open(
    join(mkdtempSync(join(tmpdir(), 'sweep-')), 'logs.db'),
    testCipher(),
    { retentionDays: 30 },
  );
  let scratch: MigratedScratch;
  let dataSource: DataSource;
  let ledger: RunLedger;
  let sweep: RunSweep;
  let tenantId: string;

  beforeAll(async () => {
    scratch = await openMigratedScratch(makeDatabase);
    dataSource = scratch.dataSource;
    ledger = new RunLedger(dataSource);
    sweep = new RunSweep(
      ledger,
      queues,
      new FinishRunUseCase(ledger, logStore),
      new ScheduleRegistry(new ScheduleRepository(dataSource.manager), queues),
      logStore,
      { graceMs: 0 },
    );
    tenantId = await saveTenant(dataSource);
  });
  afterAll(async () => {
    for (const q of [queues.planRun, queues.syncMailbox, queues.finishRun])
      await q.obliterate({ force: true });
    await queues.close();
    redis.disconnect();
    await logStore.close();
    await scratch?.close();
  });

  /** A running run of a new list over `mailboxes`, none reported yet, and no job in Redis. */
  async function runningRun(mailboxes: string[], deadlineAt = new Date(Date.now() + 60_000)) {
    const listId = randomUUID();
    const { run } = await ledger.start({
      tenantId,
      listId,
      listKind: 'contacts',
      trigger: 'manual',
      mode: 'sync',
      deadlineAt,
    });
    for (const mailboxId of mailboxes)
      await dataSource
        .getRepository(MailboxStateEntity)
        .insert(Object.assign(new MailboxStateEntity(), { tenantId, listId, mailboxId }));
    await ledger.planned(run.id, mailboxes.length);
    return run;
  }
  const reload = (id: string) => dataSource.getRepository(SyncRunEntity).findOneByOrFail({ id });
  const counts = { created: 1, updated: 0, deleted: 0 };

  it('leaves a run a live mailbox job serves, and closes it as partial once that job is lost', async () => {
    const run = await runningRun(['m1', 'm2']);
    await ledger.recordMailbox({
      runId: run.id,
      tenantId,
      listId: run.listId,
      mailboxId: 'm1',
      outcome: 'succeeded',
      counts,
    });
    await queues.enqueueMailboxes([
      { tenantId, listId: run.listId, runId: run.id, mailboxId: 'm2', mode: 'sync' },
    ]);
    await sweep.sweep();
    expect(await reload(run.id)).toMatchObject({ status: 'running', activeListId: run.listId });

    // Redis loses the job.
    await (await queues.syncMailbox.getJob(JobIds.syncMailbox(run.id, 'm2')))!.remove();
    const result = await sweep.sweep();
    expect(result.lost).toBeGreaterThanOrEqual(1);
    expect(await reload(run.id)).toMatchObject({
      status: 'partial',
      activeListId: null,
      errorCode: 'RUN_LOST',
      mailboxesSucceeded: 1,
      mailboxesFailed: 1,
      itemsCreated: 1,
    });
    const m2 = await dataSource
      .getRepository(MailboxStateEntity)
      .findOneByOrFail({ tenantId, listId: run.listId, mailboxId: 'm2' });
    expect(m2).toMatchObject({ status: 'failed', lastErrorCode: 'RUN_LOST', lastRunId: run.id });
    const logs = await logStore.queryLogs(tenantId, { limit: 100 });
    expect(logs.items.some((l) => l.runId === run.id && l.code === 'RUN_LOST')).toBe(true);

    // The lost job's attempt, still running somewhere, reports later: nothing changes.
    const late = await ledger.recordMailbox({
      runId: run.id,
      tenantId,
      listId: run.listId,
      mailboxId: 'm2',
      outcome: 'succeeded',
      counts,
    });
    expect(late.counted).toBe(false);
  });

  it('closes a run whose deadline passed though its deadline job is gone', async () => {
    const run = await runningRun(['m1'], new Date(Date.now() - 1_000));
    await queues.enqueueMailboxes([
      { tenantId, listId: run.listId, runId: run.id, mailboxId: 'm1', mode: 'sync' },
    ]);
    const result = await sweep.sweep();
    expect(result.deadline).toBeGreaterThanOrEqual(1);
    expect(await reload(run.id)).toMatchObject({
      status: 'failed',
      errorCode: 'DEADLINE_EXCEEDED',
      activeListId: null,
    });
  });

  it('leaves a run younger than the grace period alone, though no job serves it yet', async () => {
    const patient = new RunSweep(
      ledger,
      queues,
      new FinishRunUseCase(ledger, logStore),
      new ScheduleRegistry(new ScheduleRepository(dataSource.manager), queues),
      logStore,
      { graceMs: 60_000 },
    );
    const run = await runningRun(['m1']);
    await patient.sweep();
    expect(await reload(run.id)).toMatchObject({ status: 'running' });
    expect(await patient.isServed(run)).toBe(true);
    expect(await sweep.isServed(run)).toBe(false);
    await sweep.closeLost(run);
  });

  it('re-creates the job scheduler of an enabled schedule Redis lost, and only that', async () => {
    const schedule = await dataSource.getRepository(ScheduleEntity).save(
      Object.assign(new ScheduleEntity(), {
        tenantId,
        listKind: 'contacts',
        listId: randomUUID(),
        cron: '0 3 * * *',
        timeZone: 'UTC',
        enabled: true,
      }),
    );
    await sweep.sweep();
    expect(await queues.scheduleIds()).toContain(schedule.id);
    await queues.removeSchedule(schedule.id); // Redis loses it
    expect(await queues.scheduleIds()).not.toContain(schedule.id);
    const result = await sweep.sweep();
    expect(result.schedulesRestored).toBe(1);
    expect(await queues.scheduleIds()).toContain(schedule.id);
    expect((await sweep.sweep()).schedulesRestored).toBe(0);
  });

  it('"sync now" merges into a served run, but starts a new run instead of merging into a dead one', async () => {
    const requests = new RequestRunUseCase(ledger, queues, { runDeadlineMinutes: 60 }, sweep);
    const listId = randomUUID();
    const first = await requests.execute({ tenantId, listId, trigger: 'manual', mode: 'sync' });
    expect(first.merged).toBe(false);
    const merged = await requests.execute({ tenantId, listId, trigger: 'manual', mode: 'sync' });
    expect(merged).toEqual({ runId: first.runId, merged: true });

    // Redis loses the plan job.
    await (await queues.planRun.getJob(`plan-${first.runId}`))!.remove();
    const next = await requests.execute({ tenantId, listId, trigger: 'manual', mode: 'sync' });
    expect(next.merged).toBe(false);
    expect(next.runId).not.toBe(first.runId);
    expect(await reload(first.runId)).toMatchObject({ errorCode: 'RUN_LOST', activeListId: null });
    expect(await queues.isLive('planRun', `plan-${next.runId}`)).toBe(true);
  });
});
