import type { EntityManager } from 'typeorm';
import { ContactListEntity } from '../entities/contact-list.entity';
import type { Page } from './page';

/** Contact lists of a tenant; every query takes the tenant. */
export class ContactListRepository {
  constructor(private readonly manager: EntityManager) {}

  /** By name (case-insensitive key). */
  async page(tenantId: string, page: Page): Promise<[ContactListEntity[], number]> {
    return this.manager.getRepository(ContactListEntity).findAndCount({
      where: { tenantId },
      order: { nameKey: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async findInTenant(tenantId: string, id: string): Promise<ContactListEntity | null> {
    return this.manager.getRepository(ContactListEntity).findOne({ where: { id, tenantId } });
  }

  async findByNameKey(tenantId: string, nameKey: string): Promise<ContactListEntity | null> {
    return this.manager.getRepository(ContactListEntity).findOne({ where: { tenantId, nameKey } });
  }

  async insert(list: ContactListEntity): Promise<void> {
    await this.manager.getRepository(ContactListEntity).insert(list);
  }

  async save(list: ContactListEntity): Promise<ContactListEntity> {
    return this.manager.getRepository(ContactListEntity).save(list);
  }

  async deleteInTenant(tenantId: string, id: string): Promise<void> {
    await this.manager.getRepository(ContactListEntity).delete({ id, tenantId });
  }
}
