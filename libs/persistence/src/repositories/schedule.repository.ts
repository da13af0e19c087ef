import type { EntityManager } from 'typeorm';
import { ScheduleEntity } from '../entities/schedule.entity';

/** Cron schedules of lists; the BullMQ job schedulers are derived from these rows. */
export class ScheduleRepository {
  constructor(private readonly manager: EntityManager) {}

  async findForList(tenantId: string, listId: string): Promise<ScheduleEntity | null> {
    return this.manager.getRepository(ScheduleEntity).findOne({ where: { tenantId, listId } });
  }

  async listForList(tenantId: string, listId: string): Promise<ScheduleEntity[]> {
    return this.manager.getRepository(ScheduleEntity).find({ where: { tenantId, listId } });
  }

  /** Every enabled schedule of every tenant: the worker derives the job schedulers from them. */
  async listEnabled(): Promise<ScheduleEntity[]> {
    return this.manager.getRepository(ScheduleEntity).find({ where: { enabled: true } });
  }

  async save(schedule: ScheduleEntity): Promise<ScheduleEntity> {
    return this.manager.getRepository(ScheduleEntity).save(schedule);
  }

  async deleteInTenant(tenantId: string, id: string): Promise<void> {
    await this.manager.getRepository(ScheduleEntity).delete({ id, tenantId });
  }

  async deleteForList(tenantId: string, listId: string): Promise<void> {
    await this.manager.getRepository(ScheduleEntity).delete({ tenantId, listId });
  }
}
