import type { EntityManager } from 'typeorm';
import { CalendarListEntity } from '../entities/calendar-list.entity';
import type { Page } from './page';

/** Calendar lists of a tenant; every query takes the tenant. */
export class CalendarListRepository {
  constructor(private readonly manager: EntityManager) {}

  /** By name (case-insensitive key). */
  async page(tenantId: string, page: Page): Promise<[CalendarListEntity[], number]> {
    return this.manager.getRepository(CalendarListEntity).findAndCount({
      where: { tenantId },
      order: { nameKey: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async findInTenant(tenantId: string, id: string): Promise<CalendarListEntity | null> {
    return this.manager.getRepository(CalendarListEntity).findOne({ where: { id, tenantId } });
  }

  async findByNameKey(tenantId: string, nameKey: string): Promise<CalendarListEntity | null> {
    return this.manager.getRepository(CalendarListEntity).findOne({ where: { tenantId, nameKey } });
  }

  async insert(list: CalendarListEntity): Promise<void> {
    await this.manager.getRepository(CalendarListEntity).insert(list);
  }

  async save(list: CalendarListEntity): Promise<CalendarListEntity> {
    return this.manager.getRepository(CalendarListEntity).save(list);
  }

  async deleteInTenant(tenantId: string, id: string): Promise<void> {
    await this.manager.getRepository(CalendarListEntity).delete({ id, tenantId });
  }
}
