import { ScheduleEntity, SyncRunEntity } from '@app/persistence';
import { Fleet } from './support/fleet';
import { waitForQueueIdle } from './support/wait-for-queue-idle';

/** Schedules live in SQL and become BullMQ job schedulers on every worker start. */
describe('schedules', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({ sim: { usersPerTenant: 10, seed: 71 }, worker: false });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('are re-created from SQL when a worker starts, fire with their time zone, and vanish with their row', async () => {
    const listId = await fleet.createList(
      'Scheduled',
      { sources: [{ id: 'dir', kind: 'directory' }] },
      [{ kind: 'all', mode: 'include', value: null }],
    );
    const schedules = fleet.dataSource.getRepository(ScheduleEntity);
    // Every second (BullMQ cron patterns take seconds first), in a named zone.
    const schedule = await schedules.save(
      Object.assign(new ScheduleEntity(), {
        tenantId: fleet.tenantId,
        listKind: 'contacts',
        listId,
        cron: '*/1 * * * * *',
        timeZone: 'Europe/Berlin',
      }),
    );
    // A stale scheduler left in Redis by a schedule deleted while the fleet was down.
    await fleet.queues.upsertSchedule('00000000-0000-4000-8000-000000000000', '0 3 * * *', 'UTC', {
      tenantId: fleet.tenantId,
      listId,
      trigger: 'schedule',
      mode: 'sync',
    });

    await fleet.startWorker();
    const schedulers = await fleet.queues.planRun.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => ({ key: s.key, pattern: s.pattern, tz: s.tz }))).toEqual([
      { key: `schedule-${schedule.id}`, pattern: '*/1 * * * * *', tz: 'Europe/Berlin' },
    ]);

    const run = await fleet.waitForRun(listId, new Date(0), 30_000);
    expect(run).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    expect(run.itemsCreated).toBeGreaterThan(0);

    await fleet.stopWorker();
    await schedules.delete({ id: schedule.id });
    await fleet.startWorker();
    expect(await fleet.queues.planRun.getJobSchedulers(0, -1)).toEqual([]);
    const runs = await fleet.dataSource.getRepository(SyncRunEntity).count({ where: { listId } });
    // Every plan job still queued (at most the one already due) has been considered.
    await waitForQueueIdle(fleet.queues.planRun);
    expect(
      await fleet.dataSource.getRepository(SyncRunEntity).count({ where: { listId } }),
    ).toBeLessThanOrEqual(runs + 1);
  });
});
