import type { ScheduleEntity, ScheduleRepository } from '@app/persistence';
import type { SyncQueues } from '@app/queue';

/**
 * Schedules live in SQL; BullMQ job schedulers are derived from them on every worker start
 * (idempotent upserts), so a Redis without persistence loses no schedule, and a schedule
 * deleted while the fleet was down is removed.
 */
export class ScheduleRegistry {
  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly queues: SyncQueues,
  ) {}

  async syncAll(): Promise<{ upserted: number; removed: number }> {
    const schedules = await this.schedules.listEnabled();
    for (const s of schedules) await this.upsert(s);
    const wanted = new Set(schedules.map((s) => s.id));
    const stale = (await this.queues.scheduleIds()).filter((id) => !wanted.has(id));
    for (const id of stale) await this.queues.removeSchedule(id);
    return { upserted: schedules.length, removed: stale.length };
  }

  /** Upserts only the schedules whose job scheduler Redis no longer holds (cheap each sweep). */
  async restoreMissing(): Promise<number> {
    const schedules = await this.schedules.listEnabled();
    const present = new Set(await this.queues.scheduleIds());
    const missing = schedules.filter((s) => !present.has(s.id));
    for (const s of missing) await this.upsert(s);
    return missing.length;
  }

  async upsert(schedule: ScheduleEntity): Promise<void> {
    await this.queues.upsertSchedule(schedule.id, schedule.cron, schedule.timeZone, {
      tenantId: schedule.tenantId,
      listId: schedule.listId,
      ...(schedule.listKind === 'calendar' ? { listKind: 'calendar' as const } : {}),
      trigger: 'schedule',
      mode: 'sync',
    });
  }
}
